// The qualify command: evaluate applications, check packs, answer date questions.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "qualify/qualify.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int kOk = 0;
constexpr int kFailure = 1;
constexpr int kUsage = 2;

struct Usage {
  std::string message;
};

const char* kMainHelp = R"(qualify: a rules engine for public programme applications

usage: qualify COMMAND [options]

commands:
  evaluate   evaluate applications with a rule pack
  dates      publicity end and validity period by the pack's calendar
  check      load and lint a rule pack; non-zero exit on any error
  schema     print the application's JSON Schema (draft 2020-12)
  apply      apply one JsonLogic expression to data

Run "qualify COMMAND --help" for a command's options and an example.
)";

const char* kEvaluateHelp = R"(usage: qualify evaluate --pack DIR FILE... [--format json|jsonl] [--as-of DATE]

Evaluates each application (a JSON file; a folder means its *.json files in name order;
"-" reads one application from standard input) and prints one decision per input, in
input order. A file that cannot be read or parsed gives an error record in its place.

options:
  --pack DIR      rule pack folder, or the id of a bundled pack (required)
  --format F      json (default: one object, or an array for several inputs) or jsonl
  --as-of DATE    the day the evaluation speaks for (YYYY-MM-DD); default: none

example:
  qualify evaluate --pack rules/chongqing-dte-2025 examples/applications --format jsonl
)";

const char* kDatesHelp = R"(usage: qualify dates --pack DIR validity --approved DATE [--format text|json]
       qualify dates --pack DIR publicity --start DATE [--days N] [--format text|json]

validity    the listing period from the online approval date (3 years, Civil Code rule)
publicity   the last day of a publicity of N working days (default 5) starting on DATE,
            counting DATE when it is a working day

example:
  qualify dates --pack chongqing-dte-2025 publicity --start 2025-09-26
)";

const char* kCheckHelp = R"(usage: qualify check --pack DIR

Loads the pack (every expression compiled, every field checked against the schema) and
lints it: missing clause citations, messages without both languages, unreachable rules,
parameters never used. Prints each problem as "file: pointer: reason"; exits 1 on any
error, 2 when the pack cannot be loaded, 0 otherwise (warnings allowed).

example:
  qualify check --pack rules/chongqing-dte-2025
)";

const char* kSchemaHelp = R"(usage: qualify schema --pack DIR

Prints the application's JSON Schema (draft 2020-12) with Chinese titles, for web forms
and other systems.

example:
  qualify schema --pack chongqing-dte-2025 > tuijianbiao.schema.json
)";

const char* kApplyHelp = R"(usage: qualify apply LOGIC [DATA] [--pack DIR] [--as-of DATE]

Applies one JsonLogic expression (JSON text) to DATA (JSON text, default null) and prints
the result as JSON. With --pack, the pack's calendar and code lists serve the extension
operators (workdays_end, gbt4754_valid).

example:
  qualify apply '{"<=": [{"var": "n"}, 2000]}' '{"n": 1999}'
)";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  bool help = false;
};

Args parse_args(int argc, char** argv, int first, const std::vector<std::string>& with_value,
                const std::vector<std::string>& flags = {}) {
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "--help" || s == "-h") {
      a.help = true;
    } else if (s.rfind("--", 0) == 0 && s.size() > 2) {
      std::string name = s.substr(2), value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else if (std::find(with_value.begin(), with_value.end(), name) != with_value.end()) {
        if (i + 1 >= argc) throw Usage{"option --" + name + " needs a value"};
        value = argv[++i];
      }
      if (std::find(with_value.begin(), with_value.end(), name) == with_value.end() &&
          std::find(flags.begin(), flags.end(), name) == flags.end())
        throw Usage{"unknown option --" + name};
      a.options[name] = value;
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

std::string need(const Args& a, const std::string& name) {
  auto it = a.options.find(name);
  if (it == a.options.end() || it->second.empty()) throw Usage{"--" + name + " is required"};
  return it->second;
}

qualify::Date need_date(const Args& a, const std::string& name) {
  std::string text = need(a, name);
  auto d = qualify::Date::parse(text);
  if (!d) throw Usage{"--" + name + ": \"" + text + "\" is not a date (YYYY-MM-DD)"};
  return *d;
}

qualify::RulePack load_pack(const Args& a) {
  // An unreadable pack is a usage error (exit 2): nothing can be evaluated without it.
  try {
    return qualify::RulePack::load(need(a, "pack"));
  } catch (const qualify::Error& e) {
    throw Usage{std::string("cannot load the pack: ") + e.what()};
  }
}

// A file, a folder's *.json files in name order, or "-" for standard input.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  for (const std::string& in : inputs) {
    if (in != "-" && fs::is_directory(in)) {
      std::vector<std::string> files;
      for (const auto& e : fs::directory_iterator(in))
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else {
      out.push_back(in);
    }
  }
  return out;
}

bool read_input(const std::string& source, std::string& text, std::string& error) {
  if (source == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    text = s.str();
    return true;
  }
  std::ifstream in(source, std::ios::binary);
  if (!in) {
    error = "cannot read the file";
    return false;
  }
  std::ostringstream s;
  s << in.rdbuf();
  text = s.str();
  return true;
}

nlohmann::json error_record(const std::string& source, const std::string& code, const std::string& message) {
  return {{"source", source}, {"error", {{"code", code}, {"message", message}}}};
}

int cmd_evaluate(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"pack", "format", "as-of"});
  if (a.help) {
    std::cout << kEvaluateHelp;
    return kOk;
  }
  std::string format = a.options.count("format") ? a.options["format"] : "json";
  if (format != "json" && format != "jsonl") throw Usage{"--format must be json or jsonl"};
  qualify::EvaluateOptions options;
  if (a.options.count("as-of")) options.as_of = need_date(a, "as-of");
  if (a.positional.empty()) throw Usage{"name at least one application file, folder or -"};
  qualify::RulePack pack = load_pack(a);
  std::vector<std::string> sources = expand_inputs(a.positional);
  nlohmann::json all = nlohmann::json::array();
  int failures = 0;
  for (const std::string& source : sources) {
    std::string text, error;
    nlohmann::json record;
    if (!read_input(source, text, error)) {
      std::cerr << source << ": " << error << "\n";
      record = error_record(source, "unreadable", error);
      ++failures;
    } else {
      qualify::Decision d = pack.evaluate(std::string_view(text), options);
      d.source = source;
      if (d.error) {
        std::cerr << source << ": " << d.error->second << "\n";
        record = error_record(source, d.error->first, d.error->second);
        ++failures;
      } else {
        record = d.to_json();
      }
    }
    if (format == "jsonl") std::cout << record.dump() << "\n";
    else all.push_back(std::move(record));
  }
  if (format == "json") std::cout << (sources.size() == 1 ? all[0] : all).dump(2) << "\n";
  (void)failures;  // bad inputs are reported in place; the run itself succeeded
  return kOk;
}

int cmd_dates(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"pack", "approved", "start", "days", "format"});
  if (a.help || a.positional.empty()) {
    std::cout << kDatesHelp;
    return a.help ? kOk : kUsage;
  }
  std::string format = a.options.count("format") ? a.options["format"] : "text";
  if (format != "text" && format != "json") throw Usage{"--format must be text or json"};
  const std::string& what = a.positional[0];
  if (what != "validity" && what != "publicity") throw Usage{"dates: say validity or publicity"};
  qualify::RulePack pack = load_pack(a);
  if (what == "validity") {
    qualify::Date approved = need_date(a, "approved");
    qualify::Validity v = pack.validity(approved);
    if (format == "json")
      std::cout << nlohmann::json{{"approved", approved.iso()}, {"from", v.from.iso()}, {"until", v.until.iso()}}.dump(2) << "\n";
    else
      std::cout << "approved " << approved.iso() << ": listed from " << v.from.iso() << " through " << v.until.iso() << "\n";
    return kOk;
  }
  qualify::Date start = need_date(a, "start");
  int days = 5;
  if (a.options.count("days")) {
    try {
      days = std::stoi(a.options["days"]);
    } catch (const std::exception&) {
      throw Usage{"--days takes a whole number"};
    }
    if (days < 1) throw Usage{"--days must be at least 1"};
  }
  qualify::Date end = pack.publicity_end(start, days);
  if (format == "json")
    std::cout << nlohmann::json{{"start", start.iso()}, {"working_days", days}, {"end", end.iso()}}.dump(2) << "\n";
  else
    std::cout << "a publicity of " << days << " working days from " << start.iso() << " ends on " << end.iso() << "\n";
  return kOk;
}

int cmd_check(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"pack"});
  if (a.help) {
    std::cout << kCheckHelp;
    return kOk;
  }
  qualify::RulePack pack = load_pack(a);
  int errors = 0, warnings = 0;
  for (const auto& m : pack.lint()) {
    std::cout << m.level << ": " << m.file << ": " << m.pointer << ": " << m.reason << " [" << m.code << "]\n";
    (m.level == "error" ? errors : warnings)++;
  }
  std::cout << pack.info().id << " " << pack.info().version << ": " << pack.rule_ids().size() << " rules, "
            << errors << " errors, " << warnings << " warnings\n";
  return errors ? kFailure : kOk;
}

int cmd_schema(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"pack"});
  if (a.help) {
    std::cout << kSchemaHelp;
    return kOk;
  }
  qualify::RulePack pack = load_pack(a);
  std::cout << pack.json_schema().dump(2) << "\n";
  return kOk;
}

int cmd_apply(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"pack", "as-of"});
  if (a.help) {
    std::cout << kApplyHelp;
    return kOk;
  }
  if (a.positional.empty() || a.positional.size() > 2) throw Usage{"apply takes LOGIC and optionally DATA"};
  auto parse = [](const std::string& text, const char* what) {
    try {
      return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      std::string m = e.what();
      if (auto close = m.find("] "); close != std::string::npos) m = m.substr(close + 2);
      throw Usage{std::string(what) + " is not valid JSON: " + m};
    }
  };
  nlohmann::json logic = parse(a.positional[0], "LOGIC");
  nlohmann::json data = a.positional.size() > 1 ? parse(a.positional[1], "DATA") : nlohmann::json();
  std::optional<qualify::Date> as_of;
  if (a.options.count("as-of")) as_of = need_date(a, "as-of");
  nlohmann::json result;
  if (a.options.count("pack")) {
    result = load_pack(a).apply(logic, data, as_of);
  } else {
    qualify::Environment env;
    env.as_of = as_of;
    result = qualify::apply(logic, data, env);
  }
  std::cout << result.dump() << "\n";
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    std::cerr << kMainHelp;
    return kUsage;
  }
  std::string command = argv[1];
  try {
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kMainHelp;
      return kOk;
    }
    if (command == "--version") {
      std::cout << "qualify " << qualify::version << "\n";
      return kOk;
    }
    if (command == "evaluate") return cmd_evaluate(argc, argv);
    if (command == "dates") return cmd_dates(argc, argv);
    if (command == "check") return cmd_check(argc, argv);
    if (command == "schema") return cmd_schema(argc, argv);
    if (command == "apply") return cmd_apply(argc, argv);
    std::cerr << "qualify: unknown command \"" << command << "\"\n\n" << kMainHelp;
    return kUsage;
  } catch (const Usage& u) {
    std::cerr << "qualify " << command << ": " << u.message << "\n(run \"qualify " << command << " --help\")\n";
    return kUsage;
  } catch (const qualify::Error& e) {
    std::cerr << "qualify " << command << ": " << e.what() << " [" << e.code() << "]\n";
    return kFailure;
  } catch (const std::exception& e) {
    std::cerr << "qualify " << command << ": " << e.what() << "\n";
    return kFailure;
  }
}
