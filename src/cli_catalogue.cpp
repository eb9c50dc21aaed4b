// `qualify catalogue`: where each listing of the training-institution catalogue stands on a
// day (active, expired, removed, not yet valid), and which listings expire soon.
#include <cstddef>  // ptrdiff_t
#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "qualify/catalogue.hpp"

namespace qualify::cli {

namespace {

const char* kCatalogueHelp = R"(usage: qualify catalogue --pack DIR FILE --as-of DATE [options]

Reads a catalogue of listed training institutions and shows where each listing stands on
DATE: active, expired (the 3-year listing period from the online approval has ended, by the
pack's end rule), removed, or not yet valid. FILE (or - for standard input) is JSON, or CSV
with the columns 单位名称,统一社会信用代码,职业,等级,审核通过时间,移出时间,移出原因 or their
English keys institution,uscc,occupation,level,approved,removed,removal_reason.

options:
  --pack DIR               rule pack folder or bundled id: its dates.json sets the period (required)
  --as-of DATE             the day asked about (YYYY-MM-DD, required)
  --expiring-within DAYS   only active listings whose last valid day is at most DAYS days
                           after DATE, soonest first
  --format F               table (default on a terminal), json (default otherwise: an
                           array of listings), jsonl (one per line) or csv
  --lang zh|en             language of table headings and labels (default zh)
  --bom                    csv: begin with a UTF-8 byte order mark, for Excel
  --width N                table: fit N columns (default: the terminal's width; 0 = no limit)

examples:
  qualify catalogue --pack chongqing-dte-2025 examples/catalogue.csv --as-of 2026-03-01
  qualify catalogue --pack chongqing-dte-2025 examples/catalogue.json --as-of 2026-03-01 --expiring-within 90
)";

const char* listing_color(ListingStatus s) {
  switch (s) {
    case ListingStatus::active: return "32";
    case ListingStatus::expired: return "33";
    case ListingStatus::removed: return "31";
    case ListingStatus::not_yet_valid: return "36";
  }
  return nullptr;
}

}  // namespace

int cmd_catalogue(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, "catalogue", {"pack", "as-of", "expiring-within", "format", "lang", "width"}, {"bom"});
  if (a.help) {
    std::cout << kCatalogueHelp;
    return kOk;
  }
  std::string format = format_option(a, {"table", "json", "jsonl", "csv"}, stdout_is_terminal() ? "table" : "json");
  Lang lang = lang_option(a);
  Date as_of = need_date(a, "as-of");
  std::optional<long> within;
  if (a.has("expiring-within")) within = int_option(a, "expiring-within", 0, 3660000, 0);
  if (a.has("width")) int_option(a, "width", 0, 10000, 0);
  if (a.positional.size() != 1)
    throw Usage{a.positional.empty() ? "name the catalogue file (JSON or CSV)" : "name one catalogue file, not " + std::to_string(a.positional.size())};
  RulePack pack = load_pack(a);
  Catalogue catalogue;
  if (a.positional[0] == "-") {
    // Standard input: JSON when it starts with [ or {, CSV otherwise, as `load` decides.
    std::ostringstream in;
    in << std::cin.rdbuf();
    std::string text = in.str();
    std::size_t first = text.find_first_not_of(" \t\r\n");
    if (text.compare(0, 3, kBom) == 0) first = text.find_first_not_of(" \t\r\n", 3);
    if (first != std::string::npos && (text[first] == '[' || text[first] == '{')) {
      nlohmann::json j = nlohmann::json::parse(text.begin() + static_cast<std::ptrdiff_t>(first), text.end(), nullptr, false);
      if (j.is_discarded()) throw Error("bad_catalogue", "-", "", "standard input is not valid JSON");
      catalogue = Catalogue::from_json(j, "-");
    } else {
      catalogue = Catalogue::from_csv(text, "-");
    }
  } else {
    catalogue = Catalogue::load(a.positional[0]);
  }
  std::vector<ListingState> states = within ? catalogue.expiring_within(as_of, *within, pack) : catalogue.at(as_of, pack);

  if (format == "json") {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& s : states) all.push_back(s.to_json());
    std::cout << all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else if (format == "jsonl") {
    for (const auto& s : states) std::cout << s.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else if (format == "csv") {
    if (a.has("bom")) std::cout << kBom;
    write_csv_row(std::cout, {"institution", "uscc", "occupation", "level", "approved", "removed", "removal_reason", "status",
                              "valid_from", "valid_until", "days_left"});
    for (const auto& s : states)
      write_csv_row(std::cout, {s.entry.institution, s.entry.uscc, s.entry.occupation, s.entry.level, s.entry.approved.iso(),
                                s.entry.removed ? s.entry.removed->iso() : "", s.entry.removal_reason,
                                std::string(to_string(s.status)), s.valid_from.iso(), s.valid_until.iso(),
                                s.days_left ? std::to_string(*s.days_left) : ""});
  } else {
    std::vector<Column> columns = {
        {tr(lang, "单位名称", "institution"), false, 30, 8},
        {tr(lang, "统一社会信用代码", "uscc"), false, 18, 18},
        {tr(lang, "职业", "occupation"), false, 22, 6},
        {tr(lang, "等级", "level"), false, 12, 10},
        {tr(lang, "审核通过", "approved"), false, 0, 10},
        {tr(lang, "有效期至", "valid until"), false, 0, 11},
        {tr(lang, "状态", "status"), false, 0, 13},
        {tr(lang, "剩余天数", "days left"), true, 0, 8},
        {tr(lang, "移出", "removed"), false, 30, 6},
    };
    std::vector<std::vector<Cell>> rows;
    int counts[4] = {0, 0, 0, 0};
    for (const auto& s : states) {
      ++counts[static_cast<int>(s.status)];
      std::string removed = s.entry.removed ? s.entry.removed->iso() : "";
      if (!s.entry.removal_reason.empty()) removed += (removed.empty() ? "" : " ") + s.entry.removal_reason;
      rows.push_back({{s.entry.institution},
                      {s.entry.uscc},
                      {s.entry.occupation},
                      {s.entry.level},
                      {s.entry.approved.iso()},
                      {s.valid_until.iso()},
                      {listing_label(to_string(s.status), lang), listing_color(s.status)},
                      {s.days_left ? std::to_string(*s.days_left) : ""},
                      {removed}});
    }
    write_table(std::cout, columns, rows, table_width(a), use_color());
    std::ostringstream line;
    if (within) {
      if (lang == Lang::zh)
        line << as_of.iso() << " 起 " << *within << " 天内到期的有效条目 " << states.size() << " 条（目录共 "
             << catalogue.entries().size() << " 条）";
      else
        line << states.size() << " active listings expire within " << *within << " days of " << as_of.iso() << " (of "
             << catalogue.entries().size() << " in the catalogue)";
    } else if (lang == Lang::zh) {
      line << "目录共 " << states.size() << " 条（" << as_of.iso() << "）：有效 " << counts[0] << "，已到期 " << counts[1]
           << "，已移出 " << counts[2] << "，未生效 " << counts[3];
    } else {
      line << states.size() << " listings on " << as_of.iso() << ": " << counts[0] << " active, " << counts[1] << " expired, "
           << counts[2] << " removed, " << counts[3] << " not yet valid";
    }
    std::cout << line.str() << "\n";
  }
  std::cout.flush();
  return std::cout ? kOk : kFailure;
}

}  // namespace qualify::cli
