// The operator examples of rules/README.md are run here, so the guide cannot drift from
// the engine. A row is: | `op` | `LOGIC` | `DATA` | `RESULT` |; a data cell in parentheses
// means "with the bundled pack" (its calendar, code lists, and an as-of day of 2026-01-01).
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "qualify/qualify.hpp"

namespace {

namespace fs = std::filesystem;

fs::path source_root() { return fs::path(__FILE__).parent_path().parent_path().parent_path(); }

struct Example {
  std::string name;
  std::string logic, data, result;
  bool with_pack;
};

std::vector<Example> load_examples() {
  std::ifstream in(source_root() / "rules" / "README.md");
  std::string line;
  bool in_section = false;
  std::vector<Example> out;
  std::regex row(R"(^\| `([^`]+)`[^|]*\| `(.+)` \| (.+) \| `(.+)` \|$)");
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## Operators";
    std::smatch m;
    if (!in_section || !std::regex_match(line, m, row)) continue;
    Example e;
    e.name = "Op" + std::to_string(out.size() + 1);
    e.logic = m[2];
    std::string data = m[3];
    e.with_pack = !data.empty() && data[0] == '(';
    if (e.with_pack) {
      auto close = data.find(')');
      data = data.substr(close + 1);
    }
    auto first = data.find('`'), last = data.rfind('`');
    e.data = first != std::string::npos && last > first ? data.substr(first + 1, last - first - 1) : "null";
    e.result = m[4];
    out.push_back(e);
  }
  return out;
}

class DocExamples : public testing::TestWithParam<Example> {};

TEST_P(DocExamples, GiveTheDocumentedResult) {
  const Example& e = GetParam();
  auto logic = nlohmann::json::parse(e.logic);
  auto data = nlohmann::json::parse(e.data);
  auto expected = nlohmann::json::parse(e.result);
  nlohmann::json got;
  if (e.with_pack) {
    static const auto pack = qualify::RulePack::load(source_root() / "rules" / "chongqing-dte-2025");
    got = pack.apply(logic, data, qualify::Date::parse("2026-01-01"));
  } else {
    got = qualify::apply(logic, data);
  }
  EXPECT_EQ(got, expected) << e.logic << " on " << e.data;
}

INSTANTIATE_TEST_SUITE_P(RulesReadme, DocExamples, testing::ValuesIn(load_examples()),
                         [](const auto& info) { return info.param.name; });

TEST(DocExamplesTest, FindsTheTable) { EXPECT_GE(load_examples().size(), 40u); }

}  // namespace
