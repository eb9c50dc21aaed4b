// The training-institution catalogue: reading it from JSON or CSV, checking each entry, and
// the status of each listing on a day.
#include "qualify/catalogue.hpp"

#include <algorithm>  // stable_sort, all_of
#include <array>
#include <cctype>
#include <cstddef>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>  // move
#include <vector>

#include <nlohmann/json.hpp>

#include "qualify/detail/validators.hpp"
#include "qualify/error.hpp"
#include "qualify/pack.hpp"

namespace qualify {

namespace {

// The fields of an entry, in the order the documentation and the CSV sample list them.
enum class Key : std::size_t { institution, uscc, occupation, level, approved, removed, removal_reason };
constexpr std::size_t kKeyCount = 7;

struct KeyName {
  std::string_view en;
  std::string_view zh;
};

// The Chinese names are the catalogue's own column titles, so that a list exported from the
// published spreadsheet reads without renaming its header.
constexpr std::array<KeyName, kKeyCount> kKeyNames = {{
    {"institution", "单位名称"},
    {"uscc", "统一社会信用代码"},
    {"occupation", "职业"},
    {"level", "等级"},
    {"approved", "审核通过时间"},
    {"removed", "移出时间"},
    {"removal_reason", "移出原因"},
}};

constexpr std::size_t index(Key k) { return static_cast<std::size_t>(k); }
std::string_view en(Key k) { return kKeyNames[index(k)].en; }
std::string_view zh(Key k) { return kKeyNames[index(k)].zh; }

std::optional<Key> key_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kKeyCount; ++i)
    if (name == kKeyNames[i].en || name == kKeyNames[i].zh) return static_cast<Key>(i);
  return std::nullopt;
}

// "institution (单位名称), uscc (统一社会信用代码), ...": every accepted name, for messages
// about a name that is not one of them.
std::string accepted_names() {
  std::string out;
  for (const KeyName& k : kKeyNames) {
    if (!out.empty()) out += ", ";
    out += std::string(k.en) + " (" + std::string(k.zh) + ")";
  }
  return out;
}

[[noreturn]] void bad(const std::string& file, std::string pointer, std::string reason) {
  throw Error("bad_catalogue", file, std::move(pointer), std::move(reason));
}

// RFC 6901: '~' and '/' in a key are escaped in a JSON Pointer.
std::string escape_pointer(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// Spreadsheet exports pad cells with spaces; no field of an entry means anything by them.
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Why `s` is not a date Date::parse accepts: a wrong form and a date that does not exist
// need different fixes, so they get different messages.
std::string date_problem(std::string_view s) {
  bool iso_form = s.size() == 10 && s[4] == '-' && s[7] == '-';
  for (std::size_t i = 0; iso_form && i < s.size(); ++i)
    if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(s[i]))) iso_form = false;
  if (!iso_form) return in_quotes(s) + " is not a date in the form YYYY-MM-DD";
  if (s < "1900") return in_quotes(s) + " is before 1900-01-01";
  return in_quotes(s) + " is not a real date";
}

// Why `s` is not a valid 统一社会信用代码, or empty when it is one.
std::string uscc_problem(std::string_view s) {
  if (detail::uscc_valid(s)) return "";
  if (s.size() != 18)
    return in_quotes(s) + " has " + std::to_string(detail::utf8_length(s).value_or(s.size())) +
           " characters; a 统一社会信用代码 has 18";
  for (char c : s.substr(0, 17))
    if (detail::validators_impl::uscc_value(c) < 0)
      return in_quotes(s) + " contains " + in_quotes(std::string(1, c)) +
             ", which is not in the GB 32100-2015 code table (digits and uppercase letters but I, O, S, V, Z)";
  return in_quotes(s) + " fails the GB 32100-2015 check: its last character should be " +
         in_quotes(std::string(1, detail::uscc_check_char(s.substr(0, 17))));
}

// Where each field of one entry sits in its source, for error messages: the JSON Pointer (or
// CSV row pointer) of each field, the name the source uses for it, and whether it was given.
struct Where {
  const std::string& file;
  std::string entry;                              // the entry itself: "/entries/3", "/row/4"
  std::array<std::string, kKeyCount> pointer;     // each field's pointer
  std::array<std::string, kKeyCount> name;        // each field's name as written in the source
  std::array<bool, kKeyCount> given{};            // whether the source has the field at all

  // Pointers "/entry/<english key>" and English names, for a source without its own.
  Where(const std::string& f, std::string e) : file(f), entry(std::move(e)) {
    for (std::size_t i = 0; i < kKeyCount; ++i) {
      pointer[i] = entry + "/" + std::string(kKeyNames[i].en);
      name[i] = std::string(kKeyNames[i].en);
      given[i] = true;
    }
  }

  [[noreturn]] void fail(Key k, const std::string& reason) const { bad(file, pointer[index(k)], reason); }

  [[noreturn]] void missing(Key k) const {
    if (!given[index(k)])
      bad(file, entry, "missing " + in_quotes(en(k)) + " (" + std::string(zh(k)) + ")");
    fail(k, name[index(k)] + " has no value");
  }
};

std::string* text_field(CatalogueEntry& e, Key k) {
  switch (k) {
    case Key::institution: return &e.institution;
    case Key::uscc: return &e.uscc;
    case Key::occupation: return &e.occupation;
    case Key::level: return &e.level;
    case Key::removal_reason: return &e.removal_reason;
    case Key::approved:
    case Key::removed: break;
  }
  return nullptr;
}

// The checks every entry passes, however it was built.
void check(CatalogueEntry& e, const Where& at) {
  for (Key k : {Key::institution, Key::uscc, Key::occupation, Key::level, Key::removal_reason}) {
    const std::string& s = *text_field(e, k);
    // Text that is not UTF-8 cannot be written back out as JSON; GBK from a spreadsheet's
    // default CSV export is the usual cause.
    if (!detail::utf8_valid(s)) at.fail(k, at.name[index(k)] + " is not valid UTF-8 (save the file as UTF-8)");
    if (k != Key::removal_reason && blank(s)) at.missing(k);
  }
  if (std::string why = uscc_problem(e.uscc); !why.empty()) at.fail(Key::uscc, at.name[index(Key::uscc)] + " " + why);
  if (e.removed && *e.removed < e.approved)
    at.fail(Key::removed, at.name[index(Key::removed)] + " " + e.removed->iso() + " is before " +
                              at.name[index(Key::approved)] + " " + e.approved.iso());
  // A reason with no date would read as removed while the entry stays listed.
  if (!e.removed && !blank(e.removal_reason))
    at.fail(Key::removal_reason, at.name[index(Key::removal_reason)] + " is given but " +
                                     at.name[index(Key::removed)] + " is not");
  if (blank(e.removal_reason)) e.removal_reason.clear();
}

// Builds and checks an entry from its fields as text; nullopt or blank text is absent.
CatalogueEntry build(const std::array<std::optional<std::string>, kKeyCount>& raw, const Where& at) {
  CatalogueEntry e;
  for (Key k : {Key::institution, Key::uscc, Key::occupation, Key::level, Key::removal_reason})
    if (raw[index(k)]) *text_field(e, k) = *raw[index(k)];

  const auto& approved = raw[index(Key::approved)];
  if (!approved || blank(*approved)) at.missing(Key::approved);
  if (auto d = Date::parse(*approved))
    e.approved = *d;
  else
    at.fail(Key::approved, at.name[index(Key::approved)] + " " + date_problem(*approved));

  if (const auto& removed = raw[index(Key::removed)]; removed && !blank(*removed)) {
    if (auto d = Date::parse(*removed))
      e.removed = *d;
    else
      at.fail(Key::removed, at.name[index(Key::removed)] + " " + date_problem(*removed));
  }
  check(e, at);
  return e;
}

// ---- CSV ----------------------------------------------------------------------------------

struct Record {
  std::vector<std::string> cells;
  std::size_t line = 0;  // the line the record starts on; quoted line breaks span lines
};

// RFC 4180 records. A quote inside an unquoted cell is kept as text, as spreadsheets do.
std::vector<Record> parse_csv(std::string_view text, const std::string& file) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<Record> records;
  std::size_t i = 0, line = 1;
  const std::size_t n = text.size();
  while (i < n) {
    Record r;
    r.line = line;
    const std::string row = "/row/" + std::to_string(records.size() + 1);
    for (;;) {
      std::string cell;
      if (i < n && text[i] == '"') {
        const std::size_t opened = line;
        ++i;
        for (;;) {
          if (i >= n) bad(file, row, "the quoted value opened on line " + std::to_string(opened) + " is never closed");
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          cell += text[i++];
        }
        if (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
          bad(file, row, "text after a closing quote on line " + std::to_string(line) +
                             " (a quote inside a quoted value is written twice: \"\")");
      } else {
        while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') cell += text[i++];
      }
      r.cells.emplace_back(trim(cell));
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      // End of record: CRLF, LF, a lone CR, or the end of the text.
      if (i < n && text[i] == '\r') ++i;
      if (i < n && text[i] == '\n') ++i;
      ++line;
      break;
    }
    records.push_back(std::move(r));
  }
  return records;
}

bool blank_record(const Record& r) {
  return std::all_of(r.cells.begin(), r.cells.end(), [](const std::string& c) { return c.empty(); });
}

}  // namespace

// ---- statuses -----------------------------------------------------------------------------

std::string_view to_string(ListingStatus status) noexcept {
  switch (status) {
    case ListingStatus::active: return "active";
    case ListingStatus::expired: return "expired";
    case ListingStatus::removed: return "removed";
    case ListingStatus::not_yet_valid: return "not_yet_valid";
  }
  return "unknown";
}

std::optional<ListingStatus> listing_status_from_name(std::string_view name) noexcept {
  for (ListingStatus s : {ListingStatus::active, ListingStatus::expired, ListingStatus::removed,
                          ListingStatus::not_yet_valid})
    if (to_string(s) == name) return s;
  return std::nullopt;
}

nlohmann::json ListingState::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  j["institution"] = entry.institution;
  j["uscc"] = entry.uscc;
  j["occupation"] = entry.occupation;
  j["level"] = entry.level;
  j["approved"] = entry.approved.iso();
  j["removed"] = entry.removed ? nlohmann::json(entry.removed->iso()) : nlohmann::json(nullptr);
  j["removal_reason"] = entry.removal_reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(entry.removal_reason);
  j["status"] = std::string(to_string(status));
  j["valid_from"] = valid_from.iso();
  j["valid_until"] = valid_until.iso();
  j["days_left"] = days_left ? nlohmann::json(*days_left) : nlohmann::json(nullptr);
  return j;
}

// ---- reading ------------------------------------------------------------------------------

Catalogue::Catalogue(std::vector<CatalogueEntry> entries) : entries_(std::move(entries)) {
  static const std::string no_file;
  for (std::size_t i = 0; i < entries_.size(); ++i) check(entries_[i], Where(no_file, "/" + std::to_string(i)));
}

Catalogue Catalogue::from_json(const nlohmann::json& j, const std::string& file) {
  const nlohmann::json* list = &j;
  std::string base;
  if (j.is_object()) {
    auto it = j.find("entries");
    if (it == j.end()) bad(file, "", "expected an array of entries, or an object with an \"entries\" array");
    if (!it->is_array()) bad(file, "/entries", "\"entries\" is " + std::string(it->type_name()) + ", not an array");
    list = &*it;
    base = "/entries";
  } else if (!j.is_array()) {
    bad(file, "", "expected an array of entries, or an object with an \"entries\" array; got " +
                      std::string(j.type_name()));
  }

  Catalogue out;
  out.entries_.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const nlohmann::json& item = (*list)[i];
    Where at(file, base + "/" + std::to_string(i));
    if (!item.is_object()) bad(file, at.entry, "an entry is an object; got " + std::string(item.type_name()));
    at.given.fill(false);
    std::array<std::optional<std::string>, kKeyCount> raw;
    for (auto it = item.begin(); it != item.end(); ++it) {
      const std::string pointer = at.entry + "/" + escape_pointer(it.key());
      std::optional<Key> k = key_from_name(it.key());
      if (!k) bad(file, pointer, "unknown key " + in_quotes(it.key()) + "; the keys are " + accepted_names());
      const std::size_t x = index(*k);
      if (at.given[x])
        bad(file, pointer,
            in_quotes(it.key()) + " repeats " + in_quotes(at.name[x]) + ": give one of " + in_quotes(en(*k)) +
                " and " + in_quotes(zh(*k)));
      at.given[x] = true;
      at.pointer[x] = pointer;
      at.name[x] = it.key();
      if (it->is_null()) continue;  // null reads as absent: "removed": null
      if (!it->is_string())
        bad(file, pointer, it.key() + " must be a string; got " + std::string(it->type_name()));
      raw[x] = it->get<std::string>();
    }
    out.entries_.push_back(build(raw, at));
  }
  return out;
}

Catalogue Catalogue::from_csv(std::string_view text, const std::string& file) {
  std::vector<Record> records = parse_csv(text, file);
  auto row_pointer = [](std::size_t r) { return "/row/" + std::to_string(r + 1); };

  std::size_t header = 0;
  while (header < records.size() && blank_record(records[header])) ++header;
  if (header == records.size())
    bad(file, "", "no header row: the first row names the columns (" + accepted_names() + ")");

  // column -> key, and the header as written, for messages in the file's own words.
  std::vector<Key> columns;
  std::array<std::string, kKeyCount> names;
  std::array<bool, kKeyCount> present{};
  for (std::size_t c = 0; c < records[header].cells.size(); ++c) {
    const std::string& title = records[header].cells[c];
    if (!detail::utf8_valid(title))
      bad(file, row_pointer(header), "the header is not valid UTF-8 (save the file as \"CSV UTF-8\")");
    std::optional<Key> k = key_from_name(title);
    if (!k)
      bad(file, row_pointer(header),
          (title.empty() ? "column " + std::to_string(c + 1) + " has no name"
                         : "unknown column " + in_quotes(title)) +
              "; the columns are " + accepted_names());
    if (present[index(*k)])
      bad(file, row_pointer(header), "two columns for " + in_quotes(en(*k)) + ": " + in_quotes(names[index(*k)]) +
                                         " and " + in_quotes(title));
    present[index(*k)] = true;
    names[index(*k)] = title;
    columns.push_back(*k);
  }
  for (Key k : {Key::institution, Key::uscc, Key::occupation, Key::level, Key::approved})
    if (!present[index(k)])
      bad(file, row_pointer(header), "no column for " + in_quotes(en(k)) + " (" + std::string(zh(k)) + ")");

  Catalogue out;
  for (std::size_t r = header + 1; r < records.size(); ++r) {
    const Record& rec = records[r];
    if (blank_record(rec)) continue;
    Where at(file, row_pointer(r));
    for (std::size_t i = 0; i < kKeyCount; ++i) {
      at.given[i] = present[i];
      if (present[i]) at.name[i] = names[i];
    }
    if (rec.cells.size() != columns.size())
      bad(file, at.entry, "line " + std::to_string(rec.line) + " has " + std::to_string(rec.cells.size()) +
                              " values; the header has " + std::to_string(columns.size()) + " columns");
    std::array<std::optional<std::string>, kKeyCount> raw;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::size_t x = index(columns[c]);
      if (!detail::utf8_valid(rec.cells[c]))
        at.fail(columns[c], at.name[x] + " is not valid UTF-8 (save the file as \"CSV UTF-8\")");
      raw[x] = rec.cells[c];
    }
    out.entries_.push_back(build(raw, at));
  }
  return out;
}

Catalogue Catalogue::load(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) bad(name, "", "cannot read the catalogue file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) bad(name, "", "cannot read the catalogue file");
  const std::string text = buffer.str();

  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  bool json = ext == ".json";
  if (ext != ".json" && ext != ".csv") {
    // No telling extension (a pipe, "catalogue.txt"): a CSV header cannot start with a bracket.
    std::string_view rest = text;
    if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);
    std::size_t first = rest.find_first_not_of(" \t\r\n");
    json = first != std::string_view::npos && (rest[first] == '[' || rest[first] == '{');
  }
  if (!json) return from_csv(text, name);

  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix: the code is ours.
    std::string what = e.what();
    if (auto close = what.find("] "); close != std::string::npos) what.erase(0, close + 2);
    bad(name, "", "not valid JSON: " + what);
  }
  return from_json(j, name);
}

// ---- status -------------------------------------------------------------------------------

std::vector<ListingState> Catalogue::at(Date as_of, const RulePack& pack) const {
  std::vector<ListingState> out;
  out.reserve(entries_.size());
  for (const CatalogueEntry& e : entries_) {
    Validity v = pack.validity(e.approved);
    ListingState s{e, ListingStatus::active, v.from, v.until, std::nullopt};
    // Removal wins over every other status: once the catalogue drops an entry, its
    // remaining validity no longer matters, and the removal day is the first day off the list.
    if (e.removed && *e.removed <= as_of)
      s.status = ListingStatus::removed;
    // valid_from is the approval day: the notice counts validity from the approval time,
    // though the Civil Code's count of the 3 years starts the next day (it sets the end).
    else if (as_of < v.from)
      s.status = ListingStatus::not_yet_valid;
    else if (as_of > v.until)
      s.status = ListingStatus::expired;
    else
      s.days_left = days_between(as_of, v.until);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<ListingState> Catalogue::expiring_within(Date as_of, std::int64_t days, const RulePack& pack) const {
  if (days < 0)
    throw Error("invalid_argument", "", "", "expiring_within needs days >= 0; got " + std::to_string(days));
  std::vector<ListingState> all = at(as_of, pack);
  std::vector<ListingState> out;
  for (ListingState& s : all)
    if (s.status == ListingStatus::active && *s.days_left <= days) out.push_back(std::move(s));
  std::stable_sort(out.begin(), out.end(),
                   [](const ListingState& a, const ListingState& b) { return a.valid_until < b.valid_until; });
  return out;
}

}  // namespace qualify
