// Golden decisions for the chongqing-dte-2025 pack.
//
// Every tests/golden/<case>.json (an application) is evaluated with rules/chongqing-dte-2025
// as of 2025-11-03 and must give tests/golden/<case>.expected.json, except for "pack"."sha256"
// (it changes with every edit of the pack) and "score" (the scoring rubric has its own tests).
// On a mismatch the test prints the actual decision, ready to be reviewed and copied.
//
// QUALIFY_UPDATE_GOLDEN=1 writes the actual decisions to the .expected.json files instead
// (without sha256 and score); then review every changed file by reading it.
//
// Files are found relative to this source file, never the working directory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "qualify/qualify.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path& source_dir() {
  static const fs::path dir = fs::path(__FILE__).parent_path();  // tests/cpp
  return dir;
}

fs::path golden_dir() { return (source_dir() / ".." / "golden").lexically_normal(); }
fs::path pack_dir() { return (source_dir() / ".." / ".." / "rules" / "chongqing-dte-2025").lexically_normal(); }

constexpr const char* kAsOf = "2025-11-03";
constexpr const char* kExpectedSuffix = ".expected.json";

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + file.string());
  out << text;
}

// The case names: tests/golden/<case>.json without the .expected.json files, sorted.
std::vector<std::string> golden_cases() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(golden_dir(), ec)) {
    if (!entry.is_regular_file()) continue;
    std::string file = entry.path().filename().string();
    if (!ends_with(file, ".json") || ends_with(file, kExpectedSuffix)) continue;
    names.push_back(file.substr(0, file.size() - 5));
  }
  std::sort(names.begin(), names.end());
  return names;
}

// "hard-submitted-2025-11-01" -> "HardSubmitted20251101": GoogleTest names without underscores.
std::string test_name(const std::string& stem) {
  std::string out;
  bool upper = true;
  for (unsigned char c : stem) {
    if (std::isalnum(c)) {
      out += upper ? static_cast<char>(std::toupper(c)) : static_cast<char>(c);
      upper = false;
    } else {
      upper = true;
    }
  }
  return out.empty() ? "Unnamed" : out;
}

// What the comparison looks at: the decision without the pack digest and the score.
nlohmann::json comparable(nlohmann::json decision) {
  if (auto p = decision.find("pack"); p != decision.end() && p->is_object()) p->erase("sha256");
  decision.erase("score");
  decision.erase("source");
  return decision;
}

bool update_mode() {
  const char* v = std::getenv("QUALIFY_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

const qualify::RulePack& pack() {
  static const qualify::RulePack p = qualify::RulePack::load(pack_dir());
  return p;
}

qualify::EvaluateOptions options() {
  qualify::EvaluateOptions o;
  o.as_of = qualify::Date::parse(kAsOf);
  return o;
}

nlohmann::json evaluate_file(const qualify::RulePack& p, const fs::path& file) {
  std::string text = read_file(file);
  return comparable(p.evaluate(std::string_view(text), options()).to_json());
}

// ----------------------------------------------------------------------------- golden files

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesExpectedDecision) {
  const std::string stem = GetParam();
  const fs::path input = golden_dir() / (stem + ".json");
  const fs::path expected_file = golden_dir() / (stem + kExpectedSuffix);
  nlohmann::json actual = evaluate_file(pack(), input);
  const std::string actual_text = actual.dump(2) + "\n";

  if (update_mode()) {
    write_file(expected_file, actual_text);
    SUCCEED() << "wrote " << expected_file.string();
    return;
  }
  ASSERT_TRUE(fs::exists(expected_file))
      << "no " << expected_file.string() << "; run with QUALIFY_UPDATE_GOLDEN=1 and review it. Actual decision:\n"
      << actual_text;
  nlohmann::json expected = comparable(nlohmann::json::parse(read_file(expected_file)));
  EXPECT_TRUE(expected == actual) << "decision for " << input.string() << " differs from " << expected_file.string()
                              << "\ndifferences (JSON Patch from expected to actual):\n"
                              << nlohmann::json::diff(expected, actual).dump(2) << "\nactual decision:\n"
                              << actual_text;
}

INSTANTIATE_TEST_SUITE_P(ChongqingDte2025, Golden, ::testing::ValuesIn(golden_cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return test_name(info.param); });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

TEST(GoldenFiles, AtLeastFifteenCasesEachWithItsExpectedDecision) {
  std::vector<std::string> cases = golden_cases();
  EXPECT_GE(cases.size(), 15u) << "in " << golden_dir().string();
  std::map<std::string, std::string> names;
  for (const std::string& c : cases) {
    if (!update_mode()) {
      EXPECT_TRUE(fs::exists(golden_dir() / (c + kExpectedSuffix))) << c << " has no " << kExpectedSuffix;
    }
    auto [it, fresh] = names.emplace(test_name(c), c);
    EXPECT_TRUE(fresh) << c << " and " << it->second << " give the same test name";
  }
}

TEST(GoldenFiles, EveryEligibilityRuleIsSeenPassFailAndUnknown) {
  if (update_mode()) GTEST_SKIP() << "expected files are being rewritten";
  std::map<std::string, std::set<std::string>> seen;  // rule -> outcomes
  for (const std::string& c : golden_cases()) {
    fs::path expected_file = golden_dir() / (c + kExpectedSuffix);
    if (!fs::exists(expected_file)) continue;
    nlohmann::json d = nlohmann::json::parse(read_file(expected_file));
    for (const auto& f : d["findings"]) seen[f["rule"].get<std::string>()].insert(f["outcome"].get<std::string>());
  }
  for (const std::string& id : pack().rule_ids()) {
    if (id.rfind("form.", 0) == 0) continue;  // the schema's own checks
    for (const char* outcome : {"pass", "fail", "unknown"})
      EXPECT_TRUE(seen[id].count(outcome)) << "no golden case where " << id << " is " << outcome;
  }
}

// ----------------------------------------------------------------------------- parameters
// The golden files use the pack as shipped; these tests change its parameters in a copy.

using Parameters = std::map<std::string, nlohmann::json>;

class PackCopy {
 public:
  explicit PackCopy(const Parameters& parameters) {
    static int counter = 0;
    dir_ = fs::temp_directory_path() /
           ("qualify-golden-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" +
            std::to_string(counter++));
    fs::remove_all(dir_);
    fs::copy(pack_dir(), dir_, fs::copy_options::recursive);
    fs::path manifest = dir_ / "pack.json";
    fs::permissions(manifest, fs::perms::owner_write, fs::perm_options::add);
    nlohmann::json m = nlohmann::json::parse(read_file(manifest));
    for (const auto& [name, value] : parameters) m["parameters"][name]["value"] = value;
    write_file(manifest, m.dump(2));
  }
  ~PackCopy() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  PackCopy(const PackCopy&) = delete;
  PackCopy& operator=(const PackCopy&) = delete;
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

nlohmann::json finding(const nlohmann::json& decision, const std::string& rule) {
  for (const auto& f : decision["findings"])
    if (f["rule"] == rule) return f;
  ADD_FAILURE() << "no finding for " << rule;
  return nlohmann::json::object();
}

struct BasisCase {
  const char* basis;
  const char* outcome;  // for eligible-boundary-days-and-2000: 1420, 1560, 1780, 1910, 2000
  const char* zh;       // the basis named in the message
  const char* en;
};

TEST(AnnualScaleBasis, EachBasisDecidesAndIsNamedInTheMessage) {
  const BasisCase cases[] = {
      {"latest", "pass", "最近年度（2024年）培训规模 2000 人次，不低于 2000 人次（口径：最近一个填报年度）",
       "basis: the latest reported year"},
      {"any", "pass", "最高年度（2024年）培训规模 2000 人次，不低于 2000 人次（口径：任一年度）", "basis: any reported year"},
      {"each_last_3", "fail", "最近3年（2022—2024年）中最低年度培训规模 1780 人次，低于 2000 人次（口径：最近3年每年）",
       "basis: each of the last 3 years"},
      {"mean_last_3", "fail", "最近3年（2022—2024年）年均培训规模 1896.6 人次，低于 2000 人次（口径：最近3年平均）",
       "basis: the mean of the last 3 years"},
  };
  for (const BasisCase& c : cases) {
    SCOPED_TRACE(c.basis);
    PackCopy copy(Parameters{{"annual_scale_basis", c.basis}});
    qualify::RulePack p = qualify::RulePack::load(copy.dir());
    nlohmann::json f = finding(evaluate_file(p, golden_dir() / "eligible-boundary-days-and-2000.json"),
                               "conditions.annual_scale");
    EXPECT_EQ(f["outcome"], c.outcome);
    EXPECT_EQ(f["evidence"]["basis"], c.basis);
    std::string zh = f["message"]["zh"].get<std::string>();
    std::string en = f["message"]["en"].get<std::string>();
    EXPECT_EQ(zh.rfind(c.zh, 0), 0u) << zh;
    EXPECT_NE(en.find(c.en), std::string::npos) << en;
  }
}

TEST(AnnualScaleBasis, AnUnknownBasisLeavesTheRuleUnknownWithAnError) {
  PackCopy copy(Parameters{{"annual_scale_basis", "median"}});
  qualify::RulePack p = qualify::RulePack::load(copy.dir());
  nlohmann::json f = finding(evaluate_file(p, golden_dir() / "eligible-clean.json"), "conditions.annual_scale");
  EXPECT_EQ(f["outcome"], "unknown");
  ASSERT_TRUE(f.contains("error"));
  EXPECT_NE(f["error"].get<std::string>().find("median"), std::string::npos) << f.dump(2);
}

TEST(AnnualScaleBasis, TheMinimumIsAParameter) {
  PackCopy copy(Parameters{{"annual_scale_min", 2001}});
  qualify::RulePack p = qualify::RulePack::load(copy.dir());
  nlohmann::json f = finding(evaluate_file(p, golden_dir() / "eligible-boundary-days-and-2000.json"),
                             "conditions.annual_scale");
  EXPECT_EQ(f["outcome"], "fail");
  EXPECT_EQ(f["evidence"]["min"], 2001);
}

TEST(Severity23, HardMakesTheSoftConditionsOf23Requirements) {
  PackCopy copy(Parameters{{"severity_2_3", "hard"}});
  qualify::RulePack p = qualify::RulePack::load(copy.dir());
  for (const char* c : {"soft-established-2021-01-01", "soft-latest-year-1999", "soft-no-training-at-all"}) {
    SCOPED_TRACE(c);
    nlohmann::json d = evaluate_file(p, golden_dir() / (std::string(c) + ".json"));
    EXPECT_EQ(d["status"], "ineligible");
    for (const char* rule : {"conditions.established_before", "conditions.training_experience", "conditions.annual_scale"})
      EXPECT_EQ(finding(d, rule)["severity"], "hard") << rule;
  }
}

TEST(DatesAreParameters, DeadlineAndEstablishmentCutOff) {
  PackCopy copy(Parameters{{"deadline", "2025-11-01"}, {"established_by", "2021-01-01"}});
  qualify::RulePack p = qualify::RulePack::load(copy.dir());
  EXPECT_EQ(finding(evaluate_file(p, golden_dir() / "hard-submitted-2025-11-01.json"), "requirements.deadline")["outcome"],
            "pass");
  EXPECT_EQ(finding(evaluate_file(p, golden_dir() / "soft-established-2021-01-01.json"),
                    "conditions.established_before")["outcome"],
            "pass");
}

}  // namespace
