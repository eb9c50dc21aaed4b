// Selection: ranking by final score with the declared tie-breaks, and the quota that counts
// institutions (distinct 统一社会信用代码), not applications.
#include <algorithm>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "qualify/qualify.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using qualify::SelectionReason;
using qualify::Status;

fs::path repo() { return fs::path(__FILE__).parent_path().parent_path().parent_path(); }

const qualify::RulePack& reference() {
  static const qualify::RulePack pack = qualify::RulePack::load(repo() / "rules" / "chongqing-dte-2025");
  return pack;
}

struct Spec {
  Spec(std::string app, std::string inst, double final, Status st = Status::eligible,
       std::optional<double> obj = std::nullopt, std::string submitted = {})
      : application(std::move(app)), institution(std::move(inst)), final_score(final), status(st),
        objective(obj), submitted_on(std::move(submitted)) {}
  std::string application;
  std::string institution;
  double final_score;
  Status status;
  std::optional<double> objective;
  std::string submitted_on;
};

qualify::Decision decision(const Spec& s) {
  qualify::Decision d;
  d.application = s.application;
  d.institution = s.institution;
  d.occupation = "人工智能工程技术人员";
  d.status = s.status;
  qualify::Score score;
  score.total = s.final_score;
  score.objective = s.objective ? s.objective : std::optional<double>(s.final_score);
  d.score = score;
  if (!s.submitted_on.empty()) {
    qualify::Finding f;
    f.rule = "dates.deadline";
    f.clause = "5.3";
    f.evidence.set("/submitted_on", s.submitted_on);
    d.findings.push_back(f);
  }
  return d;
}

std::vector<qualify::Decision> decisions(const std::vector<Spec>& specs) {
  std::vector<qualify::Decision> out;
  for (const Spec& s : specs) out.push_back(decision(s));
  return out;
}

const qualify::Ranked& entry(const qualify::Selection& s, const std::string& application) {
  for (const auto& r : s.ranking)
    if (r.application == application) return r;
  throw std::runtime_error("not in the ranking: " + application);
}

std::vector<std::string> order(const qualify::Selection& s) {
  std::vector<std::string> out;
  for (const auto& r : s.ranking) out.push_back(r.application);
  return out;
}

qualify::SelectOptions quota(int n) {
  qualify::SelectOptions o;
  o.quota = n;
  return o;
}

TEST(SelectTest, InstitutionWithThreeOccupationsAtTopCountsOnce) {
  auto ds = decisions({{"B", "I-B", 90},
                       {"A1", "I-A", 95},
                       {"C", "I-C", 88},
                       {"A2", "I-A", 94},
                       {"D", "I-D", 85},
                       {"E", "I-E", 84},
                       {"F", "I-F", 83},
                       {"A3", "I-A", 93},
                       {"A4", "I-A", 70}});
  auto s = reference().select(ds, quota(5));
  EXPECT_EQ(s.quota, 5);
  EXPECT_EQ(s.institutions_selected, 5);
  EXPECT_EQ(order(s), (std::vector<std::string>{"A1", "A2", "A3", "B", "C", "D", "E", "F", "A4"}));
  for (const char* id : {"A1", "A2", "A3", "B", "C", "D", "E"}) {
    EXPECT_TRUE(entry(s, id).selected) << id;
    EXPECT_EQ(entry(s, id).reason, SelectionReason::selected) << id;
  }
  EXPECT_EQ(entry(s, "F").reason, SelectionReason::quota_reached);
  EXPECT_FALSE(entry(s, "F").selected);
  // Below the quota line, but its institution is already in: taken for a fourth occupation.
  EXPECT_EQ(entry(s, "A4").reason, SelectionReason::selected);
  EXPECT_EQ(entry(s, "A1").rank, 1);
  EXPECT_EQ(entry(s, "A4").rank, 9);
}

TEST(SelectTest, TiesAreBrokenByTheDeclaredOrder) {
  struct Case {
    const char* what;
    Spec first, second;  // `first` must rank first, whatever the input order
  };
  const std::vector<Case> cases = {
      {"the higher final score", {"Z", "I-Z", 80.01, Status::eligible, 70}, {"A", "I-A", 80, Status::eligible, 90}},
      {"equal final: the higher objective score", {"Z", "I-Z", 80, Status::eligible, 75}, {"A", "I-A", 80, Status::eligible, 74.99}},
      {"equal final and objective: submitted earlier",
       {"Z", "I-Z", 80, Status::eligible, 75, "2025-10-20"},
       {"A", "I-A", 80, Status::eligible, 75, "2025-10-21"}},
      {"a submission date ranks before none", {"Z", "I-Z", 80, Status::eligible, 75, "2025-10-31"}, {"A", "I-A", 80, Status::eligible, 75, ""}},
      {"everything else equal: application id", {"A", "I-A", 80, Status::eligible, 75, "2025-10-20"},
       {"B", "I-B", 80, Status::eligible, 75, "2025-10-20"}},
      // 0.1 * 3 is 0.30000000000000004 in binary; scores compare in hundredths, as shown.
      {"binary noise is no difference", {"A", "I-A", 78.5, Status::eligible, 0.1 * 3}, {"B", "I-B", 78.49999999999999, Status::eligible, 0.3}},
  };
  for (const Case& c : cases) {
    for (bool reversed : {false, true}) {
      auto ds = reversed ? decisions({c.second, c.first}) : decisions({c.first, c.second});
      auto s = reference().select(ds, quota(1));
      ASSERT_EQ(s.ranking.size(), 2u);
      EXPECT_EQ(s.ranking[0].application, c.first.application) << c.what << (reversed ? " (reversed)" : "");
      EXPECT_EQ(s.ranking[0].rank, 1) << c.what;
      EXPECT_EQ(s.ranking[1].rank, 2) << c.what;
      EXPECT_EQ(s.ranking[0].reason, SelectionReason::selected) << c.what;
      EXPECT_EQ(s.ranking[1].reason, SelectionReason::quota_reached) << c.what;
    }
  }
}

TEST(SelectTest, EqualInputsShareARank) {
  auto ds = decisions({{"A", "I-A", 80, Status::eligible, 75, "2025-10-20"},
                       {"A", "I-A", 80, Status::eligible, 75, "2025-10-20"},
                       {"B", "I-B", 79}});
  auto s = reference().select(ds, quota(5));
  EXPECT_EQ(s.ranking[0].rank, 1);
  EXPECT_EQ(s.ranking[1].rank, 1);
  EXPECT_EQ(s.ranking[2].rank, 3);
  EXPECT_EQ(s.institutions_selected, 2);
}

TEST(SelectTest, FewerEligibleInstitutionsThanTheQuota) {
  auto ds = decisions({{"A", "I-A", 70},
                       {"B", "I-B", 60},
                       {"B2", "I-B", 65},
                       {"C", "I-C", 90, Status::ineligible},
                       {"D", "I-D", 50, Status::needs_review}});
  auto s = reference().select(ds, quota(5));
  EXPECT_EQ(s.institutions_selected, 2);
  EXPECT_EQ(order(s), (std::vector<std::string>{"A", "B2", "B", "C", "D"}));
  for (const char* id : {"A", "B", "B2"}) EXPECT_EQ(entry(s, id).reason, SelectionReason::selected) << id;
  for (const char* id : {"C", "D"}) {
    EXPECT_EQ(entry(s, id).reason, SelectionReason::not_eligible) << id;
    EXPECT_EQ(entry(s, id).rank, 0) << id;
    EXPECT_FALSE(entry(s, id).selected) << id;
  }
  qualify::SelectOptions with_review = quota(5);
  with_review.include_needs_review = true;
  auto r = reference().select(ds, with_review);
  EXPECT_EQ(r.institutions_selected, 3);
  EXPECT_EQ(entry(r, "D").reason, SelectionReason::selected);
  EXPECT_EQ(entry(r, "D").rank, 4);
  EXPECT_EQ(entry(r, "C").reason, SelectionReason::not_eligible);
}

TEST(SelectTest, NoEligibleApplications) {
  auto ds = decisions({{"A", "I-A", 90, Status::ineligible}, {"B", "I-B", 80, Status::needs_review}});
  auto s = reference().select(ds, quota(5));
  EXPECT_EQ(s.institutions_selected, 0);
  ASSERT_EQ(s.ranking.size(), 2u);
  for (const auto& r : s.ranking) {
    EXPECT_EQ(r.reason, SelectionReason::not_eligible);
    EXPECT_EQ(r.rank, 0);
  }
  auto empty = reference().select(std::vector<qualify::Decision>{}, quota(5));
  EXPECT_EQ(empty.institutions_selected, 0);
  EXPECT_TRUE(empty.ranking.empty());
}

TEST(SelectTest, UnreadableApplicationsAreNeverRanked) {
  auto ds = decisions({{"A", "I-A", 90, Status::needs_review}});
  ds[0].error = std::make_pair("parse_error", "line 3");
  qualify::SelectOptions o = quota(5);
  o.include_needs_review = true;
  EXPECT_EQ(reference().select(ds, o).ranking[0].reason, SelectionReason::not_eligible);
}

TEST(SelectTest, CutLeavesLowScoresOut) {
  auto ds = decisions({{"A", "I-A", 90}, {"B", "I-B", 60}, {"C", "I-C", 59.99}});
  qualify::SelectOptions o = quota(5);
  o.cut = 60;
  auto s = reference().select(ds, o);
  EXPECT_EQ(entry(s, "A").reason, SelectionReason::selected);
  EXPECT_EQ(entry(s, "B").reason, SelectionReason::selected);  // the cut itself is enough
  EXPECT_EQ(entry(s, "C").reason, SelectionReason::below_cut);
  EXPECT_EQ(entry(s, "C").rank, 3);
  EXPECT_EQ(s.cut, 60);
}

TEST(SelectTest, QuotaZeroAndNegative) {
  auto ds = decisions({{"A", "I-A", 90}});
  EXPECT_EQ(reference().select(ds, quota(0)).ranking[0].reason, SelectionReason::quota_reached);
  EXPECT_THROW(reference().select(ds, quota(-1)), qualify::Error);
}

// select refuses `ds` with unscored_decision at `pointer`, its reason saying `says`.
void expect_unscored(const std::vector<qualify::Decision>& ds, const std::string& pointer, const std::string& says) {
  try {
    reference().select(ds, quota(5));
    FAIL() << "select ranked decision " << pointer;
  } catch (const qualify::Error& e) {
    EXPECT_EQ(e.code(), "unscored_decision");
    EXPECT_EQ(e.pointer(), pointer);
    EXPECT_NE(std::string(e.reason()).find(says), std::string::npos) << e.reason();
  }
}

TEST(SelectTest, ScreeningDecisionsWithoutScoreAreRefused) {
  auto ds = decisions({{"A", "I-A", 90}, {"B", "I-B", 80}});
  ds[1].score.reset();  // as evaluate(..., {.explain = false}) leaves it
  expect_unscored(ds, "/1", "(B)");
  // Not ranked, so no score needed.
  ds[1].status = Status::ineligible;
  EXPECT_EQ(reference().select(ds, quota(5)).ranking.size(), 2u);
}

// Screening scores too, but its rule findings carry no evidence, which the tie-break on the
// submission date reads: such a decision is refused, saying why.
TEST(SelectTest, ScreenedDecisionsWithAScoreAreRefused) {
  auto ds = decisions({{"A", "I-A", 90, Status::eligible, std::nullopt, "2025-10-01"},
                       {"B", "I-B", 80, Status::eligible, std::nullopt, "2025-10-02"}});
  ASSERT_EQ(reference().select(ds, quota(5)).ranking.size(), 2u);
  ds[0].findings[0].evidence = {};  // as evaluate(..., {.explain = false}) leaves it
  expect_unscored(ds, "/0", "(A) was screened");
}

TEST(SelectTest, JsonRoundTrip) {
  auto ds = decisions({{"A", "I-A", 78.5, Status::eligible, 72.25}, {"B", "I-B", 70, Status::ineligible}});
  ds[0].score->expert = 82.67;
  auto s = reference().select(ds, quota(5));
  json j = s.to_json();
  EXPECT_EQ(j["quota"], 5);
  EXPECT_EQ(j["institutions_selected"], 1);
  EXPECT_EQ(j["ranking"][0]["score"].dump(), "78.5");
  EXPECT_EQ(j["ranking"][0]["objective"].dump(), "72.25");
  EXPECT_EQ(j["ranking"][0]["reason"], "selected");
  EXPECT_EQ(j["ranking"][0]["status"], "eligible");
  EXPECT_EQ(j["ranking"][1]["reason"], "not_eligible");
  EXPECT_EQ(j["ranking"][1]["rank"], 0);
  EXPECT_EQ(j["tie_breaks"][0], "final desc");
  auto back = qualify::Selection::from_json(j);
  EXPECT_EQ(back.to_json(), j);
  EXPECT_THROW(qualify::Selection::from_json(json{{"quota", 5}, {"ranking", json::array({json{{"status", "eligible"}, {"reason", "lucky"}}})}}),
               qualify::Error);
}

TEST(SelectTest, ReasonNames) {
  EXPECT_EQ(qualify::to_string(SelectionReason::selected), "selected");
  EXPECT_EQ(qualify::to_string(SelectionReason::below_cut), "below_cut");
  EXPECT_EQ(qualify::to_string(SelectionReason::quota_reached), "quota_reached");
  EXPECT_EQ(qualify::to_string(SelectionReason::not_eligible), "not_eligible");
}

// The sample applications end to end: whatever the eligibility rules decide, the selection
// keeps its promises.
TEST(SelectTest, SampleApplicationsEndToEnd) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(repo() / "examples" / "applications"))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  std::vector<std::string> texts;
  for (const auto& f : files) {
    std::ifstream in(f);
    texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto ds = reference().evaluate_many(texts, 2);
  auto s = reference().select(ds, quota(5));
  auto again = reference().select(ds, quota(5));
  EXPECT_EQ(s.to_json(), again.to_json());
  EXPECT_LE(s.institutions_selected, 5);
  ASSERT_EQ(s.ranking.size(), ds.size());
  std::set<std::string> selected;
  int previous_rank = 0;
  for (const auto& r : s.ranking) {
    if (r.selected) {
      EXPECT_EQ(r.status, Status::eligible) << r.application;
      selected.insert(r.institution);
    }
    if (r.rank) {
      EXPECT_GE(r.rank, previous_rank);
      previous_rank = r.rank;
      EXPECT_TRUE(r.score) << r.application;
    }
  }
  EXPECT_EQ(static_cast<int>(selected.size()), s.institutions_selected);
  // An eligible application of a selected institution is always selected too.
  for (const auto& r : s.ranking) {
    if (r.status == Status::eligible && selected.count(r.institution)) {
      EXPECT_TRUE(r.selected) << r.application;
    }
  }
}

}  // namespace
