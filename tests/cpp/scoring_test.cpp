// Scoring: the reference rubric, band edges, linear scales, exact decimals, experts'
// scores and their blend, and rubrics that must not load.
#include <atomic>
#include <cmath>
#include <functional>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "qualify/detail/pack_data.hpp"
#include "qualify/detail/scoring.hpp"
#include "qualify/qualify.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path repo() { return fs::path(__FILE__).parent_path().parent_path().parent_path(); }
fs::path reference_dir() { return repo() / "rules" / "chongqing-dte-2025"; }

const qualify::RulePack& reference() {
  static const qualify::RulePack pack = qualify::RulePack::load(reference_dir());
  return pack;
}

json read_json(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

json sample(const std::string& name) { return read_json(repo() / "examples" / "applications" / name); }

const qualify::Criterion& criterion(const qualify::Decision& d, const std::string& id) {
  for (const auto& c : d.score.value().criteria)
    if (c.id == id) return c;
  throw std::runtime_error("no criterion " + id);
}

double points(const qualify::Decision& d, const std::string& id) { return criterion(d, id).points; }

const qualify::Finding* finding(const qualify::Decision& d, const std::string& rule) {
  for (const auto& f : d.findings)
    if (f.rule == rule) return &f;
  return nullptr;
}

// A throwaway pack in the temp folder: a tiny form, one rule that reads `submitted_on`, and
// the rubric under test.
class TempPack {
 public:
  explicit TempPack(const json& scoring) {
    static std::atomic<int> counter{0};
    std::random_device rd;
    dir_ = fs::temp_directory_path() /
           ("qualify-scoring-" + std::to_string(rd()) + "-" + std::to_string(counter.fetch_add(1)));
    fs::create_directories(dir_);
    write("pack.json", {{"id", "scoring-test"}, {"version", "0.1.0"}});
    json field = {{"type", "number"}, {"label", {{"zh", "数"}, {"en", "x"}}}};
    write("schema.json",
          {{"title", {{"zh", "表"}, {"en", "form"}}},
           {"fields",
            {{"id", {{"type", "string"}, {"label", {{"zh", "编号"}, {"en", "id"}}}}},
             {"x", field},
             {"y", field},
             {"submitted_on", {{"type", "string"}, {"label", {{"zh", "报送日期"}, {"en", "submitted on"}}}}},
             {"expert_scores", {{"type", "array"}, {"label", {{"zh", "专家评分"}, {"en", "expert scores"}}}, {"items", field}}}}}});
    write("eligibility.json",
          {{"rules",
            {{{"id", "deadline"},
              {"clause", "5.3"},
              {"title", {{"zh", "按时报送"}, {"en", "on time"}}},
              {"condition", {{"<=", {{{"var", "submitted_on"}}, "2025-10-31"}}}}}}}});
    write("scoring.json", scoring);
  }
  ~TempPack() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  TempPack(const TempPack&) = delete;
  TempPack& operator=(const TempPack&) = delete;

  qualify::RulePack load() const { return qualify::RulePack::load(dir_); }

 private:
  void write(const std::string& name, const json& j) const { std::ofstream(dir_ / name) << j.dump(2); }
  fs::path dir_;
};

json criterion_json(const std::string& id, const json& value, const json& table, double max) {
  json c = {{"id", id}, {"title", {{"zh", "标准" + id}, {"en", "criterion " + id}}}, {"clause", "2.2"}, {"value", value}, {"max", max}};
  if (table.is_array()) c["bands"] = table;
  else c["linear"] = table;
  return c;
}

json band(std::optional<double> min, bool min_inc, std::optional<double> max, bool max_inc, double pts) {
  json b = json::object();
  if (min) {
    b["min"] = *min;
    b["min_inclusive"] = min_inc;
  }
  if (max) {
    b["max"] = *max;
    b["max_inclusive"] = max_inc;
  }
  b["points"] = pts;
  return b;
}

// (-inf, 0] -> 0, (0, 10) -> 1, [10, 20] -> 2, (20, +inf) -> 3
json edge_rubric() {
  json bands = json::array({band(std::nullopt, true, 0, true, 0), band(0, false, 10, false, 1), band(10, true, 20, true, 2),
                            band(20, false, std::nullopt, false, 3)});
  return {{"total", 3}, {"criteria", json::array({criterion_json("x", {{"var", "x"}}, bands, 3)})}};
}

// ------------------------------------------------------------------------------ reference rubric

TEST(ScoringTest, ReferenceRubricDeclaresHundredPoints) {
  const auto& model = reference().data().scoring_model;
  ASSERT_TRUE(model);
  EXPECT_EQ(model->total.text(), "100");
  std::int64_t sum = 0;
  for (const auto& c : model->criteria) {
    sum += c.max.micros;
    EXPECT_FALSE(c.title.zh.empty()) << c.id;
    EXPECT_FALSE(c.title.en.empty()) << c.id;
    EXPECT_FALSE(c.clause.empty()) << c.id;
  }
  EXPECT_EQ(sum, 100 * qualify::detail::Decimal::kOne);
  ASSERT_GE(model->tie_breaks.size(), 2u);
  EXPECT_EQ(model->tie_breaks.front().text, "final desc");
  EXPECT_EQ(model->weight_objective.text(), "0.4");
  EXPECT_EQ(model->weight_expert.text(), "0.6");
}

TEST(ScoringTest, SampleScoreIsExplainedPointByPoint) {
  auto d = reference().evaluate(sample("0001-eligible-ai-yubei.json"));
  ASSERT_TRUE(d.score) << d.to_json().dump(2);
  const auto& s = *d.score;
  EXPECT_EQ(s.max, 100);
  ASSERT_EQ(s.criteria.size(), reference().data().scoring_model->criteria.size());
  double sum = 0;
  for (const auto& c : s.criteria) {
    sum += c.points;
    EXPECT_LE(c.points, c.max) << c.id;
    EXPECT_NE(c.why.zh.find("分"), std::string::npos) << c.id;
    EXPECT_NE(c.why.en.find("points"), std::string::npos) << c.id;
  }
  ASSERT_TRUE(s.objective && s.expert);
  EXPECT_DOUBLE_EQ(*s.objective, std::round(sum * 100) / 100);
  // 32376 person-times: the top band; 44 senior teachers: capped at 10; tax 44.73: 4.47.
  EXPECT_EQ(points(d, "training_scale"), 20);
  EXPECT_EQ(points(d, "senior_titles"), 10);
  EXPECT_EQ(points(d, "tax_record"), 4.47);
  EXPECT_EQ(points(d, "years_in_operation"), 6);  // 2014-03-18 to 2025-10-31: 11 full years
  EXPECT_EQ(criterion(d, "training_scale").why.zh, "近5年培训总规模：32376人次，在区间[30000, +∞)内，得20分（满分20分）");
  EXPECT_EQ(criterion(d, "training_scale").why.en,
            "training scale over the last 5 years: 32376 person-times, in [30000, +∞): 20 of 20 points");
  // Experts 91.3, 91.7, 91.8, 80.4, 87.7: five, so 91.8 and 80.4 go; (91.3 + 91.7 + 87.7) / 3 = 90.23.
  EXPECT_EQ(*s.expert, 90.23);
  EXPECT_EQ(s.total, std::round((*s.objective * 0.4 + 90.23 * 0.6) * 100) / 100);
  const auto* f = finding(d, "score.experts");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, qualify::Severity::info);
  EXPECT_NE(f->message.zh.find("去掉最高分91.8和最低分80.4"), std::string::npos) << f->message.zh;
  EXPECT_NE(f->message.en.find("= " + d.to_json()["score"]["total"].dump()), std::string::npos) << f->message.en;
}

// Each case changes one thing of a clean sample so a reference criterion's value lands on a
// band bound, or just beside it.
TEST(ScoringTest, ReferenceRubricEdges) {
  auto history = [](std::vector<int> totals, std::vector<int> independent) {
    json h = json::array();
    for (std::size_t i = 0; i < totals.size(); ++i)
      h.push_back({{"year", 2020 + static_cast<int>(i)}, {"total", totals[i]}, {"independent", independent[i]},
                   {"cooperative", totals[i] - independent[i]}});
    return h;
  };
  struct Case {
    const char* what;
    std::function<void(json&)> change;
    const char* criterion;
    double points;
  };
  const std::vector<Case> cases = {
      {"10000 person-times: 10000 is in [10000, 15000)",
       [&](json& a) { a["training_history"] = history({2000, 2000, 2000, 2000, 2000}, {2000, 2000, 2000, 2000, 2000}); },
       "training_scale", 10},
      {"9999 person-times: below 10000",
       [&](json& a) { a["training_history"] = history({2000, 2000, 2000, 2000, 1999}, {2000, 2000, 2000, 2000, 1999}); },
       "training_scale", 4},
      {"independent share exactly 0.85",
       [&](json& a) { a["training_history"] = history({2000, 2000, 2000, 2000, 2000}, {1700, 1700, 1700, 1700, 1700}); },
       "independent_share", 5},
      {"independent share 0.8499",
       [&](json& a) { a["training_history"] = history({2000, 2000, 2000, 2000, 2000}, {1700, 1700, 1700, 1700, 1699}); },
       "independent_share", 4},
      {"full-time share exactly 0.5", [](json& a) { a["faculty"]["full_time"] = 31, a["faculty"]["part_time"] = 31; },
       "full_time_share", 4},
      {"full-time share 30 of 62", [](json& a) { a["faculty"]["full_time"] = 30, a["faculty"]["part_time"] = 32; },
       "full_time_share", 3},
      {"faculty exactly 60", [](json& a) { a["faculty"]["total"] = 60; }, "faculty_size", 10},
      {"faculty 59", [](json& a) { a["faculty"]["total"] = 59; }, "faculty_size", 8},
      {"established exactly 10 years before the deadline", [](json& a) { a["organization"]["established_on"] = "2015-10-31"; },
       "years_in_operation", 6},
      {"established a day later: 9 full years", [](json& a) { a["organization"]["established_on"] = "2015-11-01"; },
       "years_in_operation", 4},
      {"established exactly 5 years before", [](json& a) { a["organization"]["established_on"] = "2020-10-31"; },
       "years_in_operation", 4},
      {"established 2020-11-01: 4 full years", [](json& a) { a["organization"]["established_on"] = "2020-11-01"; },
       "years_in_operation", 2},
      {"established on 29 February: anniversaries still count",
       [](json& a) { a["organization"]["established_on"] = "2016-02-29"; }, "years_in_operation", 4},
      {"online without an address", [](json& a) { a["platform"].erase("url"); }, "online_platform", 5},
      {"not online", [](json& a) { a["platform"]["online_capable"] = false; }, "online_platform", 0},
      {"national base", [](json& a) { a["bases"]["national_ce_base"] = true; }, "ce_base", 10},
      {"no base", [](json& a) { a["bases"]["provincial_ce_base"] = false; }, "ce_base", 0},
      {"dishonest year", [](json& a) { a["tax_records"][1]["dishonest"] = true; }, "tax_record", 0},
      {"tax exactly 70", [](json& a) { a["tax_records"] = json::array({{{"year", 2022}, {"amount_wan", 70}, {"dishonest", false}}}); },
       "tax_record", 7},
  };
  for (const Case& c : cases) {
    json app = sample("0001-eligible-ai-yubei.json");
    c.change(app);
    auto d = reference().evaluate(app);
    ASSERT_TRUE(d.score) << c.what;
    EXPECT_EQ(points(d, c.criterion), c.points) << c.what << ": " << criterion(d, c.criterion).why.en;
  }
}

// Every bound of every band table of the reference rubric, checked on the bound and one
// millionth either side against the inclusiveness the table states.
TEST(ScoringTest, ReferenceBandBoundsHonourInclusiveness) {
  json rubric = read_json(reference_dir() / "scoring.json");
  int checked = 0;
  for (const json& c : rubric["criteria"]) {
    if (!c.contains("bands")) continue;
    json one = {{"total", c["max"]}, {"criteria", json::array({criterion_json(c["id"].get<std::string>(), {{"var", "x"}}, c["bands"], c["max"].get<double>())})}};
    TempPack temp(one);
    auto pack = temp.load();
    auto expected = [&](double x) {
      for (const json& b : c["bands"]) {
        if (b.contains("min") && (b["min_inclusive"].get<bool>() ? x < b["min"].get<double>() : x <= b["min"].get<double>())) continue;
        if (b.contains("max") && (b["max_inclusive"].get<bool>() ? x > b["max"].get<double>() : x >= b["max"].get<double>())) continue;
        return b["points"].get<double>();
      }
      return 0.0;
    };
    for (const json& b : c["bands"]) {
      for (const char* side : {"min", "max"}) {
        if (!b.contains(side)) continue;
        double bound = b[side].get<double>();
        for (double x : {bound - 1e-6, bound, bound + 1e-6}) {
          auto d = pack.evaluate(json{{"x", x}});
          EXPECT_EQ(points(d, c["id"].get<std::string>()), expected(x)) << c["id"] << " at " << x << ": " << d.score->criteria[0].why.en;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 50);
}

// ------------------------------------------------------------------------------ the engine

TEST(ScoringTest, BandEdgesFollowTheirInclusiveness) {
  TempPack temp(edge_rubric());
  auto pack = temp.load();
  const std::vector<std::pair<double, double>> cases = {
      {-5, 0}, {0, 0}, {0.000001, 1}, {9.999999, 1}, {10, 2}, {15, 2}, {20, 2}, {20.000001, 3}, {1e15, 3},
  };
  for (auto [x, expected] : cases) {
    auto d = pack.evaluate(json{{"x", x}});
    EXPECT_EQ(points(d, "x"), expected) << "x = " << x;
  }
  auto d = pack.evaluate(json{{"x", 10}});
  EXPECT_EQ(criterion(d, "x").why.zh, "标准x：10，在区间[10, 20]内，得2分（满分3分）");
  EXPECT_EQ(criterion(d, "x").why.en, "criterion x: 10, in [10, 20]: 2 of 3 points");
}

TEST(ScoringTest, MissingOrBadValueEarnsNothingAndSaysWhy) {
  TempPack temp(edge_rubric());
  auto pack = temp.load();
  auto missing = pack.evaluate(json::object());
  EXPECT_EQ(points(missing, "x"), 0);
  EXPECT_EQ(criterion(missing, "x").why.en, "criterion x: missing /x: 0 of 3 points");
  auto text = pack.evaluate(json{{"x", "many"}});
  EXPECT_EQ(points(text, "x"), 0);
  EXPECT_NE(criterion(text, "x").why.en.find("not a number"), std::string::npos);
  EXPECT_EQ(missing.score->total, 0);
}

TEST(ScoringTest, LinearScalesRoundHalfUpExactly) {
  struct Case {
    json linear;
    double x;
    double points;
  };
  const std::vector<Case> cases = {
      {{{"per", 10}, {"points", 1}, {"cap", 7}}, 44.73, 4.47},
      {{{"per", 10}, {"points", 1}, {"cap", 7}}, 70, 7},
      {{{"per", 10}, {"points", 1}, {"cap", 7}}, 1e6, 7},
      {{{"per", 10}, {"points", 1}, {"cap", 7}}, -3, 0},
      {{{"per", 1}, {"points", 1}, {"cap", 7}}, 1.005, 1.01},  // 1.005 * 100 is 100.49999... in binary
      {{{"per", 1}, {"points", 0.01}, {"cap", 7}}, 0.5, 0.01},
      {{{"per", 200}, {"points", 1}, {"cap", 7}, {"whole_units", true}}, 599.99, 2},
      {{{"per", 100}, {"points", 1}, {"cap", 7}, {"from", 100}}, 350, 2.5},
  };
  for (const Case& c : cases) {
    TempPack temp({{"total", 7}, {"criteria", json::array({criterion_json("x", {{"var", "x"}}, c.linear, 7)})}});
    auto d = temp.load().evaluate(json{{"x", c.x}});
    EXPECT_EQ(points(d, "x"), c.points) << c.linear.dump() << " at " << c.x << ": " << criterion(d, "x").why.en;
  }
}

// Every part of a criterion's explanation, word for word: units in each language (an
// English unit may be left out), a scale that starts above zero, whole units, band labels.
TEST(ScoringTest, ExplanationsSayEveryPartOfTheRule) {
  struct Case {
    json table;
    json unit;
    double x;
    std::string zh, en;
  };
  const std::vector<Case> cases = {
      {{{"per", 100}, {"points", 1}, {"cap", 7}, {"from", 100}, {"whole_units", true}},
       {{"zh", "人次"}, {"en", "person-times"}},
       350,
       "标准x：350人次，超过100人次的部分每满100人次得1分（最高7分），得2分（满分7分）",
       "criterion x: 350 person-times; 1 per full 100 person-times above 100 person-times, at most 7: 2 of 7 points"},
      {{{"per", 10}, {"points", 0.5}, {"cap", 7}},
       {{"zh", "万元"}, {"en", ""}},
       44.5,
       "标准x：44.5万元，每10万元得0.5分（最高7分），得2.23分（满分7分）",
       "criterion x: 44.5; 0.5 per 10, at most 7: 2.23 of 7 points"},
      {json::array({band(std::nullopt, true, 10, false, 1), band(10, true, std::nullopt, false, 7)}),
       {{"zh", "人"}, {"en", "teachers"}},
       12,
       "标准x：12人，在区间[10, +∞)内，得7分（满分7分）",
       "criterion x: 12 teachers, in [10, +∞): 7 of 7 points"},
      {json::array({band(std::nullopt, true, 10, false, 1), band(10, true, std::nullopt, false, 7)}),
       {{"zh", "人"}, {"en", "teachers"}},
       -1e16,
       "标准x：-1000000000000人，在区间(-∞, 10)内，得1分（满分7分）",
       "criterion x: -1000000000000 teachers, in (-∞, 10): 1 of 7 points"},
  };
  for (const Case& c : cases) {
    json spec = criterion_json("x", {{"var", "x"}}, c.table, 7);
    spec["unit"] = c.unit;
    TempPack temp({{"total", 7}, {"criteria", json::array({spec})}});
    auto d = temp.load().evaluate(json{{"x", c.x}});
    EXPECT_EQ(criterion(d, "x").why.zh, c.zh) << c.table.dump();
    EXPECT_EQ(criterion(d, "x").why.en, c.en) << c.table.dump();
  }
  json labelled = band(std::nullopt, true, std::nullopt, false, 7);
  labelled["label"] = {{"zh", "有"}, {"en", "present"}};
  json spec = criterion_json("x", {{"var", "x"}}, json::array({labelled}), 7);
  spec["unit"] = {{"zh", "个"}, {"en", "sites"}};
  TempPack temp({{"total", 7}, {"criteria", json::array({spec})}});
  auto d = temp.load().evaluate(json{{"x", 3}});
  EXPECT_EQ(criterion(d, "x").why.zh, "标准x：有（取值3个），得7分（满分7分）");
  EXPECT_EQ(criterion(d, "x").why.en, "criterion x: present (value 3 sites): 7 of 7 points");
  auto none = temp.load().evaluate(json{{"x", "many"}});
  EXPECT_EQ(criterion(none, "x").why.zh, "标准x：取值“many”不是数字，得0分（满分7分）");
  EXPECT_EQ(criterion(none, "x").why.en, "criterion x: the value \"many\" is not a number: 0 of 7 points");
}

TEST(ScoringTest, DecimalsPrintWithoutBinaryNoise) {
  json tenth = json::array({band(std::nullopt, true, std::nullopt, false, 0.1)});
  json fifth = json::array({band(std::nullopt, true, std::nullopt, false, 0.2)});
  TempPack temp({{"total", 0.3},
                 {"criteria", json::array({criterion_json("a", {{"var", "x"}}, tenth, 0.1),
                                           criterion_json("b", {{"var", "x"}}, fifth, 0.2)})}});
  auto d = temp.load().evaluate(json{{"x", 1}});
  EXPECT_EQ(d.to_json()["score"]["total"].dump(), "0.3");  // 0.1 + 0.2 in binary is 0.30000000000000004

  json scale = {{"per", 1}, {"points", 1}};
  TempPack blend({{"total", 100},
                  {"criteria", json::array({criterion_json("x", {{"var", "x"}}, scale, 100)})},
                  {"blend", {{"objective", 0.4}, {"expert", 0.6}}}});
  auto e = blend.load().evaluate(json{{"x", 80}, {"expert_scores", json::array({77.5})}});
  EXPECT_EQ(e.to_json()["score"]["total"].dump(), "78.5");
  EXPECT_EQ(e.score->total, 78.5);
}

TEST(ScoringTest, ExpertScoresCombineByTheDeclaredRule) {
  struct Case {
    const char* what;
    json experts;  // the application's expert_scores, or null for none
    json rule;     // scoring.json "experts", or null for the default
    std::optional<double> expert;
    double total;
  };
  const std::vector<Case> cases = {
      {"five: drop one highest and one lowest", {90, 80, 70, 60, 100}, nullptr, 80, 80},
      {"four: a plain mean", {90, 80, 70, 60}, nullptr, 75, 77},
      {"the sample's five", {91.3, 91.7, 91.8, 80.4, 87.7}, nullptr, 90.23, 86.14},
      {"seven, trimming two", {10, 20, 80, 80, 80, 90, 100}, {{"trim", 2}, {"trim_when_at_least", 5}}, 80, 80},
      {"median", {10, 70, 95}, {{"combine", "median"}}, 70, 74},
      {"even median", {10, 70, 80, 95}, {{"combine", "median"}}, 75, 77},
      {"mean never trims", {0, 80, 80, 80, 100}, {{"combine", "mean"}}, 68, 72.8},
      {"scores out of 10, rescaled", {8, 9, 7}, {{"scale", 10}}, 80, 80},
      {"no scores yet", nullptr, nullptr, std::nullopt, 80},
      {"an empty list", json::array(), nullptr, std::nullopt, 80},
  };
  for (const Case& c : cases) {
    json rubric = {{"total", 100},
                   {"criteria", json::array({criterion_json("x", {{"var", "x"}}, json{{"per", 1}, {"points", 1}}, 100)})},
                   {"blend", {{"objective", 0.4}, {"expert", 0.6}}}};
    if (!c.rule.is_null()) rubric["experts"] = c.rule;
    TempPack temp(rubric);
    json app = {{"x", 80}};
    if (!c.experts.is_null()) app["expert_scores"] = c.experts;
    auto d = temp.load().evaluate(app);
    ASSERT_TRUE(d.score) << c.what;
    EXPECT_EQ(d.score->objective, 80) << c.what;
    EXPECT_EQ(d.score->expert, c.expert) << c.what;
    EXPECT_EQ(d.score->total, c.total) << c.what;
    EXPECT_EQ(finding(d, "score.experts") != nullptr, c.expert.has_value()) << c.what;
  }
}

TEST(ScoringTest, UnusableExpertScoresLeaveTheObjectiveScore) {
  TempPack temp({{"total", 100}, {"criteria", json::array({criterion_json("x", {{"var", "x"}}, json{{"per", 1}, {"points", 1}}, 100)})},
                 {"blend", {{"objective", 0.4}, {"expert", 0.6}}}});
  auto pack = temp.load();
  for (const json& bad : {json::array({90, "high"}), json::array({90, 101}), json::array({-1}), json("90")}) {
    auto d = pack.evaluate(json{{"x", 80}, {"expert_scores", bad}});
    EXPECT_FALSE(d.score->expert) << bad.dump();
    EXPECT_EQ(d.score->total, 80) << bad.dump();
    const auto* f = finding(d, "score.experts");
    ASSERT_NE(f, nullptr) << bad.dump();
    EXPECT_EQ(f->outcome, qualify::Outcome::fail);
    EXPECT_EQ(f->severity, qualify::Severity::info);
    EXPECT_NE(f->message.en.find("cannot be used"), std::string::npos);
  }
}

// Screening (explain = false) scores on the fast paths and words nothing: the same points for
// band edges, missing and non-numeric values and expressions that fail, linear scales, and
// each way of combining the experts' scores, usable or not.
TEST(ScoringTest, ScreeningScoresTheSameWithoutWords) {
  qualify::EvaluateOptions quiet;
  quiet.explain = false;
  auto same = [&](const qualify::RulePack& pack, const json& app) {
    auto full = pack.evaluate(app), screened = pack.evaluate(app, quiet);
    ASSERT_TRUE(full.score && screened.score) << app.dump();
    EXPECT_EQ(full.score->total, screened.score->total) << app.dump();
    EXPECT_EQ(full.score->objective, screened.score->objective) << app.dump();
    EXPECT_EQ(full.score->expert, screened.score->expert) << app.dump();
    ASSERT_EQ(full.score->criteria.size(), screened.score->criteria.size());
    for (std::size_t i = 0; i < full.score->criteria.size(); ++i) {
      EXPECT_EQ(full.score->criteria[i].points, screened.score->criteria[i].points) << app.dump();
      EXPECT_FALSE(full.score->criteria[i].why.en.empty()) << app.dump();
      EXPECT_TRUE(screened.score->criteria[i].why.zh.empty() && screened.score->criteria[i].why.en.empty());
    }
    const auto *a = finding(full, "score.experts"), *b = finding(screened, "score.experts");
    ASSERT_EQ(a != nullptr, b != nullptr) << app.dump();
    if (a) {
      EXPECT_EQ(a->outcome, b->outcome) << app.dump();
      EXPECT_FALSE(a->message.en.empty());
      EXPECT_TRUE(b->message.zh.empty() && b->message.en.empty() && b->evidence.is_null() && b->pointer.empty());
    }
  };
  {
    TempPack temp(edge_rubric());
    auto pack = temp.load();
    for (const json& x : {json(-5), json(0), json(0.000001), json(10), json(20), json(20.000001), json(1e15),
                          json("many"), json("12"), json(nullptr), json(true)})
      same(pack, json{{"x", x}});
    same(pack, json::object());
  }
  {
    json c = criterion_json("x", {{"/", {1, {"var", "x"}}}}, json{{"per", 200}, {"points", 1}, {"cap", 7}, {"whole_units", true}}, 7);
    TempPack temp({{"total", 7}, {"criteria", json::array({c})}});
    auto pack = temp.load();
    for (const json& x : {json(0.001), json(0.0025), json(0), json("x")}) same(pack, json{{"x", x}});
  }
  for (const json& rule : {json(nullptr), json{{"combine", "median"}}, json{{"combine", "mean"}}, json{{"scale", 10}},
                           json{{"trim", 2}, {"trim_when_at_least", 5}}}) {
    json rubric = {{"total", 100},
                   {"criteria", json::array({criterion_json("x", {{"var", "x"}}, json{{"per", 1}, {"points", 1}}, 100)})},
                   {"blend", {{"objective", 0.4}, {"expert", 0.6}}}};
    if (!rule.is_null()) rubric["experts"] = rule;
    TempPack temp(rubric);
    auto pack = temp.load();
    for (const json& experts : {json::array({9, 8, 7, 6, 10}), json::array({9, 8, 7, 6}), json::array({9.1, 9.7, 9.8, 8.4, 8.7, 1, 2}),
                                json::array({90, "high"}), json("90"), json::array()})
      same(pack, json{{"x", 80}, {"expert_scores", experts}});
  }
}

// ------------------------------------------------------------------------------ bad rubrics

TEST(ScoringTest, BadRubricsFailToLoadNamingFileAndPointer) {
  auto with = [](std::function<void(json&)> change) {
    json r = edge_rubric();
    change(r);
    return r;
  };
  auto bands = [](json list) {
    return [list](json& r) { r["criteria"][0]["bands"] = list; };
  };
  struct Case {
    const char* what;
    json rubric;
    const char* code;
    const char* pointer;
  };
  const std::vector<Case> cases = {
      {"bands share an included bound",
       with(bands({band(0, true, 10, true, 1), band(10, true, std::nullopt, false, 3)})), "band_overlap", "/criteria/0/bands/1"},
      {"bands cross", with(bands({band(0, true, 10, false, 1), band(5, true, std::nullopt, false, 3)})), "band_overlap",
       "/criteria/0/bands/1"},
      {"a bound excluded on both sides", with(bands({band(0, true, 10, false, 1), band(10, false, std::nullopt, false, 3)})),
       "band_gap", "/criteria/0/bands/1"},
      {"bands leave a gap", with(bands({band(0, true, 10, false, 1), band(11, true, std::nullopt, false, 3)})), "band_gap",
       "/criteria/0/bands/1"},
      {"a bound without its inclusiveness",
       with([](json& r) { r["criteria"][0]["bands"][1].erase("min_inclusive"); }), "bad_band",
       "/criteria/0/bands/1/min_inclusive"},
      {"an empty band", with(bands(json::array({band(5, true, 5, false, 3)}))), "bad_band", "/criteria/0/bands/0"},
      {"points above the max", with([](json& r) { r["criteria"][0]["bands"][3]["points"] = 4; }), "bad_band",
       "/criteria/0/bands/3/points"},
      {"the max out of reach", with([](json& r) { r["criteria"][0]["bands"][3]["points"] = 2; }), "max_unreachable",
       "/criteria/0/bands"},
      {"maxima not adding up to the total", with([](json& r) { r["total"] = 100; }), "max_mismatch", "/criteria"},
      {"no total", with([](json& r) { r.erase("total"); }), "bad_scoring", "/total"},
      {"both bands and linear", with([](json& r) { r["criteria"][0]["linear"] = {{"per", 1}, {"points", 1}}; }),
       "bad_scoring", "/criteria/0"},
      {"a linear cap below the max",
       with([](json& r) {
         r["criteria"][0].erase("bands");
         r["criteria"][0]["linear"] = {{"per", 1}, {"points", 1}, {"cap", 2}};
       }),
       "max_unreachable", "/criteria/0/linear/cap"},
      {"points with three decimals", with([](json& r) { r["criteria"][0]["bands"][1]["points"] = 1.125; }), "bad_scoring",
       "/criteria/0/bands/1/points"},
      {"an unknown key", with([](json& r) { r["criteria"][0]["colour"] = "red"; }), "unknown_key", "/criteria/0/colour"},
      {"a criterion twice", with([](json& r) {
         r["criteria"].push_back(r["criteria"][0]);
         r["total"] = 6;
       }),
       "duplicate_criterion", "/criteria/1/id"},
      {"no clause", with([](json& r) { r["criteria"][0].erase("clause"); }), "bad_scoring", "/criteria/0/clause"},
      {"a typo in a field", with([](json& r) { r["criteria"][0]["value"] = {{"var", "xx"}}; }), "undeclared_field",
       "/criteria/0/value"},
      {"weights not adding up to 1", with([](json& r) { r["blend"] = {{"objective", 0.5}, {"expert", 0.6}}; }), "bad_blend",
       "/blend"},
      {"ranking not starting with the final score", with([](json& r) { r["tie_breaks"] = {"objective desc"}; }),
       "bad_tie_break", "/tie_breaks/0"},
      {"an unknown tie-break", with([](json& r) { r["tie_breaks"] = {"final desc", "colour asc"}; }), "bad_tie_break",
       "/tie_breaks/1"},
      {"a tie-break without direction", with([](json& r) { r["tie_breaks"] = {"final desc", "application"}; }),
       "bad_tie_break", "/tie_breaks/1"},
      {"a tie-break on a field no rule reads", with([](json& r) { r["tie_breaks"] = {"final desc", "y asc"}; }),
       "bad_tie_break", "/tie_breaks/1"},
      {"an unknown way to combine", with([](json& r) { r["experts"] = {{"combine", "best"}}; }), "bad_scoring",
       "/experts/combine"},
      {"a cut above the total", with([](json& r) { r["cut"] = 4; }), "bad_scoring", "/cut"},
  };
  for (const Case& c : cases) {
    TempPack temp(c.rubric);
    try {
      temp.load();
      ADD_FAILURE() << c.what << ": loaded";
    } catch (const qualify::Error& e) {
      EXPECT_EQ(e.code(), c.code) << c.what << ": " << e.what();
      EXPECT_EQ(e.pointer().rfind(c.pointer, 0), 0u) << c.what << ": " << e.what();
      EXPECT_EQ(fs::path(e.file()).filename(), "scoring.json") << c.what << ": " << e.what();
    }
  }
}

TEST(ScoringTest, TieBreakOnARecordedFieldLoads) {
  json r = edge_rubric();
  r["tie_breaks"] = {"final desc", "submitted_on asc", "application asc"};
  TempPack temp(r);
  auto pack = temp.load();
  const auto& keys = pack.data().scoring_model->tie_breaks;
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[1].pointer, "/submitted_on");
  EXPECT_FALSE(keys[1].descending);
}

}  // namespace
