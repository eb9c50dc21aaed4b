// The qualify command: evaluate and select applications, check packs, answer date and
// catalogue questions. This file holds main and the small commands; the batch commands
// live in cli_batch.cpp (their inputs, JSON Lines included, in cli_inputs.cpp), the HTML
// report in cli_html.cpp, the catalogue in cli_catalogue.cpp.
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_common.hpp"

namespace qualify::cli {

namespace {

const char* kMainHelp = R"(qualify: a rules engine for public programme applications

usage: qualify COMMAND [options]

commands:
  evaluate   evaluate applications with a rule pack: one decision per application
             (a file, or a line of a JSON Lines file), streamed in bounded memory
  select     evaluate, rank by score and select institutions under the quota
  dates      publicity end and validity period by the pack's calendar
  check      load and lint a rule pack; non-zero exit on any error
  schema     print the application's JSON Schema (draft 2020-12)
  catalogue  where each listing of the institution catalogue stands on a day
  apply      apply one JsonLogic expression to data

Output: --format table|json|jsonl|csv|html where a command prints records (table on a
terminal, json otherwise). Exit status: 0 on success whatever the verdicts, 2 for bad usage
or an unreadable pack, 1 for other errors; messages go to stderr.

Run "qualify COMMAND --help" for a command's options and an example, e.g.
  qualify select --pack chongqing-dte-2025 --as-of 2025-11-03 examples/applications --format table
)";

const char* kDatesHelp = R"(usage: qualify dates --pack DIR validity --approved DATE [--format table|json]
       qualify dates --pack DIR publicity --start DATE [--days N] [--format table|json]

validity    the listing period from the online approval date (3 years by this pack;
            Civil Code end rule: from 2025-12-15 through 2028-12-15)
publicity   the last day of a publicity of N working days (default 5) starting on DATE,
            counting DATE when it is a working day (weekends, holidays and 调休 from the
            pack's calendar)

options:
  --pack DIR     rule pack folder, or the id of a bundled pack (required)
  --format F     table (one sentence, default) or json

examples:
  qualify dates --pack chongqing-dte-2025 publicity --start 2025-09-26
      a publicity of 5 working days from 2025-09-26 ends on 2025-10-09
  qualify dates --pack chongqing-dte-2025 validity --approved 2028-02-29 --format json
)";

const char* kCheckHelp = R"(usage: qualify check --pack DIR [--format table|json]

Loads the pack (every expression compiled, every field checked against the schema) and
lints it: missing clause citations, messages without both languages, unreachable rules,
parameters never used. Prints each problem as "level: file: pointer: reason [code]" and a
last line with the counts; exits 1 on any error, 2 when the pack cannot be loaded, 0
otherwise (warnings allowed).

options:
  --pack DIR     rule pack folder, or the id of a bundled pack (required)
  --format F     table (default) or json: {"pack", "version", "rules", "errors",
                 "warnings", "messages": [{level, code, file, pointer, reason}]}

example:
  qualify check --pack rules/chongqing-dte-2025
      chongqing-dte-2025 1.0.0: 32 rules, 0 errors, 0 warnings
)";

const char* kSchemaHelp = R"(usage: qualify schema --pack DIR

Prints the application's JSON Schema (draft 2020-12) with Chinese titles, for web forms
and other systems that validate a 推荐表 before it is sent.

example:
  qualify schema --pack chongqing-dte-2025 > tuijianbiao.schema.json
)";

const char* kApplyHelp = R"(usage: qualify apply LOGIC [DATA] [--pack DIR] [--as-of DATE]

Applies one JsonLogic expression (JSON text) to DATA (JSON text, default null; "-" reads
it from standard input) and prints the result as JSON. With --pack, the pack's calendar,
code lists and parameters serve the extension operators (workdays_end, gbt4754_valid).

examples:
  qualify apply '{"<=": [{"var": "n"}, 2000]}' '{"n": 1999}'
      true
  qualify apply --pack chongqing-dte-2025 '{"workdays_end": ["2025-09-26", 5]}'
      "2025-10-09"
)";

int cmd_dates(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, "dates", {"pack", "approved", "start", "days", "format"});
  if (a.help) {
    std::cout << kDatesHelp;
    return kOk;
  }
  if (a.positional.empty()) throw Usage{"say which date: validity --approved DATE, or publicity --start DATE"};
  if (a.positional.size() > 1) throw Usage{"unexpected argument \"" + a.positional[1] + "\""};
  std::string format = format_option(a, {"table", "text", "json"}, "table");
  const std::string& what = a.positional[0];
  if (what != "validity" && what != "publicity")
    throw Usage{"\"" + what + "\" is not a date question: say validity or publicity"};
  if (what == "validity") {
    Date approved = need_date(a, "approved");
    RulePack pack = load_pack(a);
    Validity v = pack.validity(approved);
    if (format == "json")
      std::cout << nlohmann::json{{"approved", approved.iso()}, {"from", v.from.iso()}, {"until", v.until.iso()}}.dump(2) << "\n";
    else
      std::cout << "approved " << approved.iso() << ": listed from " << v.from.iso() << " through " << v.until.iso() << "\n";
    return kOk;
  }
  Date start = need_date(a, "start");
  int days = static_cast<int>(int_option(a, "days", 1, 3650, 5));
  RulePack pack = load_pack(a);
  Date end = pack.publicity_end(start, days);
  if (format == "json")
    std::cout << nlohmann::json{{"start", start.iso()}, {"working_days", days}, {"end", end.iso()}}.dump(2) << "\n";
  else
    std::cout << "a publicity of " << days << " working days from " << start.iso() << " ends on " << end.iso() << "\n";
  return kOk;
}

int cmd_check(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, "check", {"pack", "format"});
  if (a.help) {
    std::cout << kCheckHelp;
    return kOk;
  }
  if (!a.positional.empty()) throw Usage{"check takes no arguments but --pack DIR; got \"" + a.positional[0] + "\""};
  std::string format = format_option(a, {"table", "json"}, "table");
  RulePack pack = load_pack(a);
  int errors = 0, warnings = 0;
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& m : pack.lint()) {
    if (format == "json")
      messages.push_back({{"level", m.level}, {"code", m.code}, {"file", m.file}, {"pointer", m.pointer}, {"reason", m.reason}});
    else
      std::cout << m.level << ": " << m.file << ": " << m.pointer << ": " << m.reason << " [" << m.code << "]\n";
    (m.level == "error" ? errors : warnings)++;
  }
  if (format == "json")
    std::cout << nlohmann::json{{"pack", pack.info().id}, {"version", pack.info().version}, {"sha256", pack.info().sha256},
                                {"rules", pack.rule_ids().size()}, {"errors", errors}, {"warnings", warnings},
                                {"messages", messages}}
                     .dump(2)
              << "\n";
  else
    std::cout << pack.info().id << " " << pack.info().version << ": " << pack.rule_ids().size() << " rules, " << errors
              << " errors, " << warnings << " warnings\n";
  return errors ? kFailure : kOk;
}

int cmd_schema(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, "schema", {"pack", "format"});
  if (a.help) {
    std::cout << kSchemaHelp;
    return kOk;
  }
  if (!a.positional.empty()) throw Usage{"schema takes no arguments but --pack DIR; got \"" + a.positional[0] + "\""};
  format_option(a, {"json"}, "json");
  RulePack pack = load_pack(a);
  std::cout << pack.json_schema().dump(2) << "\n";
  return kOk;
}

int cmd_apply(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, "apply", {"pack", "as-of"});
  if (a.help) {
    std::cout << kApplyHelp;
    return kOk;
  }
  if (a.positional.empty() || a.positional.size() > 2) throw Usage{"apply takes LOGIC and optionally DATA (JSON texts)"};
  auto parse = [](const std::string& text, const char* what) {
    try {
      if (text == "-") {
        std::ostringstream s;
        s << std::cin.rdbuf();
        return nlohmann::json::parse(s.str());
      }
      return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      std::string m = e.what();
      if (auto close = m.find("] "); close != std::string::npos) m = m.substr(close + 2);
      throw Usage{std::string(what) + " is not valid JSON: " + m};
    }
  };
  nlohmann::json logic = parse(a.positional[0], "LOGIC");
  nlohmann::json data = a.positional.size() > 1 ? parse(a.positional[1], "DATA") : nlohmann::json();
  std::optional<Date> as_of = optional_date(a, "as-of");
  nlohmann::json result;
  if (a.has("pack")) {
    result = load_pack(a).apply(logic, data, as_of);
  } else {
    Environment env;
    env.as_of = as_of;
    result = qualify::apply(logic, data, env);
  }
  std::cout << result.dump() << "\n";
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
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
    if (command == "select") return cmd_select(argc, argv);
    if (command == "dates") return cmd_dates(argc, argv);
    if (command == "check") return cmd_check(argc, argv);
    if (command == "schema") return cmd_schema(argc, argv);
    if (command == "catalogue" || command == "catalog") return cmd_catalogue(argc, argv);
    if (command == "apply") return cmd_apply(argc, argv);
    std::cerr << "qualify: unknown command \"" << command << "\"\n\n" << kMainHelp;
    return kUsage;
  } catch (const Usage& u) {
    std::cerr << "qualify " << command << ": " << u.message << "\n(run \"qualify " << command << " --help\" for its options and an example)\n";
    return kUsage;
  } catch (const Error& e) {
    std::cerr << "qualify " << command << ": " << e.what() << " [" << e.code() << "]\n";
    return kFailure;
  } catch (const std::exception& e) {
    std::cerr << "qualify " << command << ": " << e.what() << "\n";
    return kFailure;
  }
}

}  // namespace qualify::cli

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return qualify::cli::main(argc, argv);
}
