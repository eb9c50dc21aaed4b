// JsonLogic's shared test suite, every case, as a parameterised test. The suite ships with
// the tests (tests/data/jsonlogic-tests.json, a copy of the upstream file).
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "qualify/qualify.hpp"

namespace {

namespace fs = std::filesystem;

struct Case {
  std::string name;
  nlohmann::json logic, data, expected;
};

std::vector<Case> load_cases() {
  fs::path file = fs::path(__FILE__).parent_path().parent_path() / "data" / "jsonlogic-tests.json";
  std::ifstream in(file);
  nlohmann::json all = nlohmann::json::parse(in);
  std::vector<Case> cases;
  std::string section = "start";
  int index = 0;
  for (const auto& item : all) {
    if (item.is_string()) {
      section = item.get<std::string>();
      continue;
    }
    // "Case12SingleOperatorTests": the index keeps names unique, the section makes them readable.
    std::string name = "Case" + std::to_string(++index);
    bool upper = true;
    for (char c : section) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        upper = true;
        continue;
      }
      name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
    cases.push_back({name, item[0], item[1], item[2]});
  }
  return cases;
}

// JSON numbers compare by value: the suite writes 1 where the engine yields 1.0.
bool same(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it)
      if (!b.contains(it.key()) || !same(*it, b[it.key()])) return false;
    return true;
  }
  return a == b;
}

class JsonLogicConformance : public testing::TestWithParam<Case> {};

TEST_P(JsonLogicConformance, MatchesExpected) {
  const Case& c = GetParam();
  nlohmann::json got = qualify::apply(c.logic, c.data);
  EXPECT_TRUE(same(got, c.expected)) << "logic: " << c.logic.dump() << "\ndata: " << c.data.dump()
                                     << "\nexpected: " << c.expected.dump() << "\ngot: " << got.dump();
}

INSTANTIATE_TEST_SUITE_P(SharedSuite, JsonLogicConformance, testing::ValuesIn(load_cases()),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(JsonLogicSuite, HasEveryCase) { EXPECT_EQ(load_cases().size(), 277u); }

}  // namespace
