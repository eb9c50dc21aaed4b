// Loading a rule pack: read the files, resolve `extends`, compile every expression once,
// order the rules so references come first, and digest the sources.
#include <algorithm>
#include <cstdint>
#include <cstdlib>  // getenv
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <utility>

#include "qualify/detail/json_errors.hpp"
#include "qualify/detail/pack_data.hpp"
#include "qualify/detail/scoring.hpp"
#include "qualify/detail/sha256.hpp"
#include "qualify/detail/validators.hpp"
#include "qualify/error.hpp"
#include "qualify/pack.hpp"

namespace qualify {

namespace detail {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void pack_fail(const std::string& code, const std::string& file, const std::string& pointer,
                            const std::string& reason) {
  throw PackError(code, file, pointer, reason);
}

// A pack names its own files, so a hostile one could name /dev/zero or a huge file: only
// regular files up to `max_bytes` are read (see Loader::max_file_bytes).
std::string read_text(const fs::path& file, std::size_t max_bytes) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) pack_fail("unreadable", file.string(), "", "not a regular file");
  std::uintmax_t size = fs::file_size(file, ec);
  if (ec) pack_fail("unreadable", file.string(), "", "cannot read the file: " + ec.message());
  if (size > max_bytes)
    pack_fail("too_large", file.string(), "",
              "file of " + std::to_string(size) + " bytes is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  std::ifstream in(file, std::ios::binary);
  if (!in) pack_fail("unreadable", file.string(), "", "cannot read the file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// nlohmann parses any depth, but copying, comparing and printing its values recurse: a file
// nested deeper than `max_depth` is refused before it is parsed.
void check_depth(const std::string& text, const fs::path& file, std::size_t max_depth) {
  std::size_t depth = 0, line = 1, column = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
    }
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        pack_fail("too_deep", file.string(), "",
                  "nesting deeper than " + std::to_string(max_depth) + " levels at line " + std::to_string(line) +
                      ", column " + std::to_string(column));
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

nlohmann::json parse_json(const std::string& text, const fs::path& file, std::size_t max_depth) {
  check_depth(text, file, max_depth);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    pack_fail("parse_error", file.string(), "", json_error_reason(e));
  }
}

// A pack as read from one folder, before `extends` is resolved.
struct RawPack {
  fs::path dir;
  nlohmann::json manifest;
  std::map<std::string, std::string> sources;  // file (relative to the top pack) -> text
  std::optional<std::pair<nlohmann::json, std::string>> schema, eligibility, scoring, dates;
};

// Members of a pack's objects, type-checked: a value of the wrong type is a PackError naming
// the file and pointer (nlohmann's own `value()` would throw its type_error instead).
std::string string_member(const nlohmann::json& j, const char* key, const std::string& fallback,
                          const std::string& file, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (!it->is_string()) pack_fail("bad_value", file, where + "/" + key, std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

bool bool_member(const nlohmann::json& j, const char* key, bool fallback, const std::string& file,
                 const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (!it->is_boolean()) pack_fail("bad_value", file, where + "/" + key, std::string("\"") + key + "\" must be true or false");
  return it->get<bool>();
}

int int_member(const nlohmann::json& j, const char* key, int fallback, int min, int max, const std::string& file,
               const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (!it->is_number_integer() || it->get<std::int64_t>() < min || it->get<std::int64_t>() > max ||
      (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)))
    pack_fail("bad_value", file, where + "/" + key,
              std::string("\"") + key + "\" must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  return it->get<int>();
}

Message message_from(const nlohmann::json& j) {
  Message m;
  if (j.is_object()) {
    if (auto it = j.find("zh"); it != j.end() && it->is_string()) m.zh = it->get<std::string>();
    if (auto it = j.find("en"); it != j.end() && it->is_string()) m.en = it->get<std::string>();
  } else if (j.is_string()) {
    m.zh = j.get<std::string>();
  }
  return m;
}

class Loader {
 public:
  explicit Loader(const Limits& limits) : limits_(limits) {}

  // How deeply a pack file may nest: an expression level takes two (operator object and
  // argument list), and a rule sits a few levels into its file.
  std::size_t max_file_depth() const { return 2 * limits_.max_expression_depth + 16; }
  // How large a pack file may be: as large as an application, and at least 64 MiB, so a
  // service that takes only small applications still loads its packs.
  std::size_t max_file_bytes() const { return std::max(limits_.max_document_bytes, std::size_t{64} << 20); }

  std::shared_ptr<PackData> load(const fs::path& dir) {
    auto pack = std::make_shared<PackData>();
    pack->limits = limits_;
    pack->directory = dir;
    std::vector<RawPack> chain;  // the pack, then what it extends, and so on
    read_chain(dir, chain);
    merge(chain, *pack);
    return pack;
  }

 private:
  void read_chain(const fs::path& dir, std::vector<RawPack>& chain) {
    fs::path canonical = fs::weakly_canonical(dir);
    for (const RawPack& seen : chain)
      if (fs::weakly_canonical(seen.dir) == canonical)
        pack_fail("extends_cycle", (dir / "pack.json").string(), "/extends",
                  "packs extend each other in a cycle");
    RawPack raw;
    raw.dir = dir;
    fs::path manifest_file = dir / "pack.json";
    if (!fs::exists(manifest_file))
      pack_fail("not_a_pack", dir.string(), "", "no pack.json in this folder");
    std::string text = read_text(manifest_file, max_file_bytes());
    raw.manifest = parse_json(text, manifest_file, max_file_depth());
    if (!raw.manifest.is_object()) pack_fail("bad_manifest", manifest_file.string(), "", "pack.json must be an object");
    raw.sources[relative(manifest_file)] = text;
    auto optional_file = [&](const char* name) -> std::optional<std::pair<nlohmann::json, std::string>> {
      fs::path f = dir / name;
      if (!fs::exists(f)) return std::nullopt;
      std::string t = read_text(f, max_file_bytes());
      raw.sources[relative(f)] = t;
      return std::make_pair(parse_json(t, f, max_file_depth()), f.string());
    };
    raw.schema = optional_file("schema.json");
    raw.eligibility = optional_file("eligibility.json");
    raw.scoring = optional_file("scoring.json");
    raw.dates = optional_file("dates.json");
    chain.push_back(std::move(raw));
    const nlohmann::json& manifest = chain.back().manifest;
    if (auto ext = manifest.find("extends"); ext != manifest.end() && !ext->is_null()) {
      if (!ext->is_string())
        pack_fail("bad_manifest", manifest_file.string(), "/extends", "\"extends\" must name a folder or a pack id");
      fs::path parent = ext->get<std::string>();
      fs::path resolved = parent.is_relative() && fs::exists(dir / parent) ? dir / parent : RulePack::locate(parent);
      read_chain(resolved, chain);
    }
  }

  std::string relative(const fs::path& file) const {
    return file.lexically_normal().string();
  }

  void merge(std::vector<RawPack>& chain, PackData& pack) {
    const RawPack& top = chain.front();
    fs::path manifest_file = top.dir / "pack.json";
    const nlohmann::json& m = top.manifest;
    static const std::set<std::string> manifest_keys = {
        "id", "version", "title", "authority", "document", "issued_on", "extends", "parameters", "data", "description", "source"};
    for (auto it = m.begin(); it != m.end(); ++it)
      if (!manifest_keys.count(it.key()))
        pack_fail("unknown_key", manifest_file.string(), "/" + it.key(), "unknown key \"" + it.key() + "\" in pack.json");
    auto need_string = [&](const char* key) {
      auto it = m.find(key);
      if (it == m.end() || !it->is_string() || it->get<std::string>().empty())
        pack_fail("bad_manifest", manifest_file.string(), std::string("/") + key,
                  std::string("pack.json needs \"") + key + "\" as a non-empty string");
      return it->get<std::string>();
    };
    pack.info.id = need_string("id");
    pack.info.version = need_string("version");
    pack.manifest = m;
    pack.title = message_from(m.value("title", nlohmann::json()));
    pack.authority = message_from(m.value("authority", nlohmann::json()));
    pack.document = string_member(m, "document", std::string(), manifest_file.string(), "");

    // Later (extending) packs override earlier ones: walk from the root ancestor down.
    std::map<std::string, nlohmann::json> data_entries;  // name -> {file (absolute), key}
    std::vector<std::pair<nlohmann::json, std::string>> rule_files;
    std::optional<std::pair<nlohmann::json, std::string>> schema, scoring;
    nlohmann::json dates = nlohmann::json::object();
    std::string dates_file;
    for (auto raw = chain.rbegin(); raw != chain.rend(); ++raw) {
      fs::path file = raw->dir / "pack.json";
      for (auto& [name, text] : raw->sources) pack.sources[name] = text;
      if (auto p = raw->manifest.find("parameters"); p != raw->manifest.end()) {
        if (!p->is_object()) pack_fail("bad_manifest", file.string(), "/parameters", "\"parameters\" must be an object");
        for (auto it = p->begin(); it != p->end(); ++it) {
          std::string where = "/parameters/" + it.key();
          if (!it->is_object() || !it->contains("value"))
            pack_fail("bad_parameter", file.string(), where, "a parameter is {\"value\": ..., \"description\": {\"zh\", \"en\"}}");
          Parameter param{(*it)["value"], message_from(it->value("description", nlohmann::json())), file.string(), where};
          pack.parameters[it.key()] = param;
        }
      }
      if (auto d = raw->manifest.find("data"); d != raw->manifest.end()) {
        if (!d->is_object()) pack_fail("bad_manifest", file.string(), "/data", "\"data\" must be an object");
        for (auto it = d->begin(); it != d->end(); ++it) {
          std::string where = "/data/" + it.key();
          if (!it->is_object() || !it->contains("file") || !(*it)["file"].is_string())
            pack_fail("bad_data", file.string(), where, "a data entry is {\"file\": \"data/x.json\", \"key\": \"code\"}");
          nlohmann::json entry = *it;
          entry["file"] = (raw->dir / (*it)["file"].get<std::string>()).string();
          entry["declared_in"] = file.string();
          entry["pointer"] = where;
          data_entries[it.key()] = entry;
        }
      }
      if (raw->schema) schema = raw->schema;
      if (raw->scoring) scoring = raw->scoring;
      if (raw->eligibility) rule_files.push_back(*raw->eligibility);
      if (raw->dates) {
        if (!raw->dates->first.is_object()) pack_fail("bad_dates", raw->dates->second, "", "dates.json must be an object");
        for (auto it = raw->dates->first.begin(); it != raw->dates->first.end(); ++it) {
          nlohmann::json v = *it;
          if (it.key() == "calendar" && v.is_string()) v = (raw->dir / v.get<std::string>()).string();
          dates[it.key()] = v;
        }
        dates_file = raw->dates->second;
      }
    }
    for (auto& [name, p] : pack.parameters) pack.parameter_values[name] = p.value;

    load_data_sets(data_entries, pack);
    load_dates(dates, dates_file, pack);
    if (schema) {
      pack.schema = Schema::from_json(schema->first, schema->second, pack.sets);
    } else {
      // Without a form nothing checks `var` paths: allowed, but the author should know.
      pack.lint.push_back({"warning", "no_schema", (top.dir / "schema.json").string(), "",
                           "the pack has no schema.json, so field names in rules are not checked"});
    }
    if (scoring) {
      pack.scoring = scoring->first;
      pack.scoring_file = scoring->second;
    }

    pack.environment.calendar = &pack.calendar;
    if (auto it = pack.sets.find("gbt4754"); it != pack.sets.end()) pack.environment.gbt4754 = it->second;

    compile_rules(schema ? schema->first : nlohmann::json::object(), schema ? schema->second : std::string(),
                  rule_files, pack);
    if (!pack.scoring.empty()) pack.scoring_model = compile_scoring(pack);
    digest(pack);
  }

  void load_data_sets(const std::map<std::string, nlohmann::json>& entries, PackData& pack) {
    for (const auto& [name, entry] : entries) {
      fs::path file = entry["file"].get<std::string>();
      std::string text = read_text(file, max_file_bytes());
      pack.sources[file.lexically_normal().string()] = text;
      nlohmann::json data = parse_json(text, file, max_file_depth());
      const std::string declared_in = entry["declared_in"].get<std::string>();
      const std::string where = entry["pointer"].get<std::string>();
      std::string key = string_member(entry, "key", std::string(), declared_in, where);
      auto set = std::make_shared<std::unordered_set<std::string>>();
      if (!data.is_array()) pack_fail("bad_data", file.string(), "", "a data file is a JSON array");
      for (std::size_t i = 0; i < data.size(); ++i) {
        const nlohmann::json& item = data[i];
        if (item.is_string()) {
          set->insert(item.get<std::string>());
        } else if (item.is_object() && !key.empty() && item.contains(key) && item[key].is_string()) {
          set->insert(item[key].get<std::string>());
        } else {
          pack_fail("bad_data", file.string(), "/" + std::to_string(i),
                    key.empty() ? "expected a string" : "expected an object with a string \"" + key + "\"");
        }
      }
      // Forms write an industry as "P8391" (section letter and class, as in DESIGN.md) as often
      // as "8391"; "section_prefix" accepts both, finding each code's section via "parent".
      if (bool_member(entry, "section_prefix", false, declared_in, where)) {
        std::map<std::string, std::string> parent;
        for (const auto& item : data)
          if (item.is_object() && item.contains(key) && item.contains("parent") && item["parent"].is_string())
            parent[item[key].get<std::string>()] = item["parent"].get<std::string>();
        std::vector<std::string> prefixed;
        for (const std::string& code : *set) {
          std::string top = code;
          for (int guard = 0; guard < 8 && parent.count(top); ++guard) top = parent[top];
          if (top != code && top.size() == 1) prefixed.push_back(top + code);
        }
        set->insert(prefixed.begin(), prefixed.end());
      }
      // A bureau may add names (a new district) in the manifest without editing the file.
      if (auto extra = entry.find("add"); extra != entry.end() && extra->is_array())
        for (const auto& e : *extra)
          if (e.is_string()) set->insert(e.get<std::string>());
      pack.sets[name] = set;
    }
  }

  void load_dates(const nlohmann::json& dates, const std::string& file, PackData& pack) {
    DateSettings& s = pack.dates;
    s.raw = dates;
    static const std::set<std::string> keys = {"calendar", "deadline", "publicity", "validity", "description"};
    for (auto it = dates.begin(); it != dates.end(); ++it)
      if (!keys.count(it.key())) pack_fail("unknown_key", file, "/" + it.key(), "unknown key \"" + it.key() + "\" in dates.json");
    if (auto c = dates.find("calendar"); c != dates.end()) {
      if (!c->is_string()) pack_fail("bad_dates", file, "/calendar", "\"calendar\" names the holiday calendar file");
      fs::path cal = c->get<std::string>();
      std::string text = read_text(cal, max_file_bytes());
      pack.sources[cal.lexically_normal().string()] = text;
      pack.calendar = Calendar::from_json(parse_json(text, cal, max_file_depth()), cal.string());
    }
    auto need_object = [&](const char* key) -> const nlohmann::json* {
      auto it = dates.find(key);
      if (it == dates.end()) return nullptr;
      if (!it->is_object()) pack_fail("bad_dates", file, std::string("/") + key, std::string("\"") + key + "\" must be an object");
      return &*it;
    };
    if (const nlohmann::json* d = need_object("deadline")) {
      // The date may name a parameter, so the deadline is written in one place.
      nlohmann::json raw_date = d->value("date", nlohmann::json());
      if (raw_date.is_object() && raw_date.contains("param")) {
        auto p = pack.parameters.find(raw_date["param"].is_string() ? raw_date["param"].get<std::string>() : "");
        if (p == pack.parameters.end()) pack_fail("unknown_parameter", file, "/deadline/date", "unknown parameter " + raw_date["param"].dump());
        raw_date = p->second.value;
      }
      auto date = raw_date.is_string() ? raw_date.get<std::string>() : std::string();
      auto parsed = Date::parse(date);
      if (!parsed) pack_fail("bad_dates", file, "/deadline/date", "\"" + date + "\" is not a date (YYYY-MM-DD)");
      s.deadline = parsed;
      s.deadline_field = string_member(*d, "field", s.deadline_field, file, "/deadline");
      s.deadline_extends_past_rest_days = bool_member(*d, "extend_past_rest_days", false, file, "/deadline");
    }
    if (const nlohmann::json* p = need_object("publicity"))
      s.publicity_days = int_member(*p, "working_days", 5, 1, 100000, file, "/publicity");
    if (const nlohmann::json* v = need_object("validity")) {
      s.validity_years = int_member(*v, "years", 0, 0, 1000, file, "/validity");
      s.validity_months = int_member(*v, "months", 0, 0, 12000, file, "/validity");
      std::string rule = string_member(*v, "end_rule", "civil_code", file, "/validity");
      auto end = period_end_from_name(rule);
      if (!end) pack_fail("bad_dates", file, "/validity/end_rule", "unknown end rule \"" + rule + "\" (civil_code, day_before, next_day_if_missing)");
      s.validity_end = *end;
      s.validity_from_field = string_member(*v, "from_field", s.validity_from_field, file, "/validity");
    }
  }

  Severity parse_severity(const nlohmann::json& j, const std::string& file, const std::string& where, PackData& pack,
                          std::set<std::string>& used) {
    const nlohmann::json* v = &j;
    if (j.is_object() && j.size() == 1 && j.contains("param")) {
      std::string name = j["param"].is_string() ? j["param"].get<std::string>() : "";
      auto it = pack.parameters.find(name);
      if (it == pack.parameters.end()) pack_fail("unknown_parameter", file, where, "unknown parameter \"" + name + "\"");
      used.insert(name);
      v = &it->second.value;
    }
    auto s = v->is_string() ? severity_from_string(v->get<std::string>()) : std::nullopt;
    if (!s) pack_fail("bad_rule", file, where, "severity must be \"hard\", \"soft\" or \"info\"");
    return *s;
  }

  std::optional<Message> parse_message(const nlohmann::json& rule, const char* key, const std::string& file,
                                       const std::string& where) {
    auto ms = rule.find("messages");
    if (ms == rule.end()) return std::nullopt;
    auto it = ms->find(key);
    if (it == ms->end()) return std::nullopt;
    if (!it->is_object()) pack_fail("bad_rule", file, where + "/messages/" + key, "a message is {\"zh\": ..., \"en\": ...}");
    return message_from(*it);
  }

  void compile_rules(const nlohmann::json& schema_json, const std::string& schema_file,
                     const std::vector<std::pair<nlohmann::json, std::string>>& rule_files, PackData& pack) {
    // Gather the rule objects: schema checks first, then eligibility files, ancestors first;
    // a later rule with the same id replaces the earlier one in place.
    struct Source {
      nlohmann::json rule;
      std::string file;
      std::string pointer;
      bool from_schema;
    };
    std::vector<Source> sources;
    std::map<std::string, std::size_t> by_id;
    auto add = [&](const nlohmann::json& list, const std::string& file, const std::string& base, bool from_schema) {
      if (!list.is_array()) pack_fail("bad_rules", file, base, "rules are a JSON array");
      for (std::size_t i = 0; i < list.size(); ++i) {
        const nlohmann::json& r = list[i];
        std::string where = base + "/" + std::to_string(i);
        if (!r.is_object() || !r.contains("id") || !r["id"].is_string() || r["id"].get<std::string>().empty())
          pack_fail("bad_rule", file, where, "a rule is an object with a non-empty string \"id\"");
        bool_member(r, "disabled", false, file, where);
        std::string id = r["id"].get<std::string>();
        auto seen = by_id.find(id);
        if (seen != by_id.end()) {
          if (sources[seen->second].file == file)
            pack_fail("duplicate_rule", file, where, "rule id \"" + id + "\" is used twice");
          sources[seen->second] = {r, file, where, from_schema};  // an override by id
        } else {
          by_id[id] = sources.size();
          sources.push_back({r, file, where, from_schema});
        }
      }
    };
    if (auto c = schema_json.find("checks"); c != schema_json.end()) add(*c, schema_file, "/checks", true);
    for (const auto& [j, file] : rule_files) {
      if (!j.is_object() || !j.contains("rules"))
        pack_fail("bad_rules", file, "", "eligibility.json is {\"rules\": [...]}");
      add(j["rules"], file, "/rules", false);
    }
    // A rule marked {"id": ..., "disabled": true} in an extending pack removes the rule.
    std::erase_if(sources, [](const Source& s) { return s.rule.value("disabled", false); });
    by_id.clear();
    for (std::size_t i = 0; i < sources.size(); ++i) by_id[sources[i].rule["id"].get<std::string>()] = i;

    static const std::set<std::string> rule_keys = {"id", "clause", "severity", "title", "condition", "all", "any", "none",
                                                    "at_least", "applies_when", "pointer", "values", "messages", "description", "disabled"};
    std::vector<Rule> rules(sources.size());
    std::vector<std::vector<int>> deps(sources.size());
    std::set<std::string> used_parameters;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const nlohmann::json& r = sources[i].rule;
      const std::string& file = sources[i].file;
      const std::string& where = sources[i].pointer;
      Rule& rule = rules[i];
      rule.id = r["id"].get<std::string>();
      rule.file = file;
      rule.json_pointer = where;
      rule.from_schema = sources[i].from_schema;
      for (auto it = r.begin(); it != r.end(); ++it)
        if (!rule_keys.count(it.key()))
          pack_fail("unknown_key", file, where + "/" + it.key(), "unknown key \"" + it.key() + "\" in rule \"" + rule.id + "\"");
      rule.clause = string_member(r, "clause", std::string(), file, where);
      rule.kept_id = intern(rule.id);
      rule.kept_clause = intern(rule.clause);
      rule.severity = r.contains("severity") ? parse_severity(r["severity"], file, where + "/severity", pack, used_parameters)
                                             : Severity::hard;
      rule.title = message_from(r.value("title", nlohmann::json()));
      rule.pointer = string_member(r, "pointer", std::string(), file, where);
      CompileOptions options;
      options.file = file;
      options.limits = limits_;
      options.fields = &pack.schema.fields();
      options.parameters = &pack.parameter_values;
      options.used_parameters = &used_parameters;
      auto compile = [&](const nlohmann::json& logic, const std::string& at) {
        options.pointer = at;
        return Expression::compile(logic, options);
      };
      int bodies = 0;
      for (const char* key : {"condition", "all", "any", "none", "at_least"}) bodies += r.contains(key) ? 1 : 0;
      if (bodies != 1)
        pack_fail("bad_rule", file, where, "rule \"" + rule.id + "\" needs exactly one of condition, all, any, none, at_least");
      auto items_from = [&](const nlohmann::json& list, const std::string& at) {
        if (!list.is_array() || list.empty()) pack_fail("bad_rule", file, at, "a composition lists rule ids or conditions");
        for (std::size_t k = 0; k < list.size(); ++k) {
          RuleItem item;
          if (list[k].is_string()) {
            auto ref = by_id.find(list[k].get<std::string>());
            if (ref == by_id.end())
              pack_fail("unknown_rule", file, at + "/" + std::to_string(k), "no rule with id \"" + list[k].get<std::string>() + "\"");
            item.rule = static_cast<int>(ref->second);
            deps[i].push_back(item.rule);
          } else {
            item.condition = compile(list[k], at + "/" + std::to_string(k));
          }
          rule.items.push_back(std::move(item));
        }
      };
      if (r.contains("condition")) {
        rule.body = Body::condition;
        rule.condition = compile(r["condition"], where + "/condition");
      } else if (r.contains("all")) {
        rule.body = Body::all;
        items_from(r["all"], where + "/all");
      } else if (r.contains("any")) {
        rule.body = Body::any;
        items_from(r["any"], where + "/any");
      } else if (r.contains("none")) {
        rule.body = Body::none;
        items_from(r["none"], where + "/none");
      } else {
        rule.body = Body::at_least;
        const nlohmann::json& a = r["at_least"];
        if (!a.is_object() || !a.contains("count") || !a["count"].is_number_integer() || !a.contains("of"))
          pack_fail("bad_rule", file, where + "/at_least", "at_least is {\"count\": n, \"of\": [...]}");
        rule.at_least = a["count"].get<int>();
        items_from(a["of"], where + "/at_least/of");
      }
      if (r.contains("applies_when")) rule.applies_when = compile(r["applies_when"], where + "/applies_when");
      if (auto v = r.find("values"); v != r.end()) {
        if (!v->is_object()) pack_fail("bad_rule", file, where + "/values", "values is an object of named expressions");
        for (auto it = v->begin(); it != v->end(); ++it)
          rule.values.emplace_back(it.key(), compile(*it, where + "/values/" + it.key()));
      }
      rule.messages.pass = parse_message(r, "pass", file, where);
      rule.messages.fail = parse_message(r, "fail", file, where);
      rule.messages.unknown = parse_message(r, "unknown", file, where);
      rule.messages.not_applicable = parse_message(r, "not_applicable", file, where);
    }
    // Order: a referenced rule before the rules that use it; a cycle is an error.
    std::vector<int> state(rules.size(), 0), order;
    std::function<void(int, std::vector<int>&)> visit = [&](int n, std::vector<int>& path) {
      if (state[n] == 2) return;
      if (state[n] == 1) {
        std::string cycle;
        for (int p : path) cycle += rules[p].id + " -> ";
        pack_fail("rule_cycle", rules[n].file, rules[n].json_pointer, "rules refer to each other in a cycle: " + cycle + rules[n].id);
      }
      state[n] = 1;
      path.push_back(n);
      for (int d : deps[n]) visit(d, path);
      path.pop_back();
      state[n] = 2;
      order.push_back(n);
    };
    for (std::size_t i = 0; i < rules.size(); ++i) {
      std::vector<int> path;
      visit(static_cast<int>(i), path);
    }
    std::vector<int> new_index(rules.size());
    for (std::size_t k = 0; k < order.size(); ++k) new_index[order[k]] = static_cast<int>(k);
    for (int old : order) {
      Rule r = std::move(rules[old]);
      for (RuleItem& item : r.items)
        if (item.rule >= 0) item.rule = new_index[item.rule];
      pack.rules.push_back(std::move(r));
    }
    for (const auto& [name, p] : pack.parameters)
      if (!used_parameters.count(name) && !parameter_used_elsewhere(name, pack))
        pack.lint.push_back({"warning", "unused_parameter", p.file, p.json_pointer, "parameter \"" + name + "\" is never used"});
  }

  // Parameters may also be read by the scoring rubric or the date settings.
  static bool parameter_used_elsewhere(const std::string& name, const PackData& pack) {
    std::string needle = "\"param\":\"" + name + "\"";
    return pack.scoring.dump().find(needle) != std::string::npos || pack.dates.raw.dump().find(needle) != std::string::npos;
  }

  void digest(PackData& pack) {
    // Names relative to the pack folder, so the digest does not depend on where it lies.
    Sha256 sha;
    fs::path base = pack.directory.lexically_normal();
    for (const auto& [name, text] : pack.sources) {
      std::string rel = fs::path(name).lexically_relative(base).generic_string();
      sha.update(rel);
      sha.update(std::string_view("\0", 1));
      sha.update(std::to_string(text.size()));
      sha.update(std::string_view("\0", 1));
      sha.update(text);
    }
    pack.info.sha256 = sha.hex();
  }

  Limits limits_;
};

}  // namespace
}  // namespace detail

std::filesystem::path RulePack::locate(const std::filesystem::path& dir_or_id) {
  namespace fs = std::filesystem;
  if (fs::is_directory(dir_or_id)) return dir_or_id;
  std::string id = dir_or_id.string();
  bool is_id = !id.empty() && id.find('/') == std::string::npos && id.find('\\') == std::string::npos;
  if (is_id) {
    std::vector<fs::path> roots;
    if (const char* env = std::getenv("QUALIFY_PACK_PATH")) {
      std::string paths = env;
      std::size_t start = 0;
      while (start <= paths.size()) {
        std::size_t colon = paths.find(':', start);
        std::string p = paths.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (!p.empty()) roots.emplace_back(p);
        if (colon == std::string::npos) break;
        start = colon + 1;
      }
    }
#ifdef QUALIFY_SOURCE_RULES_DIR
    roots.emplace_back(QUALIFY_SOURCE_RULES_DIR);
#endif
#ifdef QUALIFY_INSTALL_RULES_DIR
    roots.emplace_back(QUALIFY_INSTALL_RULES_DIR);
#endif
    for (const fs::path& root : roots)
      if (fs::is_directory(root / id)) return root / id;
  }
  throw PackError("pack_not_found", id, "", is_id ? "no such folder and no bundled pack with this id" : "no such folder");
}

RulePack RulePack::load(const std::filesystem::path& dir, const Limits& limits) {
  std::filesystem::path folder = locate(dir);
  // A limit of 0 would refuse every application or starve every rule: a caller's mistake,
  // said at load rather than as a pack whose every decision is unknown.
  for (const auto& [name, value] : {std::pair<const char*, std::uint64_t>{"max_document_bytes", limits.max_document_bytes},
                                    {"max_data_depth", limits.max_data_depth},
                                    {"max_expression_depth", limits.max_expression_depth},
                                    {"max_steps", limits.max_steps}})
    if (value == 0)
      throw PackError("bad_limits", folder.string(), "", std::string("Limits::") + name + " is 0; every limit must be 1 or more");
  detail::Loader loader(limits);
  RulePack pack;
  // The checks above name file and pointer; this net keeps any fault they missed a PackError.
  try {
    pack.impl_ = loader.load(folder);
  } catch (const nlohmann::json::exception& e) {
    throw PackError("bad_value", folder.string(), "", detail::json_error_reason(e));
  } catch (const std::filesystem::filesystem_error& e) {
    throw PackError("unreadable", e.path1().string(), "", e.code().message());
  }
  return pack;
}

const PackInfo& RulePack::info() const noexcept { return impl_->info; }
const std::filesystem::path& RulePack::directory() const noexcept { return impl_->directory; }
const Limits& RulePack::limits() const noexcept { return impl_->limits; }
const Calendar& RulePack::calendar() const noexcept { return impl_->calendar; }

std::vector<std::string> RulePack::rule_ids() const {
  std::vector<std::string> ids;
  for (const auto& r : impl_->rules) ids.push_back(r.id);
  return ids;
}

}  // namespace qualify
