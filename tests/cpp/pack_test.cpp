// Rule packs: loading, composition with Kleene logic, extends, load errors, decisions.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "qualify/detail/text_store.hpp"
#include "qualify/qualify.hpp"

namespace {

namespace fs = std::filesystem;

fs::path packs() { return fs::path(__FILE__).parent_path().parent_path() / "packs"; }

const qualify::Finding& finding(const qualify::Decision& d, const std::string& rule) {
  for (const auto& f : d.findings)
    if (f.rule == rule) return f;
  throw std::runtime_error("no finding for " + rule);
}

qualify::Outcome outcome(const qualify::Decision& d, const std::string& rule) { return finding(d, rule).outcome; }

const nlohmann::json kGood = {{"id", "A1"},     {"scale", 2500},    {"stamped", true},
                              {"signed", true}, {"report", false},  {"promise", true},
                              {"items", {{{"ok", true}}, {{"ok", true}}}}};

TEST(RulePackTest, LoadsAndPasses) {
  auto pack = qualify::RulePack::load(packs() / "mini");
  EXPECT_EQ(pack.info().id, "mini");
  EXPECT_EQ(pack.info().sha256.size(), 64u);
  auto d = pack.evaluate(kGood);
  EXPECT_EQ(d.status, qualify::Status::eligible) << d.to_json().dump(2);
  EXPECT_EQ(d.application, "A1");
  const auto& scale = finding(d, "scale");
  EXPECT_EQ(scale.clause, "2.3");
  EXPECT_EQ(scale.message.zh, "规模2500人次，不低于2000");
  EXPECT_EQ(scale.message.en, "scale 2500, at least 2000");
  EXPECT_EQ(scale.evidence.find("/scale"), 2500);
  EXPECT_EQ(scale.pointer, "/scale");
}

// A rule's evidence holds what it read and its named values, in key order, the read
// winning over a named value of the same key, and no value whose evaluation failed.
TEST(RulePackTest, EvidenceHoldsReadsAndNamedValuesInKeyOrder) {
  auto pack = qualify::RulePack::load(packs() / "named-values");
  nlohmann::json teachers = nlohmann::json::array();
  for (int i = 0; i < 12; ++i) teachers.push_back({{"kind", i == 11 ? "外聘" : "专职师资"}});
  auto d = pack.evaluate({{"teachers", teachers}});
  const qualify::Finding& f = finding(d, "teachers");
  EXPECT_EQ(f.outcome, qualify::Outcome::fail);
  EXPECT_EQ(f.message.en, "12 teachers, ?");
  nlohmann::json expected = {{"count", 12}, {"/teachers", {{"items", 12}}}};
  for (int i = 0; i < 12; ++i) expected["/teachers/" + std::to_string(i) + "/kind"] = teachers[i]["kind"];
  EXPECT_EQ(f.evidence.to_json(), expected);
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < f.evidence.size(); ++i) keys.emplace_back(f.evidence[i].key);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ(keys.front(), "/teachers");
  EXPECT_EQ(keys.back(), "count");
}

TEST(RulePackTest, ParameterDecidesThresholdAndSeverity) {
  auto pack = qualify::RulePack::load(packs() / "mini");
  auto app = kGood;
  app["scale"] = 1999;
  auto d = pack.evaluate(app);
  EXPECT_EQ(outcome(d, "scale"), qualify::Outcome::fail);
  EXPECT_EQ(finding(d, "scale").severity, qualify::Severity::soft);
  EXPECT_EQ(d.status, qualify::Status::needs_review);
  app["scale"] = 2000;  // 以上 includes the number itself
  EXPECT_EQ(outcome(pack.evaluate(app), "scale"), qualify::Outcome::pass);
}

TEST(RulePackTest, MissingFieldIsUnknownNotFail) {
  auto pack = qualify::RulePack::load(packs() / "mini");
  auto app = kGood;
  app.erase("scale");
  auto d = pack.evaluate(app);
  EXPECT_EQ(outcome(d, "scale"), qualify::Outcome::unknown);
  EXPECT_EQ(d.status, qualify::Status::needs_review);
  ASSERT_EQ(d.missing.size(), 1u);
  EXPECT_EQ(d.missing[0], "/scale");
}

TEST(RulePackTest, KleeneComposition) {
  auto pack = qualify::RulePack::load(packs() / "mini");
  auto app = kGood;
  app.erase("report");  // unknown, but promise passes: any() is pass
  EXPECT_EQ(outcome(pack.evaluate(app), "credit"), qualify::Outcome::pass);
  app["promise"] = false;  // unknown or fail: unknown
  EXPECT_EQ(outcome(pack.evaluate(app), "credit"), qualify::Outcome::unknown);
  app = kGood;
  app.erase("signed");
  app["stamped"] = false;  // fail and unknown: all() is fail
  auto d = pack.evaluate(app);
  EXPECT_EQ(outcome(d, "recommended"), qualify::Outcome::fail);
  EXPECT_EQ(d.status, qualify::Status::ineligible);
  // at_least 2 of (fail, unknown, pass): could still be 2, so unknown
  EXPECT_EQ(outcome(d, "two_of_three"), qualify::Outcome::unknown);
}

TEST(RulePackTest, QuantifierWithMissingElementField) {
  auto pack = qualify::RulePack::load(packs() / "mini");
  auto app = kGood;
  app["items"] = {{{"ok", true}}, nlohmann::json::object()};
  auto d = pack.evaluate(app);
  EXPECT_EQ(outcome(d, "items_ok"), qualify::Outcome::unknown);
  EXPECT_EQ(d.missing, std::vector<std::string>{"/items/1/ok"});
  app["items"] = {{{"ok", false}}, nlohmann::json::object()};  // one sure false decides
  EXPECT_EQ(outcome(pack.evaluate(app), "items_ok"), qualify::Outcome::fail);
}

TEST(RulePackTest, AppliesWhen) {
  auto pack = qualify::RulePack::load(packs() / "mini");
  auto d = pack.evaluate(kGood);
  EXPECT_EQ(finding(d, "only_big").evidence.find("applicable"), false);
  auto app = kGood;
  app["scale"] = 6000;
  EXPECT_EQ(pack.evaluate(app).findings.size(), d.findings.size());
}

TEST(RulePackTest, ExtendsOverridesRulesAndParameters) {
  auto pack = qualify::RulePack::load(packs() / "mini-extended");
  EXPECT_EQ(pack.info().id, "mini-extended");
  auto app = kGood;  // scale 2500 < 3000, now hard
  auto d = pack.evaluate(app);
  EXPECT_EQ(outcome(d, "scale"), qualify::Outcome::fail);
  EXPECT_EQ(finding(d, "scale").severity, qualify::Severity::hard);
  EXPECT_EQ(d.status, qualify::Status::ineligible);
  EXPECT_EQ(finding(d, "stamped").severity, qualify::Severity::soft);
  for (const auto& f : d.findings) EXPECT_NE(f.rule, "two_of_three");
}

struct BadPack {
  std::string name;
  std::string folder;
  std::string code;
  std::string pointer;
};

class BadPackTest : public testing::TestWithParam<BadPack> {};

TEST_P(BadPackTest, FailsToLoadWithFilePointerAndReason) {
  const BadPack& c = GetParam();
  try {
    qualify::RulePack::load(packs() / c.folder);
    FAIL() << "loaded";
  } catch (const qualify::Error& e) {
    EXPECT_EQ(e.code(), c.code) << e.what();
    EXPECT_EQ(e.pointer(), c.pointer) << e.what();
    EXPECT_NE(e.file().find("eligibility.json"), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Packs, BadPackTest,
                         testing::Values(BadPack{"Cycle", "cycle", "rule_cycle", "/rules/0"},
                                         BadPack{"UndeclaredField", "typo", "undeclared_field", "/rules/1/condition/==/0/var"},
                                         BadPack{"UnknownOperator", "unknown-op", "unknown_operator", "/rules/1/condition/and/1"}),
                         [](const auto& info) { return info.param.name; });

TEST(RulePackTest, MissingFolderIsPackError) {
  EXPECT_THROW(qualify::RulePack::load(packs() / "no-such-pack"), qualify::PackError);
}

TEST(RulePackTest, UnreadableApplicationIsAFindingNotAThrow) {
  auto pack = qualify::RulePack::load(packs() / "mini");
  auto d = pack.evaluate(std::string_view("{\"id\": \"A1\",\n \"scale\": }"));
  ASSERT_TRUE(d.error.has_value());
  EXPECT_EQ(d.error->first, "parse_error");
  EXPECT_NE(d.error->second.find("line 2"), std::string::npos) << d.error->second;
  EXPECT_EQ(d.status, qualify::Status::needs_review);
}

TEST(RulePackTest, DecisionJsonRoundTrips) {
  auto pack = qualify::RulePack::load(packs() / "mini");
  auto d = pack.evaluate(kGood, {.as_of = qualify::Date::parse("2025-11-03")});
  nlohmann::json j = d.to_json();
  EXPECT_EQ(j["as_of"], "2025-11-03");
  EXPECT_EQ(j["status"], "eligible");
  EXPECT_EQ(qualify::Decision::from_json(j).to_json(), j);
}

// Finding::rule and ::clause view text kept for the process: a decision read back, or made
// by a pack that is gone, still names its rules (AddressSanitizer would see a dangling view).
TEST(RulePackTest, FindingsNameTheirRulesAfterThePackIsGone) {
  qualify::Decision d, form;
  {
    auto pack = qualify::RulePack::load(packs() / "mini");
    d = pack.evaluate(kGood);
    auto bad = kGood;
    bad["stamped"] = "yes";
    form = pack.evaluate(bad);
  }
  const qualify::Finding& type = finding(form, "schema.type");
  EXPECT_EQ(type.clause, "form:/stamped");
  qualify::Decision read;
  {
    std::string text = d.to_json_text();
    read = qualify::Decision::from_json(nlohmann::json::parse(text));
    text.assign(text.size(), '#');  // the JSON read from is overwritten, then freed
  }
  EXPECT_EQ(finding(d, "scale").clause, "2.3");
  EXPECT_EQ(finding(read, "scale").clause, "2.3");
  ASSERT_EQ(read.findings.size(), d.findings.size());
  for (std::size_t i = 0; i < d.findings.size(); ++i) {
    EXPECT_EQ(read.findings[i].rule, d.findings[i].rule);
    // One copy of each id: the pack's and the one read back are the same characters.
    EXPECT_EQ(read.findings[i].rule.data(), d.findings[i].rule.data()) << d.findings[i].rule;
  }
}

TEST(InternTest, KeepsOneCopyOfEachText) {
  std::string a = "conditions.annual_scale", b = a;
  std::string_view kept = qualify::intern(a);
  a.assign(a.size(), '#');
  EXPECT_EQ(kept, "conditions.annual_scale");
  EXPECT_EQ(qualify::intern(b).data(), kept.data());
  EXPECT_NE(qualify::intern("conditions.annual_scale2").data(), kept.data());
  EXPECT_EQ(qualify::intern(""), "");
}

TEST(InternTest, StoreRefusesToGrowPastItsLimit) {
  qualify::detail::TextStore store(10);
  EXPECT_EQ(store.keep("12345"), "12345");
  EXPECT_EQ(store.keep("12345"), "12345");  // kept already: no growth
  EXPECT_EQ(store.keep("67890"), "67890");
  EXPECT_EQ(store.bytes(), 10u);
  try {
    store.keep("x");
    FAIL() << "a store at its limit kept more";
  } catch (const qualify::Error& e) {
    EXPECT_EQ(e.code(), "too_many_names");
  }
  EXPECT_EQ(store.keep("67890"), "67890");  // what it holds it still gives
}

// Fills the process's store of kept names, then reads a decision whose second finding's
// rule id no longer fits: exits 0 when the error names that finding's pointer.
[[noreturn]] void read_a_decision_past_the_name_limit() {
  // The first finding's names are kept beforehand, then the store is filled to the brim
  // (however much earlier tests kept), so that only the second finding's new id cannot fit.
  qualify::intern("a");
  qualify::intern("1");
  int counter = 0;
  for (std::size_t size = std::size_t{1} << 20; size > 0; size /= 2) {
    try {
      while (true) {
        std::string text = std::to_string(counter++);
        text.resize(std::max(size, text.size()), '.');
        qualify::intern(text);
      }
    } catch (const qualify::Error&) {
    }
  }
  nlohmann::json finding = {{"rule", "a"}, {"clause", "1"}, {"outcome", "pass"}, {"severity", "hard"}};
  nlohmann::json big = finding;
  big["rule"] = std::string(1 << 20, 'y');
  try {
    qualify::Decision::from_json({{"status", "eligible"}, {"findings", {finding, big}}});
  } catch (const qualify::Error& e) {
    std::exit(e.code() == "too_many_names" && e.pointer() == "/findings/1/rule" ? 0 : 2);
  }
  std::exit(3);
}

// Decisions read from JSON keep their findings' names: the finding that would push the
// store past its limit is named by its pointer. In a child process, as the store stays full
// for the rest of the process.
TEST(InternTest, DecisionFromJsonNamesTheFindingPastTheLimit) {
  EXPECT_EXIT(read_a_decision_past_the_name_limit(), ::testing::ExitedWithCode(0), "");
}

TEST(InternTest, ManyThreadsGetOneCopy) {
  std::vector<std::string> texts;
  for (int i = 0; i < 500; ++i) texts.push_back("intern-test.rule-" + std::to_string(i));
  std::vector<std::vector<std::string_view>> got(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] {
      for (const std::string& text : texts) got[t].push_back(qualify::intern(text));
    });
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(got[0][i], texts[i]);
    for (std::size_t t = 1; t < got.size(); ++t) EXPECT_EQ(got[t][i].data(), got[0][i].data()) << texts[i];
  }
}

TEST(RulePackTest, ManyThreadsGiveTheSameDecisions) {
  auto pack = qualify::RulePack::load(packs() / "mini");
  std::vector<std::string> texts;
  for (int i = 0; i < 200; ++i) {
    auto app = kGood;
    app["id"] = "A" + std::to_string(i);
    app["scale"] = 1900 + i;
    if (i % 7 == 0) app.erase("signed");
    texts.push_back(i % 50 == 3 ? std::string("not json") : app.dump());
  }
  auto one = pack.evaluate_many(texts, 1);
  auto many = pack.evaluate_many(texts, 4);
  ASSERT_EQ(one.size(), texts.size());
  ASSERT_EQ(many.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(one[i].to_json(), many[i].to_json()) << i;
}

TEST(RulePackTest, OutcomesFastPathAgreesWithEvaluate) {
  auto pack = qualify::RulePack::load(packs() / "mini");
  auto app = kGood;
  app.erase("report");
  app["promise"] = false;
  auto doc = qualify::Document::from_json(app);
  auto fast = pack.outcomes(doc);
  auto full = pack.evaluate(doc);
  auto ids = pack.rule_ids();
  ASSERT_EQ(fast.size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(fast[i], outcome(full, ids[i])) << ids[i];
}

// Screening (explain = false) leaves out messages and evidence, never a check: the form's
// findings, the status, the score and the date facts are those of the full evaluation,
// sample by sample.
TEST(RulePackTest, ScreeningGivesTheStatusAndFormFindingsOfTheFullEvaluation) {
  fs::path repo = packs().parent_path().parent_path();
  auto pack = qualify::RulePack::load(repo / "rules" / "chongqing-dte-2025");
  qualify::EvaluateOptions full, screening;
  full.as_of = screening.as_of = qualify::Date::parse("2025-11-03");
  screening.explain = false;
  auto form_findings = [](const qualify::Decision& d) {
    std::vector<std::string> out;
    for (const auto& f : d.findings)
      if (f.rule.rfind("schema.", 0) == 0) out.push_back(std::string(f.rule) + " " + f.pointer + " " + std::string(to_string(f.outcome)));
    return out;
  };
  std::size_t with_form_findings = 0, samples = 0;
  for (const auto& entry : fs::directory_iterator(repo / "examples" / "applications")) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    qualify::Decision a = pack.evaluate(text.str(), full), b = pack.evaluate(text.str(), screening);
    std::string name = entry.path().filename().string();
    EXPECT_EQ(a.status, b.status) << name;
    EXPECT_EQ(form_findings(a), form_findings(b)) << name;
    ASSERT_TRUE(a.score && b.score) << name;
    EXPECT_EQ(a.score->total, b.score->total) << name;
    EXPECT_EQ(a.score->objective, b.score->objective) << name;
    EXPECT_EQ(a.score->expert, b.score->expert) << name;
    ASSERT_EQ(a.score->criteria.size(), b.score->criteria.size()) << name;
    for (std::size_t i = 0; i < a.score->criteria.size(); ++i) {
      const auto &x = a.score->criteria[i], &y = b.score->criteria[i];
      EXPECT_EQ(x.id, y.id);
      EXPECT_EQ(x.points, y.points) << name << " " << x.id;
      EXPECT_EQ(x.max, y.max);
      EXPECT_FALSE(x.why.zh.empty() || x.why.en.empty()) << name << " " << x.id;
      EXPECT_TRUE(y.why.zh.empty() && y.why.en.empty()) << name << " " << y.id;
    }
    EXPECT_EQ(a.dates.deadline_met, b.dates.deadline_met) << name;
    EXPECT_EQ(a.dates.validity.has_value(), b.dates.validity.has_value()) << name;
    if (a.dates.validity && b.dates.validity) {
      EXPECT_EQ(a.dates.validity->until, b.dates.validity->until) << name;
    }
    // The same findings in the same order, with the same outcomes (the experts' one too).
    ASSERT_EQ(a.findings.size(), b.findings.size()) << name;
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
      EXPECT_EQ(a.findings[i].rule, b.findings[i].rule) << name;
      EXPECT_EQ(a.findings[i].outcome, b.findings[i].outcome) << name << " " << a.findings[i].rule;
    }
    // A batch holds every decision it returns: their findings come without room to spare
    // (at most the experts' finding's, when the scoring has none to add).
    for (const qualify::Decision* d : {&a, &b})
      EXPECT_LE(d->findings.capacity(), d->findings.size() + 1) << name;
    // Explained findings carry an evidence object; screening's rule findings record none.
    for (const auto& f : a.findings) EXPECT_TRUE(f.evidence.is_object()) << name << " " << f.rule;
    for (const auto& f : b.findings)
      EXPECT_EQ(f.evidence.is_null(), f.rule.rfind("schema.", 0) != 0) << name << " " << f.rule;
    with_form_findings += !form_findings(a).empty();
    ++samples;
  }
  EXPECT_GT(samples, 40u);
  EXPECT_GT(with_form_findings, 0u);  // the comparison covers applications with form defects
}

// to_json_text writes what dumping to_json gives, byte for byte: every sample and golden
// application explained and screened, unreadable ones, and a decision made by hand with
// every optional part and every kind of text that must be escaped or replaced.
TEST(RulePackTest, DecisionJsonTextIsTheDumpOfToJson) {
  const fs::path repo = packs().parent_path().parent_path();
  auto pack = qualify::RulePack::load(repo / "rules" / "chongqing-dte-2025");
  qualify::EvaluateOptions full{.as_of = qualify::Date::parse("2025-11-03")}, screening;
  screening.explain = false;
  std::vector<qualify::Decision> decisions;
  for (const fs::path& dir : {repo / "examples" / "applications", repo / "tests" / "golden"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".json" || entry.path().string().ends_with(".expected.json")) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      decisions.push_back(pack.evaluate(text.str(), full));
      decisions.back().source = entry.path().filename().string();
      decisions.push_back(pack.evaluate(text.str(), screening));
    }
  }
  ASSERT_GT(decisions.size(), 100u);
  decisions.push_back(pack.evaluate(std::string("{\"id\": \"x\",\n  oops"), full));
  decisions.push_back(pack.evaluate(std::string("{\"id\": \"bad \xff byte\"}"), full));
  decisions.push_back(qualify::Decision{});

  qualify::Decision odd;
  odd.application = "tab\there \"quoted\" back\\slash \x01\x1f\x7f end";
  odd.institution = "not UTF-8: \xc3\x28 and \xed\xa0\x80 and \xf4\x90\x80\x80";
  odd.occupation = "人工智能工程技术人员 / ~ é";
  odd.source = "apps.jsonl:7";
  odd.pack = {"p", "1.0.0", std::string(64, 'a')};
  odd.as_of = qualify::Date::parse("2025-02-28");
  odd.status = qualify::Status::ineligible;
  // One kind of byte to escape each, past the first eight-byte words that are scanned whole.
  odd.missing = {"/a", "/b\nc", "", "/past the first words: a \"quote\"", "/past the first words: C:\\dir, then more words",
                 "/past the first words: \x1b[0m"};
  qualify::Finding f;
  f.rule = "r";
  f.clause = "2.1";
  f.outcome = qualify::Outcome::unknown;
  f.severity = qualify::Severity::info;
  f.message = {"中文\r\n\b\f", ""};
  f.pointer = "/x~1y";
  f.evidence = qualify::Evidence::from_json({{"/list", {1, 2.5, nullptr, true, "s\"", nlohmann::json::object(), nlohmann::json::array()}},
                                             {"/obj", {{"k", {{"deep", {1, {2, 3}}}}}}},
                                             {"/text", "bad \xff and \x02"},
                                             {"/big", 1e300},
                                             {"/neg", -0.1}});
  f.error = "budget_exceeded: ran out";
  odd.findings = {f, qualify::Finding{}};
  odd.score = qualify::Score{77.125, 100, {{"c1", 10, 20, {"理由", "why"}}, {"c2", 0.333, 1, {}}}, 60.5, 16.625};
  odd.dates.deadline_met = false;
  odd.dates.validity = qualify::Validity{*qualify::Date::parse("2025-01-01"), *qualify::Date::parse("2027-12-31")};
  odd.error = std::make_pair(std::string("parse_error"), std::string("line 1, column 2: \"x\""));
  decisions.push_back(odd);
  odd.score->objective.reset();
  odd.score->criteria.clear();
  odd.dates = {};
  odd.error.reset();
  decisions.push_back(odd);

  for (int indent : {-1, 0, 2, 4}) {
    for (const qualify::Decision& d : decisions) {
      std::string want = d.to_json().dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
      ASSERT_EQ(d.to_json_text(indent), want) << "indent " << indent << ", " << d.source << " " << d.application;
    }
  }
}

}  // namespace
