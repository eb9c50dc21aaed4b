// Hostile input: whatever a service is fed (applications typed by the public, rule packs from
// another office) gives a decision with a finding, or an error naming file, pointer and
// reason; never a crash, a hang, a stray exception or a lost record.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>  // getpid

#include <gtest/gtest.h>

#include "qualify/detail/document_access.hpp"  // to see which documents are swept in order
#include "qualify/qualify.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

fs::path tests_dir() { return fs::path(__FILE__).parent_path().parent_path(); }
fs::path chongqing_dir() { return tests_dir().parent_path() / "rules" / "chongqing-dte-2025"; }

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

const qualify::RulePack& chongqing() {
  static const qualify::RulePack pack = qualify::RulePack::load(chongqing_dir());
  return pack;
}

// A complete, eligible application (the golden case), as JSON and as compact text.
const json& clean() {
  static const json j = json::parse(read_file(tests_dir() / "golden" / "eligible-clean.json"));
  return j;
}

qualify::EvaluateOptions as_of() {
  qualify::EvaluateOptions o;
  o.as_of = qualify::Date::parse("2025-11-03");
  return o;
}

// The clean application with the value at `pointer` replaced by raw JSON text, which may be
// anything a person can type: -0, 1e400, NaN, "2025-02-30".
std::string with_raw_value(const std::string& pointer, const std::string& raw) {
  json j = clean();
  j[json::json_pointer(pointer)] = "@@RAW@@";
  std::string text = j.dump();
  text.replace(text.find("\"@@RAW@@\""), 9, raw);
  return text;
}

std::string nested(std::size_t depth, char open, char close, const std::string& inner = "") {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) out += open == '{' ? std::string("{\"a\":") : std::string(1, open);
  out += inner.empty() && open == '{' ? "1" : inner;
  out += std::string(depth, close);
  return out;
}

const qualify::Finding* finding_at(const qualify::Decision& d, const std::string& pointer) {
  for (const auto& f : d.findings)
    if (f.pointer == pointer && f.outcome != qualify::Outcome::pass) return &f;
  return nullptr;
}

const qualify::Finding& finding(const qualify::Decision& d, const std::string& rule) {
  for (const auto& f : d.findings)
    if (f.rule == rule) return f;
  throw std::runtime_error("no finding for " + rule);
}

// A copy of a pack folder under the system's temporary directory, removed afterwards.
class TempPack {
 public:
  explicit TempPack(const fs::path& from) {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("qualify-hostile-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::copy(from, dir_, fs::copy_options::recursive);
  }
  TempPack(const TempPack&) = delete;
  TempPack& operator=(const TempPack&) = delete;
  ~TempPack() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  const fs::path& dir() const { return dir_; }
  void write(const std::string& file, const std::string& text) const { write_file(dir_ / file, text); }
  json read(const std::string& file) const { return json::parse(read_file(dir_ / file)); }

 private:
  fs::path dir_;
};

fs::path mini_pack() { return tests_dir() / "packs" / "mini"; }

// ---------------------------------------------------------------- unreadable applications

struct Unreadable {
  std::string name;
  std::string text;
  std::string code;  // Decision::error code
  std::string says;  // part of the message
};

class UnreadableApplicationTest : public testing::TestWithParam<Unreadable> {};

TEST_P(UnreadableApplicationTest, GivesAnErrorDecisionNotAThrow) {
  const Unreadable& c = GetParam();
  qualify::Decision d;
  ASSERT_NO_THROW(d = chongqing().evaluate(c.text, as_of()));
  ASSERT_TRUE(d.error.has_value()) << d.to_json().dump(2);
  EXPECT_EQ(d.error->first, c.code) << d.error->second;
  EXPECT_NE(d.error->second.find(c.says), std::string::npos) << d.error->second;
  EXPECT_LT(d.error->second.size(), 300u) << d.error->second;  // quotes a little, not the whole text
  EXPECT_EQ(d.status, qualify::Status::needs_review);
  ASSERT_EQ(d.findings.size(), 1u);
  EXPECT_EQ(d.findings[0].rule, "input.readable");
  EXPECT_EQ(d.findings[0].outcome, qualify::Outcome::unknown);
  EXPECT_NE(d.findings[0].message.en.find(c.code), std::string::npos) << d.findings[0].message.en;
  EXPECT_FALSE(d.findings[0].message.zh.empty());
  // The record serialises (valid UTF-8 even when the input was not) and reads back.
  json j = d.to_json();
  EXPECT_EQ(j["error"]["code"], c.code);
  EXPECT_NO_THROW((void)j.dump());
  EXPECT_EQ(qualify::Decision::from_json(j).to_json(), j);
}

std::vector<Unreadable> unreadable_cases() {
  const std::string app = clean().dump();
  const std::string pretty = clean().dump(2);
  auto in_profile = [](const std::string& bytes) { return with_raw_value("/profile", "\"" + bytes + "\""); };
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "培训";
  std::string duplicate_inner = app;
  duplicate_inner.replace(duplicate_inner.find("\"employees\":"), 0, "\"employees\":5,");
  return {
      {"InvalidUtf8", in_profile("\xC3\x28"), "invalid_utf8", "UTF-8"},
      {"TruncatedUtf8Sequence", in_profile("\xE9\x87"), "invalid_utf8", "UTF-8"},
      {"OverlongUtf8", in_profile("\xC0\xAF"), "invalid_utf8", "UTF-8"},
      {"Latin1Text", in_profile("caf\xE9"), "invalid_utf8", "UTF-8"},
      {"Utf16Text", std::string("\xFF\xFE{\0}\0", 6), "invalid_utf8", "UTF-8"},
      {"InvalidUtf8AndBadSyntax", "{\"a\": \"\xE5\" x", "invalid_utf8", "line 1, column 8"},
      {"InvalidUtf8OnLineThree", "{\n\"a\": 1,\n\"b\": \"\xFF\"}", "invalid_utf8", "line 3, column 7"},
      {"LoneSurrogateEscape", in_profile("\\ud800"), "parse_error", "surrogate"},
      {"EmptyFile", "", "parse_error", "empty"},
      {"WhitespaceOnly", " \r\n\t ", "parse_error", "empty"},
      {"ByteOrderMarkOnly", "\xEF\xBB\xBF", "parse_error", "empty"},
      {"TruncatedDocument", pretty.substr(0, pretty.size() / 2), "parse_error", "line"},
      {"TrailingGarbage", app + " {}", "parse_error", "end of input"},
      {"MissingCommaAfterLongText", "{\"profile\": \"" + long_text + "\" \"兼职\"}", "parse_error", "line 1"},
      {"NulByte", std::string("{\"id\": \"A\"}\0{}", 14), "parse_error", "NUL byte"},
      {"ControlCharacterInText", in_profile("a\x01z"), "parse_error", "control character"},
      {"DuplicateKey", duplicate_inner, "duplicate_key", "/organization: duplicate key \"employees\""},
      {"DuplicateTopLevelKey", "{\"id\": \"A\", " + app.substr(1), "duplicate_key", "duplicate key \"id\""},
      {"HugeNumber", with_raw_value("/organization/employees", "1e400"), "number_out_of_range", "1e400"},
      {"HugeNegativeNumber", with_raw_value("/organization/registered_capital_wan", "-1e400"), "number_out_of_range", "-1e400"},
      {"HugeInteger", with_raw_value("/organization/employees", "1" + std::string(400, '0')), "number_out_of_range", "number overflow"},
      {"NaNText", with_raw_value("/organization/employees", "NaN"), "parse_error", "invalid literal"},
      {"InfinityText", with_raw_value("/organization/employees", "Infinity"), "parse_error", "invalid literal"},
      {"DeepArrays", nested(100000, '[', ']'), "too_deep", "64 levels"},
      {"DeepObjects", nested(100000, '{', '}'), "too_deep", "64 levels"},
      {"DeepInsideAField", with_raw_value("/profile", nested(100000, '[', ']')), "too_deep", "64 levels"},
      {"DeepAndUnclosed", std::string(100000, '['), "parse_error", "end of input"},
  };
}

INSTANTIATE_TEST_SUITE_P(Texts, UnreadableApplicationTest, testing::ValuesIn(unreadable_cases()),
                         [](const auto& info) { return info.param.name; });

// ---------------------------------------------------------------- readable, but wrong

struct WrongValue {
  std::string name;
  std::string pointer;  // where the bad value goes
  std::string raw;      // the value as typed
  std::string reported; // the pointer of the finding that must report it
};

class WrongValueTest : public testing::TestWithParam<WrongValue> {};

TEST_P(WrongValueTest, GivesAFindingAtThePointer) {
  const WrongValue& c = GetParam();
  qualify::Decision d;
  ASSERT_NO_THROW(d = chongqing().evaluate(with_raw_value(c.pointer, c.raw), as_of()));
  ASSERT_FALSE(d.error.has_value()) << d.error->second;
  EXPECT_NE(d.status, qualify::Status::eligible);
  const qualify::Finding* f = finding_at(d, c.reported);
  ASSERT_NE(f, nullptr) << d.to_json().dump(2);
  EXPECT_FALSE(f->message.en.empty());
  EXPECT_FALSE(f->message.zh.empty());
  EXPECT_NO_THROW((void)d.to_json().dump());
}

INSTANTIATE_TEST_SUITE_P(
    Values, WrongValueTest,
    testing::Values(
        WrongValue{"NegativeEmployees", "/organization/employees", "-5", "/organization/employees"},
        WrongValue{"NegativeTrainingTotal", "/training_history/4/total", "-100", "/training_history/4/total"},
        WrongValue{"NegativeFullTimeFaculty", "/faculty/full_time", "-1", "/faculty/full_time"},
        WrongValue{"NegativeCapital", "/organization/registered_capital_wan", "-0.5", "/organization/registered_capital_wan"},
        WrongValue{"NegativeZeroEmployees", "/organization/employees", "-0", "/organization/employees"},
        WrongValue{"FebruaryThirtieth", "/submitted_on", "\"2025-02-30\"", "/submitted_on"},
        WrongValue{"MonthThirteen", "/organization/established_on", "\"2025-13-01\"", "/organization/established_on"},
        WrongValue{"DayZero", "/commitment/date", "\"2025-10-00\"", "/commitment/date"},
        WrongValue{"SlashedDate", "/submitted_on", "\"2025/10/28\"", "/submitted_on"},
        WrongValue{"NumberForDate", "/submitted_on", "20251028", "/submitted_on"},
        WrongValue{"ChineseNumeralForCount", "/organization/employees", "\"八十六\"", "/organization/employees"},
        WrongValue{"DigitsAsTextForCount", "/faculty/full_time", "\"25\"", "/faculty/full_time"},
        WrongValue{"BooleanForCount", "/faculty/full_time", "true", "/faculty/full_time"},
        WrongValue{"FractionForCount", "/organization/employees", "86.5", "/organization/employees"},
        WrongValue{"NumberForText", "/profile", "12345", "/profile"},
        WrongValue{"ObjectForList", "/training_history", "{}", "/training_history"},
        WrongValue{"NullForRequired", "/organization/employees", "null", "/organization/employees"},
        WrongValue{"TextForBoolean", "/commitment/signed", "\"是\"", "/commitment/signed"}),
    [](const auto& info) { return info.param.name; });

class NotAnObjectTest : public testing::TestWithParam<std::string> {};

TEST_P(NotAnObjectTest, IsASchemaFindingAtTheRoot) {
  qualify::Decision d;
  ASSERT_NO_THROW(d = chongqing().evaluate(GetParam(), as_of()));
  EXPECT_FALSE(d.error.has_value());
  EXPECT_NE(d.status, qualify::Status::eligible);
  const qualify::Finding* f = finding_at(d, "");
  ASSERT_NE(f, nullptr) << d.to_json().dump(2);
  EXPECT_EQ(f->outcome, qualify::Outcome::fail);
}

INSTANTIATE_TEST_SUITE_P(Roots, NotAnObjectTest, testing::Values("[]", "42", "\"申报\"", "null", "true", "[{}]"),
                         [](const auto& info) { return "Case" + std::to_string(info.index); });

TEST(HostileInputTest, ByteOrderMarkIsSkipped) {
  const std::string text = clean().dump();
  auto plain = chongqing().evaluate(text, as_of());
  auto marked = chongqing().evaluate("\xEF\xBB\xBF" + text, as_of());
  EXPECT_EQ(marked.status, qualify::Status::eligible);
  EXPECT_EQ(marked.to_json(), plain.to_json());
  EXPECT_TRUE(qualify::Document::parse("\xEF\xBB\xBF" + text).had_bom());
}

TEST(HostileInputTest, NegativeZeroIsZero) {
  auto d = chongqing().evaluate(with_raw_value("/organization/employees", "-0"), as_of());
  const auto& staff = finding(d, "conditions.staff");
  EXPECT_EQ(staff.outcome, qualify::Outcome::fail);
  EXPECT_EQ(staff.evidence.find("/organization/employees"), 0);
  EXPECT_EQ(d.status, qualify::Status::ineligible);
}

TEST(HostileInputTest, ImpossibleDateLeavesTheRuleUnknownWithItsReason) {
  auto d = chongqing().evaluate(with_raw_value("/submitted_on", "\"2025-02-30\""), as_of());
  const auto& deadline = finding(d, "requirements.deadline");
  EXPECT_EQ(deadline.outcome, qualify::Outcome::unknown);
  EXPECT_NE(deadline.error.find("2025-02-30"), std::string::npos) << deadline.error;
  EXPECT_NE(deadline.message.en.find("2025-02-30"), std::string::npos) << deadline.message.en;
  EXPECT_EQ(d.status, qualify::Status::needs_review);
}

// ---------------------------------------------------------------- size

TEST(HostileInputTest, DocumentSizeLimitIsConfigurable) {
  const std::string text = clean().dump();
  qualify::Limits small;
  small.max_document_bytes = 4096;
  auto pack = qualify::RulePack::load(chongqing_dir(), small);
  auto d = pack.evaluate(text, as_of());
  ASSERT_TRUE(d.error.has_value());
  EXPECT_EQ(d.error->first, "too_large");
  EXPECT_NE(d.error->second.find("4096"), std::string::npos) << d.error->second;
  EXPECT_FALSE(chongqing().evaluate(text, as_of()).error.has_value());
}

// 50 MB: the default limit (16 MiB) refuses it without trying; a service that raises the limit
// gets it read, with the over-long text reported at its pointer.
TEST(HostileInputTest, FiftyMegabyteDocument) {
  json j = clean();
  std::string filler;
  for (int i = 0; i < 50 * 1000 * 1000 / 3; ++i) filler += "渝";
  j["profile"] = filler;
  const std::string text = j.dump();
  ASSERT_GT(text.size(), 50u * 1000 * 1000);
  auto refused = chongqing().evaluate(text, as_of());
  ASSERT_TRUE(refused.error.has_value());
  EXPECT_EQ(refused.error->first, "too_large");
  EXPECT_NE(refused.error->second.find(std::to_string(text.size())), std::string::npos) << refused.error->second;

  qualify::Limits big;
  big.max_document_bytes = std::size_t{64} << 20;
  auto pack = qualify::RulePack::load(chongqing_dir(), big);
  auto d = pack.evaluate(text, as_of());
  ASSERT_FALSE(d.error.has_value()) << d.error->second;
  const qualify::Finding* f = finding_at(d, "/profile");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(d.status, qualify::Status::needs_review);
}

// ---------------------------------------------------------------- batches

struct BatchItem {
  std::string text;
  std::string id;          // expected application id, or empty
  std::string error_code;  // expected error, or empty
};

// Good, bad and unreadable applications, interleaved.
std::vector<BatchItem> hostile_batch(int good, std::size_t profile_bytes) {
  std::vector<BatchItem> items;
  const auto bad = unreadable_cases();
  for (int i = 0; i < good; ++i) {
    json j = clean();
    std::string id = "BATCH-" + std::to_string(i);
    j["id"] = id;
    if (profile_bytes) {
      std::string filler;
      while (filler.size() < profile_bytes) filler += "重庆市数字技术工程师培育项目";
      j["profile"] = filler;
    }
    if (i % 3 == 1) j["organization"]["employees"] = -i;
    if (i % 5 == 2) j["submitted_on"] = "2025-02-30";
    if (i % 7 == 3) j["faculty"]["full_time"] = "二十";
    items.push_back({j.dump(), id, ""});
    const Unreadable& u = bad[static_cast<std::size_t>(i) % bad.size()];
    if (i % 2 == 0) items.push_back({u.text, "", u.code});
  }
  return items;
}

std::vector<std::string> texts_of(const std::vector<BatchItem>& items) {
  std::vector<std::string> texts;
  for (const auto& item : items) texts.push_back(item.text);
  return texts;
}

void expect_one_record_each_in_order(const std::vector<BatchItem>& items, const std::vector<qualify::Decision>& ds) {
  ASSERT_EQ(ds.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].error_code.empty()) {
      EXPECT_FALSE(ds[i].error.has_value()) << i;
      EXPECT_EQ(ds[i].application, items[i].id) << i;
    } else {
      ASSERT_TRUE(ds[i].error.has_value()) << i;
      EXPECT_EQ(ds[i].error->first, items[i].error_code) << i;
    }
  }
}

TEST(HostileBatchTest, FiftyMegabytesGiveOneRecordPerInputInOrder) {
  auto items = hostile_batch(48, 1'050'000);
  auto texts = texts_of(items);
  std::size_t total = 0;
  for (const auto& t : texts) total += t.size();
  ASSERT_GE(total, 50u * 1000 * 1000);
  auto ds = chongqing().evaluate_many(texts, 0, as_of());
  expect_one_record_each_in_order(items, ds);
}

TEST(HostileBatchTest, ManyThreadsGiveExactlyTheSingleThreadResults) {
  auto items = hostile_batch(90, 0);
  auto texts = texts_of(items);
  auto one = chongqing().evaluate_many(texts, 1, as_of());
  auto many = chongqing().evaluate_many(texts, 4, as_of());
  expect_one_record_each_in_order(items, one);
  ASSERT_EQ(many.size(), one.size());
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(many[i].to_json(), one[i].to_json()) << i;

  std::vector<qualify::Document> docs;
  for (const auto& t : texts) docs.push_back(qualify::Document::parse(t));
  auto from_docs = chongqing().evaluate_many(docs, 3, as_of());
  ASSERT_EQ(from_docs.size(), one.size());
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(from_docs[i].to_json(), one[i].to_json()) << i;
}

// ---------------------------------------------------------------- hostile rule packs

struct BadPackFile {
  std::string name;
  std::string file;
  std::string text;
  std::string code;
  std::string pointer;  // expected Error::pointer(), or "*" for any
  std::string at = {};  // expected in Error::file(); default: the name of `file`
};

class HostilePackTest : public testing::TestWithParam<BadPackFile> {};

TEST_P(HostilePackTest, FailsToLoadWithFilePointerAndReason) {
  const BadPackFile& c = GetParam();
  TempPack pack(mini_pack());
  pack.write(c.file, c.text);
  try {
    qualify::RulePack::load(pack.dir());
    FAIL() << "loaded";
  } catch (const qualify::Error& e) {
    EXPECT_EQ(e.code(), c.code) << e.what();
    std::string at = c.at.empty() ? fs::path(c.file).filename().string() : c.at;
    EXPECT_NE(e.file().find(at), std::string::npos) << e.what();
    if (c.pointer != "*") {
      EXPECT_EQ(e.pointer(), c.pointer) << e.what();
    }
    EXPECT_FALSE(e.reason().empty());
    EXPECT_EQ(std::string(e.what()).find("json.exception"), std::string::npos) << e.what();
  }
}

std::string mini_rules_with(const std::string& key, const std::string& raw) {
  json rules = json::parse(read_file(mini_pack() / "eligibility.json"));
  rules["rules"][0][key] = "@@RAW@@";
  std::string text = rules.dump();
  text.replace(text.find("\"@@RAW@@\""), 9, raw);
  return text;
}

std::string mini_rule_condition(const std::string& raw) {
  return R"({"rules": [{"id": "deep", "clause": "test", "title": {"zh": "深", "en": "deep"}, "condition": )" + raw + "}]}";
}

std::vector<BadPackFile> hostile_pack_cases() {
  const std::string deep = nested(100000, '[', ']');
  std::string deep_not;
  for (int i = 0; i < 100000; ++i) deep_not += "{\"!\": ";
  deep_not += "true" + std::string(100000, '}');
  std::string not_100;
  for (int i = 0; i < 100; ++i) not_100 += "{\"!\": ";
  not_100 += "true" + std::string(100, '}');
  std::string deep_not_pointer = "/rules/0/condition";
  for (int i = 0; i < 65; ++i) deep_not_pointer += "/!";
  return {
      {"DeepRule", "eligibility.json", mini_rule_condition(deep_not), "too_deep", ""},
      {"DeepRuleWithinTheFileLimit", "eligibility.json", mini_rule_condition(not_100), "too_deep", deep_not_pointer},
      {"DeepLiteral", "eligibility.json", mini_rule_condition(deep), "too_deep", ""},
      {"DeepDescription", "eligibility.json", mini_rules_with("description", deep), "too_deep", ""},
      {"DeepManifest", "pack.json", R"({"id": "x", "version": "1", "description": )" + deep + "}", "too_deep", ""},
      {"DeepSchema", "schema.json", R"({"fields": {}, "title": )" + deep + "}", "too_deep", ""},
      {"DeepScoring", "scoring.json", R"({"description": )" + deep + "}", "too_deep", ""},
      {"DeepDates", "dates.json", R"({"description": )" + deep + "}", "too_deep", ""},
      {"EmptyRules", "eligibility.json", "", "parse_error", ""},
      {"ByteOrderMarkAndGarbage", "eligibility.json", "\xEF\xBB\xBF{", "parse_error", ""},
      {"InvalidUtf8Rules", "eligibility.json", "{\"rules\": [\"\xC3\x28\"]}", "parse_error", ""},
      {"ClauseIsANumber", "eligibility.json", mini_rules_with("clause", "5"), "bad_value", "/rules/0/clause"},
      {"PointerIsAList", "eligibility.json", mini_rules_with("pointer", "[]"), "bad_value", "/rules/0/pointer"},
      {"DisabledIsText", "eligibility.json", mini_rules_with("disabled", "\"yes\""), "bad_value", "/rules/0/disabled"},
      {"HugeNumberLiteral", "eligibility.json", mini_rule_condition("{\">\": [{\"var\": \"scale\"}, 1e400]}"), "parse_error", ""},
      {"DatesIsAList", "dates.json", "[1, 2]", "bad_dates", ""},
      {"ValidityYearsHuge", "dates.json", R"({"validity": {"years": 1e300}})", "bad_value", "/validity/years"},
      {"ValidityYearsNegative", "dates.json", R"({"validity": {"years": -3}})", "bad_value", "/validity/years"},
      {"DocumentNumberIsAnObject", "pack.json",
       R"({"id": "mini", "version": "1", "document": {"no": 1}})", "bad_value", "/document"},
      {"DataFileIsADevice", "pack.json", R"({"id": "mini", "version": "1", "data": {"x": {"file": "/dev/zero"}}})",
       "unreadable", "", "/dev/zero"},
      {"DataKeyIsANumber", "pack.json",
       R"({"id": "mini", "version": "1", "data": {"x": {"file": "pack.json", "key": 5}}})", "bad_value", "/data/x/key"},
  };
}

INSTANTIATE_TEST_SUITE_P(Files, HostilePackTest, testing::ValuesIn(hostile_pack_cases()),
                         [](const auto& info) { return info.param.name; });

// Pack files may be as large as applications and at least 64 MiB: a service that takes only
// small applications still loads its packs, and a huge file is refused before it is read.
TEST(HostilePackLimitTest, FileSizeLimit) {
  qualify::Limits tiny;
  tiny.max_document_bytes = 200;
  EXPECT_NO_THROW(qualify::RulePack::load(mini_pack(), tiny));
  TempPack pack(mini_pack());
  pack.write("schema.json", "x");
  fs::resize_file(pack.dir() / "schema.json", (std::uintmax_t{64} << 20) + 1);  // sparse: nothing is written
  try {
    qualify::RulePack::load(pack.dir());
    FAIL() << "loaded";
  } catch (const qualify::PackError& e) {
    EXPECT_EQ(e.code(), "too_large") << e.what();
    EXPECT_NE(e.file().find("schema.json"), std::string::npos) << e.what();
    EXPECT_NE(e.reason().find(std::to_string(std::size_t{64} << 20) + " bytes"), std::string::npos) << e.what();
  }
  qualify::Limits roomy;
  roomy.max_document_bytes = std::size_t{128} << 20;
  EXPECT_THROW(qualify::RulePack::load(pack.dir(), roomy), qualify::PackError);  // now read, and not JSON
}

TEST(HostilePackLimitTest, ExpressionDepthLimitIsConfigurable) {
  TempPack pack(mini_pack());
  std::string not_20;
  for (int i = 0; i < 20; ++i) not_20 += "{\"!\": ";
  not_20 += "true" + std::string(20, '}');
  pack.write("eligibility.json", mini_rule_condition(not_20));
  EXPECT_NO_THROW(qualify::RulePack::load(pack.dir()));
  qualify::Limits shallow;
  shallow.max_expression_depth = 10;
  EXPECT_THROW(qualify::RulePack::load(pack.dir(), shallow), qualify::ExpressionError);
}

// ---------------------------------------------------------------- the evaluation budget

// A pack whose rules loop over a list the application supplies: a runaway rule stops at the
// step budget with an `unknown` finding that says so; the other rules still decide. With
// `runaways`, also rules that no budget lets finish (doubling a text or a list, nesting).
class BudgetPack {
 public:
  explicit BudgetPack(bool runaways = true) : pack_(mini_pack()) {
    json schema = pack_.read("schema.json");
    schema["fields"]["xs"] = {{"type", "array"},
                              {"label", {{"zh", "数列"}, {"en", "numbers"}}},
                              {"items", {{"type", "number"}, {"label", {{"zh", "数"}, {"en", "number"}}}}}};
    pack_.write("schema.json", schema.dump());
    json rules = pack_.read("eligibility.json");
    auto rule = [](const std::string& id, json condition) {
      return json{{"id", id}, {"clause", "test"}, {"severity", "soft"},
                  {"title", {{"zh", id}, {"en", id}}}, {"condition", std::move(condition)}};
    };
    rules["rules"].push_back(rule("sum_by_reduce", json::parse(
        R"({">=": [{"reduce": [{"var": "xs"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, 0]}, 0]})")));
    rules["rules"].push_back(rule("all_doubled", json::parse(
        R"({"all": [{"map": [{"var": "xs"}, {"*": [{"var": ""}, 2]}]}, {">=": [{"var": ""}, 0]}]})")));
    if (runaways) {
      rules["rules"].push_back(rule("doubling_text", json::parse(
          R"({">": [{"chars": {"reduce": [{"var": "xs"}, {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]}, "x"]}}, 0]})")));
      rules["rules"].push_back(rule("doubling_list", json::parse(
          R"({">": [{"count": {"reduce": [{"var": "xs"}, {"merge": [{"var": "accumulator"}, {"var": "accumulator"}]}, [1]]}}, 0]})")));
      rules["rules"].push_back(rule("nesting_list", json::parse(
          R"({"!!": {"reduce": [{"var": "xs"}, [{"var": "accumulator"}], 0]}})")));
    }
    pack_.write("eligibility.json", rules.dump());
  }

  qualify::RulePack load(const qualify::Limits& limits = {}) const { return qualify::RulePack::load(pack_.dir(), limits); }

  static std::string application(std::size_t n) {
    json app = {{"id", "B1"}, {"scale", 2500}, {"stamped", true}, {"signed", true}, {"report", true},
                {"promise", true}, {"items", json::array()}, {"xs", json::array()}};
    for (std::size_t i = 0; i < n; ++i) app["xs"].push_back(i % 10);
    return app.dump();
  }

 private:
  TempPack pack_;
};

TEST(HostileBudgetTest, ReduceAndMapOverAHugeListStopAtTheBudget) {
  BudgetPack budget;
  auto pack = budget.load();
  // At least two steps an item (the iteration and the operator): over 1,000,000 for either.
  auto d = pack.evaluate(BudgetPack::application(600'000));
  ASSERT_FALSE(d.error.has_value()) << d.error->second;
  for (const char* id : {"sum_by_reduce", "all_doubled", "doubling_text", "doubling_list"}) {
    const auto& f = finding(d, id);
    EXPECT_EQ(f.outcome, qualify::Outcome::unknown) << id;
    EXPECT_NE(f.error.find("1000000 steps"), std::string::npos) << id << ": " << f.error;
    EXPECT_NE(f.message.en.find("1000000 steps"), std::string::npos) << id << ": " << f.message.en;
  }
  EXPECT_EQ(finding(d, "scale").outcome, qualify::Outcome::pass);
  EXPECT_EQ(d.status, qualify::Status::needs_review);
}

TEST(HostileBudgetTest, AccumulatorNestingStopsWithAnError) {
  BudgetPack budget;
  auto d = budget.load().evaluate(BudgetPack::application(1000));
  const auto& f = finding(d, "nesting_list");
  EXPECT_EQ(f.outcome, qualify::Outcome::unknown);
  EXPECT_NE(f.error.find("deeper than"), std::string::npos) << f.error;
}

TEST(HostileBudgetTest, BudgetIsConfigurable) {
  BudgetPack budget;
  qualify::Limits tight;
  tight.max_steps = 100;
  auto small = budget.load(tight).evaluate(BudgetPack::application(50));
  EXPECT_EQ(finding(small, "sum_by_reduce").outcome, qualify::Outcome::unknown);
  EXPECT_NE(finding(small, "sum_by_reduce").error.find("100 steps"), std::string::npos);

  BudgetPack bounded(false);
  const std::string huge = BudgetPack::application(600'000);
  EXPECT_EQ(finding(bounded.load().evaluate(huge), "sum_by_reduce").outcome, qualify::Outcome::unknown);
  qualify::Limits roomy;
  roomy.max_steps = 10'000'000;
  auto d = bounded.load(roomy).evaluate(huge);
  EXPECT_EQ(finding(d, "sum_by_reduce").outcome, qualify::Outcome::pass) << finding(d, "sum_by_reduce").error;
  EXPECT_EQ(finding(d, "all_doubled").outcome, qualify::Outcome::pass) << finding(d, "all_doubled").error;
}

// A limit of 0 would make every decision unknown or every application unreadable: the load
// refuses it, naming the limit, and 1 is accepted.
TEST(HostileBudgetTest, ALimitOfZeroIsRefusedAtLoad) {
  BudgetPack budget;
  std::uint64_t qualify::Limits::*steps = &qualify::Limits::max_steps;
  std::size_t qualify::Limits::*sizes[] = {&qualify::Limits::max_document_bytes, &qualify::Limits::max_data_depth,
                                           &qualify::Limits::max_expression_depth};
  const char* names[] = {"max_document_bytes", "max_data_depth", "max_expression_depth", "max_steps"};
  for (int i = 0; i < 4; ++i) {
    qualify::Limits zero;
    if (i < 3) zero.*sizes[i] = 0;
    else zero.*steps = 0;
    try {
      budget.load(zero);
      ADD_FAILURE() << names[i] << " = 0 loaded";
    } catch (const qualify::PackError& e) {
      EXPECT_EQ(e.code(), "bad_limits") << names[i];
      EXPECT_NE(std::string(e.what()).find(names[i]), std::string::npos) << e.what();
    }
  }
  qualify::Limits one;
  one.max_steps = 1;
  auto d = budget.load(one).evaluate(BudgetPack::application(3));
  EXPECT_EQ(finding(d, "sum_by_reduce").outcome, qualify::Outcome::unknown);
}

struct Runaway {
  std::string name;
  std::string logic;
  std::size_t items;
  std::string code;
};

class RunawayExpressionTest : public testing::TestWithParam<Runaway> {};

TEST_P(RunawayExpressionTest, StopsWithAnError) {
  const Runaway& c = GetParam();
  json data = {{"xs", json::array()}, {"s", std::string(1 << 20, 'a')}};
  for (std::size_t i = 0; i < c.items; ++i) data["xs"].push_back(i);
  try {
    json r = qualify::apply(json::parse(c.logic), data);
    FAIL() << "finished: " << r.dump().substr(0, 100);
  } catch (const qualify::ExpressionError& e) {
    EXPECT_EQ(e.code(), c.code) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Expressions, RunawayExpressionTest,
    testing::Values(
        Runaway{"DoublingText", R"({"reduce": [{"var": "xs"}, {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]}, "x"]})", 64, "budget_exceeded"},
        Runaway{"DoublingList", R"({"reduce": [{"var": "xs"}, {"merge": [{"var": "accumulator"}, {"var": "accumulator"}]}, [1]]})", 64, "budget_exceeded"},
        Runaway{"GrowingList", R"({"reduce": [{"var": "xs"}, {"merge": [{"var": "accumulator"}, [{"var": "current"}]]}, []]})", 100000, "budget_exceeded"},
        Runaway{"NestingList", R"({"reduce": [{"var": "xs"}, [{"var": "accumulator"}], 0]})", 200000, "too_deep"},
        Runaway{"NestingScope", R"({"reduce": [{"var": "xs"}, {"var": ""}, 0]})", 200000, "too_deep"},
        Runaway{"RescanningLongText", R"({"reduce": [{"var": "xs"}, {"if": [{"in": ["b", {"var": "accumulator"}]}, "", {"var": "accumulator"}]}, {"var": "s"}]})", 100000, "budget_exceeded"},
        Runaway{"RecountingLongText", R"({"reduce": [{"var": "xs"}, {"if": [{"chars": {"var": "accumulator"}}, {"var": "accumulator"}, ""]}, {"var": "s"}]})", 100000, "budget_exceeded"}),
    [](const auto& info) { return info.param.name; });

TEST(HostileInputTest, SubstringSearchInLongTextFinishes) {
  // A naive search for "aaa…ab" in "aaa…a" takes length² steps; this one is linear.
  std::string text(4 << 20, 'a');
  std::string needle(2 << 20, 'a');
  needle += 'b';
  EXPECT_EQ(qualify::apply(json::parse(R"({"in": [{"var": "n"}, {"var": "t"}]})"), {{"n", needle}, {"t", text}}), false);
}

// A Document parsed beforehand (owning its strings, prefetched before the rules run), one
// built from nlohmann JSON and the same text given to evaluate (strings left in the parser)
// decide alike, down to the evidence, also for shapes meant to stretch the prefetch: long
// lists at every level, wide objects, lists of lists, deep nesting, and so many empty lists
// that the values outgrow the one block a parse sizes (prefetched by walking, not in order).
TEST(HostileInputTest, ParsedDocumentAndTextDecideAlike) {
  std::vector<std::string> texts = {clean().dump()};
  json wide = clean();
  for (int i = 0; i < 5000; ++i) wide["x" + std::to_string(i)] = json::array({i, {{"k", i}}});
  texts.push_back(wide.dump());
  json long_lists = clean();
  for (int i = 0; i < 20000; ++i) long_lists["faculty"]["teachers"].push_back(long_lists["faculty"]["teachers"][0]);
  long_lists["tax_records"] = json::array();
  for (int i = 0; i < 3000; ++i) long_lists["tax_records"].push_back(json::array({json::array({i})}));
  texts.push_back(long_lists.dump());
  json deep = clean();
  json* at = &deep["nested"];
  for (int i = 0; i < 60; ++i) at = &(*at)["d"];
  *at = json::array({1, 2, 3});
  texts.push_back(deep.dump());
  json empties = clean();
  empties["empties"] = json::array();
  for (int i = 0; i < 50000; ++i) empties["empties"].push_back(json::array());
  texts.push_back(empties.dump());
  for (const std::string& text : texts) {
    qualify::Document doc = qualify::Document::parse(text);
    ASSERT_TRUE(doc.ok()) << doc.error_message();
    // An application is one block, swept in order; the empty lists (16 bytes of value for 3
    // of text) outgrow it, and are walked.
    if (&text == &texts.front()) {
      EXPECT_FALSE(qualify::detail::DocumentAccess::span(doc).empty());
    }
    if (&text == &texts.back()) {
      EXPECT_TRUE(qualify::detail::DocumentAccess::span(doc).empty());
    }
    qualify::Decision from_doc = chongqing().evaluate(doc, as_of());
    qualify::Decision from_text = chongqing().evaluate(text, as_of());
    qualify::Document built = qualify::Document::from_json(json::parse(text));
    qualify::Decision from_json = chongqing().evaluate(built, as_of());
    EXPECT_EQ(from_doc.to_json(), from_text.to_json()) << text.substr(0, 80);
    EXPECT_EQ(from_json.to_json(), from_text.to_json()) << text.substr(0, 80);
    EXPECT_EQ(chongqing().outcomes(doc, as_of()), chongqing().outcomes(built, as_of()));
  }
}

// A std::string with room after its text is parsed where it is (no copy): the parser may
// read up to kParsePadding bytes past the text, so the text sits flush against them here and
// ends in each way a document can (object, string, number, literal, truncated, bad UTF-8).
// Under AddressSanitizer a read beyond them would stop the test.
TEST(HostileInputTest, PaddedTextDecidesAsAView) {
  std::vector<std::string> texts = {clean().dump(), "\xEF\xBB\xBF" + clean().dump(), "\"a\"", "12345", "true",
                                    "[1, 2.5e3", clean().dump().substr(0, 100), "{\"id\": \"\xC3\x28\"}", ""};
  for (const std::string& text : texts) {
    std::string padded;
    padded.reserve(text.size() + qualify::kParsePadding);
    padded = text;
    ASSERT_GE(padded.capacity() - padded.size(), qualify::kParsePadding);
    std::string exact(text.data(), text.size());
    exact.shrink_to_fit();
    qualify::Decision from_padded = chongqing().evaluate(padded, as_of());
    qualify::Decision from_view = chongqing().evaluate(std::string_view(text), as_of());
    EXPECT_EQ(from_padded.to_json(), from_view.to_json()) << text.substr(0, 80);
    EXPECT_EQ(chongqing().evaluate(exact, as_of()).to_json(), from_view.to_json()) << text.substr(0, 80);
  }
}

}  // namespace
