// The 推荐表 schema: the sample application passes, and every constraint of
// rules/chongqing-dte-2025/schema.json has a case that fails it.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "qualify/detail/pack_data.hpp"
#include "qualify/document.hpp"
#include "qualify/error.hpp"
#include "qualify/expression.hpp"
#include "qualify/pack.hpp"
#include "qualify/schema.hpp"

namespace {

using nlohmann::json;
using qualify::Finding;
using qualify::Schema;
using qualify::Severity;

const std::filesystem::path kRepo = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
const std::filesystem::path kSchemaFile = kRepo / "rules" / "chongqing-dte-2025" / "schema.json";

json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return json::parse(in);
}

// A few entries of the pack's code lists: enough for the sample and the failing cases, and
// independent of how the data files are laid out.
qualify::CodeSets code_sets() {
  qualify::CodeSets sets;
  sets["districts"] = std::make_shared<std::unordered_set<std::string>>(
      std::unordered_set<std::string>{"渝中区", "渝北区", "江北区", "沙坪坝区", "石柱土家族自治县"});
  sets["gbt4754"] = std::make_shared<std::unordered_set<std::string>>(
      std::unordered_set<std::string>{"P8391", "P8392", "I6510", "M7320"});
  return sets;
}

const Schema& pack_schema() {
  static const Schema schema = Schema::from_json(read_json(kSchemaFile), kSchemaFile.string(), code_sets());
  return schema;
}

// A complete, consistent 推荐表 in the shape of DESIGN.md. The credit code and the ID number
// carry correct check characters (GB 32100-2015, GB 11714-1997, GB 11643-1999).
json sample() {
  return json::parse(R"({
    "id": "CQ-2025-0001",
    "occupation": "人工智能工程技术人员",
    "levels": ["初级", "中级"],
    "organization": {
      "name": "重庆某某职业培训学校", "stamped": true,
      "uscc": "52500112MJP123451G",
      "legal_representative": {"name": "张三", "id_number": "500101198001011235"},
      "address": "重庆市渝北区春华大道1号", "type": "民办非企业单位", "industry": "P8391",
      "registered_capital_wan": 500, "employees": 86, "established_on": "2012-05-18",
      "has_training_qualification": true, "has_financial_system": true,
      "has_management_system": true
    },
    "tax_records": [
      {"year": 2022, "amount_wan": 31.5, "dishonest": false},
      {"year": 2023, "amount_wan": 35, "dishonest": false},
      {"year": 2024, "amount_wan": 40.2, "dishonest": false}
    ],
    "bases": {"national_ce_base": false, "industry_ce_base": false,
              "provincial_ce_base": true, "standard_developer": false},
    "lead": {"name": "李四", "title": "校长", "phone": "023-67891234", "email": "lisi@example.com"},
    "contact": {"name": "王五", "title": "培训部主任", "phone": "13812345678", "email": "wangwu@example.com"},
    "profile": "本校成立于2012年，长期从事数字技术领域职业培训。",
    "training_history": [
      {"year": 2020, "total": 2400, "independent": 1800, "cooperative": 600},
      {"year": 2021, "total": 2500, "independent": 1900, "cooperative": 600},
      {"year": 2022, "total": 2600, "independent": 2000, "cooperative": 600},
      {"year": 2023, "total": 2700, "independent": 2000, "cooperative": 700},
      {"year": 2024, "total": 2800, "independent": 2100, "cooperative": 700}
    ],
    "facilities": [{"address": "重庆市渝北区春华大道1号", "area_m2": 1200, "capacity": 300,
                    "equipment_sets": 150, "equipment_value_wan": 260}],
    "platform": {"description": "自建在线学习平台，支持直播、录播与在线考试。",
                 "url": "https://learn.example.com", "online_capable": true},
    "faculty": {"total": 40, "full_time": 25, "part_time": 15,
                "teachers": [
                  {"name": "赵六", "employer": "重庆某某职业培训学校教学部", "title": "副教授",
                   "major": "计算机科学与技术", "kind": "专职师资", "phone": "13987654321"},
                  {"name": "钱七", "employer": "重庆某大学计算机学院", "title": "教授",
                   "major": "人工智能", "kind": "兼职师资", "phone": "023-65432109"}
                ]},
    "training_summary": "近五年累计培训一万余人次。",
    "faculty_mechanism": "专兼结合，定期聘请行业专家。",
    "plan": {"annual_trainees": {"初级": 1500, "中级": 800},
             "fee_per_hour": {"初级": 30, "中级": 45},
             "text": "扩大培训规模，完善质量管控。"},
    "commitment": {"signed": true, "stamped": true, "signatory": "张三", "date": "2025-10-20"},
    "materials": {"form": true, "license_copy_stamped": true,
                  "credit_report": true, "integrity_commitment": false},
    "recommendation": {"district": "渝北区", "unit": "渝北区人力资源和社会保障局",
                       "reason": "材料齐全，同意推荐。", "stamped": true, "signed": true,
                       "date": "2025-10-25"},
    "submitted_on": "2025-10-28",
    "review": {"online_approval_date": null}
  })");
}

std::vector<Finding> validate(const Schema& schema, const json& application) {
  qualify::Document doc = qualify::Document::from_json(application);
  EXPECT_TRUE(doc.ok()) << doc.error_message();
  std::vector<Finding> out;
  schema.validate(doc.root(), out);
  return out;
}

std::vector<Finding> validate(const json& application) { return validate(pack_schema(), application); }

std::string describe(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings)
    out += "  " + std::string(f.rule) + " " + f.pointer + " [" + std::string(f.clause) + "] " + f.message.zh + " | " + f.message.en + "\n";
  return out.empty() ? "  (none)\n" : out;
}

const Finding* find(const std::vector<Finding>& findings, const std::string& rule, const std::string& pointer) {
  for (const Finding& f : findings)
    if (f.rule == rule && f.pointer == pointer) return &f;
  return nullptr;
}

std::string repeat(const std::string& unit, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

// ------------------------------------------------------------------------- the sample form

TEST(SchemaSample, PassesWithoutFindings) {
  std::vector<Finding> findings = validate(sample());
  EXPECT_TRUE(findings.empty()) << describe(findings);
}

TEST(SchemaSample, ExampleApplicationsThatClaimValidityPass) {
  // The sample applications under examples/applications/ named as eligible must be free
  // of form defects too.
  std::filesystem::path dir = kRepo / "examples" / "applications";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no " << dir;
  // The schema as the pack loader builds it, with the code lists of the pack's data files.
  const qualify::RulePack loaded = qualify::RulePack::load(kSchemaFile.parent_path());
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.find("eligible") == std::string::npos ||
        name.find("ineligible") != std::string::npos)
      continue;
    std::vector<Finding> findings = validate(loaded.data().schema, read_json(entry.path()));
    std::vector<Finding> defects;
    for (const Finding& f : findings)
      if (f.severity != Severity::info) defects.push_back(f);
    EXPECT_TRUE(defects.empty()) << name << ":\n" << describe(defects);
  }
}

TEST(SchemaSample, NullableOptionalAndAbsentOptionalFieldsPass) {
  json app = sample();
  app["review"]["online_approval_date"] = "2025-12-15";
  app.erase("id");
  app["platform"].erase("url");
  app["organization"].erase("has_training_qualification");
  app["recommendation"]["contact_phone"] = "";  // optional and blank: not filled in
  std::vector<Finding> findings = validate(app);
  EXPECT_TRUE(findings.empty()) << describe(findings);
}

// ------------------------------------------------------------ one failing case per constraint

struct Case {
  std::string name;
  json patch;            // RFC 6902 operations applied to the sample
  std::string rule;      // the finding expected
  std::string pointer;
  std::string clause;    // expected clause, or empty for "form:<pointer>"-style defaults
  Severity severity = Severity::soft;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class SchemaConstraint : public ::testing::TestWithParam<Case> {};

TEST_P(SchemaConstraint, FailsWithItsFinding) {
  const Case& c = GetParam();
  json app = sample().patch(c.patch);
  std::vector<Finding> findings = validate(app);
  const Finding* f = find(findings, c.rule, c.pointer);
  ASSERT_NE(f, nullptr) << "expected " << c.rule << " at " << c.pointer << "; got:\n" << describe(findings);
  EXPECT_EQ(f->outcome, qualify::Outcome::fail);
  EXPECT_EQ(f->severity, c.severity);
  if (!c.clause.empty()) {
    EXPECT_EQ(f->clause, c.clause);
  }
  EXPECT_FALSE(f->message.zh.empty());
  EXPECT_FALSE(f->message.en.empty());
  EXPECT_NO_THROW((void)f->evidence.to_json().dump());
}

json replace(const std::string& path, json value) {
  return json::array({{{"op", "replace"}, {"path", path}, {"value", std::move(value)}}});
}
json add(const std::string& path, json value) {
  return json::array({{{"op", "add"}, {"path", path}, {"value", std::move(value)}}});
}
json remove(const std::string& path) { return json::array({{{"op", "remove"}, {"path", path}}}); }

const Case kConstraintCases[] = {
    // enumerations
    {"OccupationNotInCatalogue", replace("/occupation", "软件工程师"), "schema.enum", "/occupation", "form:note5"},
    {"OccupationMoreThanOne", replace("/occupation", {"人工智能工程技术人员", "大数据工程技术人员"}), "schema.type",
     "/occupation", "form:note5"},
    {"LevelsEmpty", replace("/levels", json::array()), "schema.items", "/levels", "1.2"},
    {"LevelNotOffered", replace("/levels/1", "高级"), "schema.enum", "/levels/1", "1.2"},
    {"LevelTwice", replace("/levels", {"初级", "初级"}), "schema.unique", "/levels/1", "1.2"},
    {"UnitTypeUnknown", replace("/organization/type", "有限责任公司"), "schema.enum", "/organization/type",
     "form:note1"},
    {"TeacherKindUnknown", replace("/faculty/teachers/1/kind", "外聘"), "schema.enum", "/faculty/teachers/1/kind",
     "form:note3"},
    {"IndustryNotInGbt4754", replace("/organization/industry", "P9999"), "schema.enum", "/organization/industry",
     "form:note2"},
    {"DistrictNotInChongqing", replace("/recommendation/district", "成都市武侯区"), "schema.enum",
     "/recommendation/district", "4.1"},
    {"PlanLevelUnknown", add("/plan/fee_per_hour/高级", 60), "schema.enum", "/plan/fee_per_hour/高级", ""},
    // character limits (以内: the limit itself is allowed)
    {"ProfileOver800", replace("/profile", repeat("字", 801)), "schema.max_chars", "/profile", "form:/profile"},
    {"PlatformOver300", replace("/platform/description", repeat("台", 301)), "schema.max_chars",
     "/platform/description", "form:/platform/description"},
    {"TrainingSummaryOver500", replace("/training_summary", repeat("训", 501)), "schema.max_chars",
     "/training_summary", ""},
    {"FacultyMechanismOver500", replace("/faculty_mechanism", repeat("师", 501)), "schema.max_chars",
     "/faculty_mechanism", ""},
    {"PlanTextOver800", replace("/plan/text", repeat("划", 801)), "schema.max_chars", "/plan/text", ""},
    {"UnitNameOver100", replace("/organization/name", repeat("名", 101)), "schema.max_chars",
     "/organization/name", ""},
    // formats
    {"UsccCheckCharacterOffByOne", replace("/organization/uscc", "52500112MJP123451H"), "schema.format",
     "/organization/uscc", ""},
    {"UsccWrongLength", replace("/organization/uscc", "52500112MJP12345"), "schema.format", "/organization/uscc", ""},
    {"UsccOrganizationCodeDigit", replace("/organization/uscc", "52500112MJP123452K"), "schema.uscc_org_code",
     "/organization/uscc", ""},
    {"IdNumberCheckDigitOffByOne", replace("/organization/legal_representative/id_number", "500101198001011236"),
     "schema.format", "/organization/legal_representative/id_number", ""},
    {"LeadPhoneInvalid", replace("/lead/phone", "12345"), "schema.format", "/lead/phone", ""},
    {"TeacherPhoneInvalid", replace("/faculty/teachers/0/phone", "电话待定"), "schema.format",
     "/faculty/teachers/0/phone", ""},
    {"ContactEmailInvalid", replace("/contact/email", "wangwu.example.com"), "schema.format", "/contact/email", ""},
    {"PlatformUrlWithoutScheme", replace("/platform/url", "learn.example.com"), "schema.format", "/platform/url", ""},
    // dates
    {"EstablishedOnImpossible", replace("/organization/established_on", "2023-02-29"), "schema.date",
     "/organization/established_on", ""},
    {"SubmittedOnNotIso", replace("/submitted_on", "2025/10/28"), "schema.date", "/submitted_on", "5.3"},
    {"CommitmentDateMonth13", replace("/commitment/date", "2025-13-01"), "schema.date", "/commitment/date", ""},
    {"RecommendationDateAsNumber", replace("/recommendation/date", 20251025), "schema.type", "/recommendation/date",
     ""},
    {"ApprovalDateImpossible", replace("/review/online_approval_date", "2025-11-31"), "schema.date",
     "/review/online_approval_date", "1.5"},
    // numbers
    {"CapitalNegative", replace("/organization/registered_capital_wan", -1), "schema.range",
     "/organization/registered_capital_wan", ""},
    {"EmployeesNegative", replace("/organization/employees", -3), "schema.range", "/organization/employees", ""},
    {"EmployeesFractional", replace("/organization/employees", 86.5), "schema.type", "/organization/employees", ""},
    {"CapitalAsText", replace("/organization/registered_capital_wan", "500"), "schema.type",
     "/organization/registered_capital_wan", ""},
    {"TaxNegative", replace("/tax_records/0/amount_wan", -0.5), "schema.range", "/tax_records/0/amount_wan",
     "form:/tax_records/-/amount_wan"},
    {"TrainingTotalNegative", replace("/training_history/2/total", -1), "schema.range", "/training_history/2/total",
     ""},
    {"CooperativeNegative", replace("/training_history/2/cooperative", -600), "schema.range",
     "/training_history/2/cooperative", ""},
    {"FacilityAreaNegative", replace("/facilities/0/area_m2", -10), "schema.range", "/facilities/0/area_m2", ""},
    {"FacultyTotalNegative", replace("/faculty/part_time", -1), "schema.range", "/faculty/part_time", ""},
    {"AnnualTraineesNegative", replace("/plan/annual_trainees/初级", -1), "schema.range",
     "/plan/annual_trainees/初级", "form:/plan/annual_trainees"},
    {"FeeNegative", replace("/plan/fee_per_hour/中级", -45), "schema.range", "/plan/fee_per_hour/中级", ""},
    {"ExpertScoreOver100", add("/expert_scores", {88, 101}), "schema.range", "/expert_scores/1", "4.2"},
    {"TaxYearAsText", replace("/tax_records/1/year", "2023年"), "schema.type", "/tax_records/1/year", ""},
    // item counts
    {"TaxRecordsTwo", remove("/tax_records/2"), "schema.items", "/tax_records", ""},
    {"TrainingHistorySix", add("/training_history/-", {{"year", 2019}, {"total", 1}, {"independent", 1},
                                                         {"cooperative", 0}}),
     "schema.items", "/training_history", ""},
    {"TrainingHistoryFour", remove("/training_history/0"), "schema.items", "/training_history", ""},
    {"NoFacilities", replace("/facilities", json::array()), "schema.items", "/facilities", ""},
    {"NoTeachers", replace("/faculty/teachers", json::array()), "schema.items", "/faculty/teachers", ""},
    // plan and fee for exactly the levels applied for
    {"PlanMissesALevel", remove("/plan/annual_trainees/中级"), "schema.keys", "/plan/annual_trainees", ""},
    {"FeeMissesALevel", remove("/plan/fee_per_hour/初级"), "schema.keys", "/plan/fee_per_hour", ""},
    {"PlanForALevelNotApplied", replace("/levels", {"初级"}), "schema.keys", "/plan/annual_trainees", ""},
    {"FeeForALevelNotApplied", replace("/levels", {"中级"}), "schema.keys", "/plan/fee_per_hour", ""},
    // required, null, wrong types, unknown keys
    {"UsccMissing", remove("/organization/uscc"), "schema.required", "/organization/uscc", ""},
    {"NameBlank", replace("/organization/name", "　 "), "schema.required", "/organization/name", ""},
    {"ProfileMissing", remove("/profile"), "schema.required", "/profile", ""},
    {"RecommendationMissing", remove("/recommendation"), "schema.required", "/recommendation", "4.1"},
    {"SubmittedOnBlank", replace("/submitted_on", ""), "schema.required", "/submitted_on", ""},
    {"TeacherKindMissing", remove("/faculty/teachers/0/kind"), "schema.required", "/faculty/teachers/0/kind",
     "form:note3"},
    {"MaterialMissing", remove("/materials/credit_report"), "schema.required", "/materials/credit_report", "3.3"},
    {"ProfileNull", replace("/profile", nullptr), "schema.null", "/profile", ""},
    {"StampedAsText", replace("/organization/stamped", "是"), "schema.type", "/organization/stamped", ""},
    {"LevelsAsText", replace("/levels", "初级"), "schema.type", "/levels", ""},
    {"PlanAsList", replace("/plan/annual_trainees", {1500, 800}), "schema.type", "/plan/annual_trainees", ""},
    {"UnknownTopLevelKey", add("/remarks", "备注"), "schema.unknown_key", "/remarks", "form:", Severity::info},
    {"UnknownNestedKey", add("/faculty/teachers/0/wechat", "abc"), "schema.unknown_key",
     "/faculty/teachers/0/wechat", "", Severity::info},
};

INSTANTIATE_TEST_SUITE_P(PackSchema, SchemaConstraint, ::testing::ValuesIn(kConstraintCases),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

// ------------------------------------------------------------------------ limits, exactly

TEST(SchemaLimits, ProfileOf800ChineseCharactersPasses) {
  json app = sample();
  app["profile"] = repeat("字", 800);
  ASSERT_EQ(app["profile"].get<std::string>().size(), 2400u);
  std::vector<Finding> findings = validate(app);
  EXPECT_TRUE(findings.empty()) << describe(findings);
}

TEST(SchemaLimits, ProfileOf801ChineseCharactersFailsWithItsCount) {
  json app = sample();
  app["profile"] = repeat("字", 801);
  ASSERT_EQ(app["profile"].get<std::string>().size(), 2403u);
  std::vector<Finding> findings = validate(app);
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  const Finding& f = findings[0];
  EXPECT_EQ(f.rule, "schema.max_chars");
  EXPECT_EQ(f.pointer, "/profile");
  EXPECT_EQ(f.clause, "form:/profile");
  EXPECT_EQ(f.severity, Severity::soft);
  EXPECT_EQ(f.message.zh, "单位基本情况超过800字（801字）");
  EXPECT_EQ(f.message.en, "单位基本情况 (profile) is longer than 800 characters (801)");
  EXPECT_EQ(f.evidence.to_json(), json({{"/profile", 801}}));  // the count, not 2,403 bytes of text
}

// The count is the number of code points whatever the length and the mix of 1- to 4-byte
// characters, so the last bytes of a text, counted in a word of their own, count right.
TEST(SchemaLimits, CountsCodePointsOfEveryLengthAndWidth) {
  const char* pieces[] = {"a", "é", "名", "😀"};
  for (std::size_t lead = 0; lead < 4; ++lead) {
    for (std::size_t extra = 1; extra <= 40; ++extra) {
      std::string text = repeat("名", 100);
      for (std::size_t k = 0; k < extra; ++k) text += pieces[(k + lead) % 4];
      json app = sample();
      app["organization"]["name"] = text;
      std::vector<Finding> findings = validate(app);
      const Finding* f = find(findings, "schema.max_chars", "/organization/name");
      ASSERT_NE(f, nullptr) << lead << " " << extra;
      EXPECT_EQ(f->evidence.to_json(), json({{"/organization/name", 100 + extra}})) << lead << " " << extra;
    }
  }
}

struct LimitCase {
  std::string name;
  std::string pointer;
  std::size_t limit;
};

void PrintTo(const LimitCase& c, std::ostream* os) { *os << c.name; }

class SchemaCharacterLimit : public ::testing::TestWithParam<LimitCase> {};

TEST_P(SchemaCharacterLimit, AllowsTheLimitAndRejectsOneMore) {
  const LimitCase& c = GetParam();
  json at_limit = sample();
  at_limit[json::json_pointer(c.pointer)] = repeat("汉", c.limit);
  EXPECT_EQ(find(validate(at_limit), "schema.max_chars", c.pointer), nullptr);
  json over = sample();
  over[json::json_pointer(c.pointer)] = repeat("汉", c.limit + 1);
  EXPECT_NE(find(validate(over), "schema.max_chars", c.pointer), nullptr);
  // Characters, not bytes: the same number of ASCII letters behaves the same.
  json ascii = sample();
  ascii[json::json_pointer(c.pointer)] = std::string(c.limit, 'a');
  EXPECT_EQ(find(validate(ascii), "schema.max_chars", c.pointer), nullptr);
}

INSTANTIATE_TEST_SUITE_P(PackSchema, SchemaCharacterLimit,
                         ::testing::Values(LimitCase{"Profile", "/profile", 800},
                                           LimitCase{"Platform", "/platform/description", 300},
                                           LimitCase{"TrainingSummary", "/training_summary", 500},
                                           LimitCase{"FacultyMechanism", "/faculty_mechanism", 500},
                                           LimitCase{"PlanText", "/plan/text", 800}),
                         [](const ::testing::TestParamInfo<LimitCase>& info) { return info.param.name; });

// ------------------------------------------------------------------ how findings are reported

TEST(SchemaFindings, ReportsEveryProblemAtOnce) {
  json app = sample();
  app["occupation"] = "软件工程师";
  app["profile"] = repeat("字", 900);
  app["organization"]["uscc"] = "52500112MJP123451H";
  app["faculty"]["teachers"][0]["kind"] = "外聘";
  app["faculty"]["teachers"][1]["phone"] = "x";
  app["submitted_on"] = "2025-02-30";
  std::vector<Finding> findings = validate(app);
  EXPECT_EQ(findings.size(), 6u) << describe(findings);
  EXPECT_NE(find(findings, "schema.enum", "/occupation"), nullptr);
  EXPECT_NE(find(findings, "schema.max_chars", "/profile"), nullptr);
  EXPECT_NE(find(findings, "schema.format", "/organization/uscc"), nullptr);
  EXPECT_NE(find(findings, "schema.enum", "/faculty/teachers/0/kind"), nullptr);
  EXPECT_NE(find(findings, "schema.format", "/faculty/teachers/1/phone"), nullptr);
  EXPECT_NE(find(findings, "schema.date", "/submitted_on"), nullptr);
}

TEST(SchemaFindings, DoesNotDescendIntoAValueOfTheWrongType) {
  json app = sample();
  app["faculty"] = "四十人";
  std::vector<Finding> findings = validate(app);
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(findings[0].rule, "schema.type");
  EXPECT_EQ(findings[0].pointer, "/faculty");
  EXPECT_EQ(findings[0].message.zh, "师资团队应为对象，不是文本");
  EXPECT_EQ(findings[0].evidence.to_json(), json({{"/faculty", "四十人"}}));
}

TEST(SchemaFindings, NamesAListEntryByItsPosition) {
  json app = sample();
  app["faculty"]["teachers"][1]["kind"] = "外聘";
  std::vector<Finding> findings = validate(app);
  const Finding* f = find(findings, "schema.enum", "/faculty/teachers/1/kind");
  ASSERT_NE(f, nullptr) << describe(findings);
  EXPECT_EQ(f->message.zh, "培训教师第2项的人员性质“外聘”不是可选值（可选：专职师资、兼职师资）");
  EXPECT_EQ(f->message.en,
            "培训教师第2项的人员性质 (kind of teachers #2) \"外聘\" is not one of: 专职师资, 兼职师资");
  EXPECT_EQ(f->clause, "form:note3");
  EXPECT_EQ(f->evidence.to_json(), json({{"/faculty/teachers/1/kind", "外聘"}}));
}

TEST(SchemaFindings, OrganizationCodeDigitIsSoftEvenWhenTheFieldIsHard) {
  json form = read_json(kSchemaFile);
  form["fields"]["organization"]["fields"]["uscc"]["severity"] = "hard";
  Schema schema = Schema::from_json(form, "schema.json", code_sets());
  json app = sample();
  app["organization"]["uscc"] = "52500112MJP123452K";
  std::vector<Finding> findings = validate(schema, app);
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(findings[0].rule, "schema.uscc_org_code");
  EXPECT_EQ(findings[0].severity, Severity::soft);
  app["organization"]["uscc"] = "52500112MJP123451H";
  findings = validate(schema, app);
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(findings[0].rule, "schema.format");
  EXPECT_EQ(findings[0].severity, Severity::hard);
}

TEST(SchemaFindings, PlanKeysNameWhatIsMissingAndWhatIsExtra) {
  json app = sample();
  app["levels"] = {"初级"};
  app["plan"]["annual_trainees"] = {{"中级", 800}};
  std::vector<Finding> findings = validate(app);
  const Finding* f = find(findings, "schema.keys", "/plan/annual_trainees");
  ASSERT_NE(f, nullptr) << describe(findings);
  EXPECT_EQ(f->message.zh, "年度计划培训人数（人次）应与拟申报开展培训的专业技术等级一一对应：缺少初级，多出中级");
  EXPECT_EQ(f->evidence.find("/levels"), json({"初级"}));
}

TEST(SchemaFindings, UnknownKeysAreInfoAndNamed) {
  json app = sample();
  app["organization"]["nickname"] = "某校";
  std::vector<Finding> findings = validate(app);
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(findings[0].severity, Severity::info);
  EXPECT_EQ(findings[0].message.zh, "申报单位基本情况中有表单未定义的字段“nickname”");
}

TEST(SchemaFindings, InvalidUtf8IsAFindingNotAnException) {
  json app = sample();
  app["profile"] = std::string("\xE5\xAD", 2);  // a truncated 字
  app["organization"]["\xFF"] = 1;
  std::vector<Finding> findings;
  EXPECT_NO_THROW(findings = validate(app));
  EXPECT_NE(find(findings, "schema.invalid_utf8", "/profile"), nullptr) << describe(findings);
  for (const Finding& f : findings) {
    EXPECT_NO_THROW((void)f.evidence.to_json().dump());
    EXPECT_NO_THROW((void)json(f.pointer).dump());
    EXPECT_NO_THROW((void)json(f.message.zh).dump());
  }
}

TEST(SchemaFindings, ARootThatIsNotAnObjectIsOneTypeFinding) {
  std::vector<Finding> findings = validate(json::array({1, 2}));
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(findings[0].rule, "schema.type");
  EXPECT_EQ(findings[0].pointer, "");
}

TEST(SchemaFindings, HostileInputNeverThrows) {
  json app = sample();
  app["levels"] = json::array();
  for (int i = 0; i < 20000; ++i) app["levels"].push_back("初级");
  app["tax_records"] = {nullptr, 1, "x", json::object(), json::array()};
  app["plan"]["fee_per_hour"] = {{"", nullptr}, {"初级", "30元"}};
  app["training_history"][0] = std::nan("");
  std::vector<Finding> findings;
  EXPECT_NO_THROW(findings = validate(app));
  EXPECT_GT(findings.size(), 5u);
}

// ------------------------------------------------------------------- the form is data

// The count a max_chars finding gives is the number of code points, for texts of every
// length around the 16-byte blocks the count reads and past the 2,032 bytes after which it
// adds up its lanes, mixing 1- to 4-byte characters.
TEST(SchemaLimits, CharacterCountIsTheNumberOfCodePoints) {
  json form = json::parse(R"({
    "title": {"zh": "测试表", "en": "test form"},
    "fields": {"t": {"type": "string", "label": {"zh": "文本", "en": "text"}, "max_chars": 1}}
  })");
  Schema schema = Schema::from_json(form, "test.json", {});
  const char* pieces[] = {"a", "é", "字", "😀", " "};
  for (std::size_t n = 2; n < 2600; n += n < 100 ? 1 : 97) {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) text += pieces[(i * 7 + n) % 5];
    std::vector<Finding> findings = validate(schema, json{{"t", text}});
    ASSERT_EQ(findings.size(), 1u) << n;
    EXPECT_EQ(findings[0].evidence.to_json(), json({{"/t", n}})) << n << " characters, " << text.size() << " bytes";
  }
}


// The check settles most texts by their length in bytes (n bytes of UTF-8 hold n/4 to n
// characters) and counts the others: every mix of 1- to 4-byte characters, on both sides of
// both limits, is judged by its characters.
TEST(SchemaLimits, EveryMixOfWidthsIsJudgedByItsCharacters) {
  json form = json::parse(R"({
    "title": {"zh": "测试表", "en": "test form"},
    "fields": {"t": {"type": "string", "label": {"zh": "文本", "en": "text"}, "min_chars": 3, "max_chars": 5}}
  })");
  Schema schema = Schema::from_json(form, "test.json", {});
  const char* pieces[] = {"a", "é", "字", "😀"};
  for (std::size_t n = 1; n <= 6; ++n) {
    std::size_t mixes = std::size_t{1} << (2 * n);  // 4^n: each character any of the widths
    for (std::size_t mix = 0; mix < mixes; ++mix) {
      std::string text;
      for (std::size_t i = 0, m = mix; i < n; ++i, m >>= 2) text += pieces[m & 3];
      std::vector<Finding> findings = validate(schema, json{{"t", text}});
      const Finding* shorter = find(findings, "schema.min_chars", "/t");
      const Finding* longer = find(findings, "schema.max_chars", "/t");
      ASSERT_EQ(shorter != nullptr, n < 3) << text;
      ASSERT_EQ(longer != nullptr, n > 5) << text;
      if (longer) {
        EXPECT_EQ(longer->evidence.to_json(), json({{"/t", n}})) << text;
      }
      if (shorter) {
        EXPECT_NE(shorter->message.en.find("(" + std::to_string(n) + ")"), std::string::npos) << shorter->message.en;
      }
    }
  }
}

TEST(SchemaData, ANewFormNeedsNoCode) {
  json form = json::parse(R"({
    "title": {"zh": "测试表", "en": "test form"},
    "fields": {
      "grade": {"type": "integer", "label": {"zh": "等级", "en": "grade"}, "required": true,
                "enum": [1, 2, 3], "severity": "hard", "clause": "9.9"},
      "notes": {"type": "any", "label": {"zh": "备注", "en": "notes"}},
      "scores": {"type": "map", "label": {"zh": "得分", "en": "scores"},
                 "keys": {"type": "string", "min_chars": 2}, "values": {"type": "number", "maximum": 100}},
      "when": {"type": "date", "label": {"zh": "日期", "en": "date"}, "nullable": true},
      "tags": {"type": "array", "label": {"zh": "标签", "en": "tags"}, "max_items": 2,
               "items": {"type": "string", "max_chars": 3}},
      "code": {"type": "string", "label": {"zh": "代码", "en": "code"}, "min_chars": 4}
    },
    "additional": true
  })");
  Schema schema = Schema::from_json(form, "test.json", {});
  std::vector<Finding> findings = validate(schema, json::parse(R"({
    "grade": 4, "notes": {"anything": [1, "x"]}, "scores": {"a": 101, "bb": 50},
    "when": null, "tags": ["一", "二三四五", "三"], "code": "ab", "extra": true
  })"));
  EXPECT_EQ(findings.size(), 6u) << describe(findings);
  const Finding* grade = find(findings, "schema.enum", "/grade");
  ASSERT_NE(grade, nullptr);
  EXPECT_EQ(grade->severity, Severity::hard);
  EXPECT_EQ(grade->clause, "9.9");
  EXPECT_NE(find(findings, "schema.min_chars", "/scores/a"), nullptr);
  EXPECT_NE(find(findings, "schema.range", "/scores/a"), nullptr);
  EXPECT_NE(find(findings, "schema.items", "/tags"), nullptr);
  EXPECT_NE(find(findings, "schema.max_chars", "/tags/1"), nullptr);
  EXPECT_NE(find(findings, "schema.min_chars", "/code"), nullptr);
  EXPECT_EQ(find(findings, "schema.unknown_key", "/extra"), nullptr);
  findings = validate(schema, json::object());
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(findings[0].rule, "schema.required");
  EXPECT_EQ(findings[0].message.en, "等级 (grade) is missing");
}

TEST(SchemaData, AnEmptySchemaChecksNothing) {
  Schema schema;
  std::vector<Finding> findings = validate(schema, json::array());
  EXPECT_TRUE(findings.empty());
  EXPECT_EQ(schema.fields().type, qualify::detail::Field::Type::any);
  EXPECT_TRUE(schema.checks().is_array());
}

struct BadSchemaCase {
  std::string name;
  json fields;
  std::string pointer;
};

void PrintTo(const BadSchemaCase& c, std::ostream* os) { *os << c.name; }

class SchemaFile : public ::testing::TestWithParam<BadSchemaCase> {};

TEST_P(SchemaFile, RejectsAMistakeNamingItsPointer) {
  const BadSchemaCase& c = GetParam();
  json form = {{"title", {{"zh", "表"}, {"en", "form"}}}, {"fields", c.fields}};
  try {
    (void)Schema::from_json(form, "bad.json", code_sets());
    FAIL() << "no error";
  } catch (const qualify::PackError& e) {
    EXPECT_EQ(e.code(), "bad_schema");
    EXPECT_EQ(e.file(), "bad.json");
    EXPECT_EQ(e.pointer(), c.pointer) << e.what();
  }
}

json labelled(json field) {
  field["label"] = {{"zh", "甲"}, {"en", "a"}};
  return field;
}

INSTANTIATE_TEST_SUITE_P(
    PackSchema, SchemaFile,
    ::testing::Values(
        BadSchemaCase{"UnknownType", {{"a", labelled({{"type", "text"}})}}, "/fields/a/type"},
        BadSchemaCase{"NoType", {{"a", labelled(json::object())}}, "/fields/a"},
        BadSchemaCase{"NoLabel", {{"a", {{"type", "string"}}}}, "/fields/a"},
        BadSchemaCase{"LabelWithoutEnglish", {{"a", {{"type", "string"}, {"label", {{"zh", "甲"}}}}}},
                      "/fields/a/label"},
        BadSchemaCase{"ConstraintOfAnotherType", {{"a", labelled({{"type", "number"}, {"max_chars", 3}})}},
                      "/fields/a/max_chars"},
        BadSchemaCase{"NegativeLimit", {{"a", labelled({{"type", "string"}, {"max_chars", -1}})}},
                      "/fields/a/max_chars"},
        BadSchemaCase{"UnknownFormat", {{"a", labelled({{"type", "string"}, {"format", "iban"}})}},
                      "/fields/a/format"},
        BadSchemaCase{"UnknownCodeSet", {{"a", labelled({{"type", "string"}, {"enum_from", "provinces"}})}},
                      "/fields/a/enum_from"},
        BadSchemaCase{"EmptyEnum", {{"a", labelled({{"type", "string"}, {"enum", json::array()}})}},
                      "/fields/a/enum"},
        BadSchemaCase{"BadSeverity", {{"a", labelled({{"type", "string"}, {"severity", "fatal"}})}},
                      "/fields/a/severity"},
        BadSchemaCase{"MapWithoutValues", {{"a", labelled({{"type", "map"}})}}, "/fields/a"},
        BadSchemaCase{"KeysMatchNowhere",
                      {{"a", labelled({{"type", "map"}, {"values", {{"type", "number"}}}, {"keys_match", "/b"}})}},
                      "/fields/a/keys_match"},
        BadSchemaCase{"MinAboveMax", {{"a", labelled({{"type", "integer"}, {"minimum", 5}, {"maximum", 1}})}},
                      "/fields/a"},
        BadSchemaCase{"NestedMistake",
                      {{"a", labelled({{"type", "array"},
                                       {"items", {{"type", "object"},
                                                  {"fields", {{"b", labelled({{"type", "strin"}})}}}}}})}},
                      "/fields/a/items/fields/b/type"}),
    [](const ::testing::TestParamInfo<BadSchemaCase>& info) { return info.param.name; });

// ------------------------------------------------------------- fields, JSON Schema, checks

TEST(SchemaFields, DeclaresTheFormForTheRuleCompiler) {
  using Type = qualify::detail::Field::Type;
  const qualify::detail::Field& root = pack_schema().fields();
  ASSERT_EQ(root.type, Type::object);
  const auto& plan = root.properties.at("plan");
  EXPECT_EQ(plan.properties.at("annual_trainees").type, Type::map);
  EXPECT_EQ(plan.properties.at("annual_trainees").items->type, Type::integer);
  const auto& teachers = root.properties.at("faculty").properties.at("teachers");
  EXPECT_EQ(teachers.type, Type::array);
  EXPECT_EQ(teachers.items->properties.at("kind").type, Type::string);
  EXPECT_EQ(root.properties.at("submitted_on").type, Type::date);
  EXPECT_EQ(root.properties.at("levels").items->type, Type::string);
}

TEST(SchemaJsonSchema, IsDraft202012WithChineseTitles) {
  json s = pack_schema().json_schema();
  EXPECT_EQ(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(s["type"], "object");
  EXPECT_EQ(s["title"], "数字技术工程师培育项目培训机构推荐表");
  EXPECT_EQ(s["additionalProperties"], false);
  EXPECT_EQ(s["properties"]["profile"]["title"], "单位基本情况");
  EXPECT_EQ(s["properties"]["profile"]["maxLength"], 800);
  EXPECT_EQ(s["properties"]["occupation"]["enum"].size(), 10u);
  EXPECT_EQ(s["properties"]["levels"]["items"]["enum"], json({"初级", "中级"}));
  EXPECT_EQ(s["properties"]["levels"]["uniqueItems"], true);
  EXPECT_EQ(s["properties"]["submitted_on"]["format"], "date");
  EXPECT_EQ(s["properties"]["plan"]["properties"]["fee_per_hour"]["propertyNames"]["enum"], json({"初级", "中级"}));
  EXPECT_EQ(s["properties"]["recommendation"]["properties"]["district"]["enum"].size(), 5u);
  EXPECT_EQ(s["properties"]["review"]["properties"]["online_approval_date"]["type"], json({"string", "null"}));
  json required = s["required"];
  EXPECT_NE(std::find(required.begin(), required.end(), "occupation"), required.end());
  EXPECT_EQ(std::find(required.begin(), required.end(), "id"), required.end());
}

// Checks are compiled by the pack loader; here each is compiled the same way, against the
// declared fields, and applied to the sample and to a form that fails it.
json check(const std::string& id) {
  for (const json& c : pack_schema().checks())
    if (c["id"] == id) return c;
  throw std::runtime_error("no check " + id);
}

bool truthy(const json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string() || v.is_array()) return !v.empty();
  return true;
}

bool passes(const std::string& id, const json& app) {
  qualify::CompileOptions options;
  options.fields = &pack_schema().fields();
  return truthy(qualify::Expression::compile(check(id)["condition"], options).apply(app));
}

TEST(SchemaChecks, AllCompileAgainstTheDeclaredFieldsAndPassTheSample) {
  qualify::CompileOptions options;
  options.fields = &pack_schema().fields();
  ASSERT_FALSE(pack_schema().checks().empty());
  for (const json& c : pack_schema().checks()) {
    SCOPED_TRACE(c["id"].get<std::string>());
    EXPECT_EQ(c["severity"], "soft");
    EXPECT_TRUE(c["clause"].is_string());
    EXPECT_TRUE(c["messages"]["fail"]["zh"].is_string() && c["messages"]["fail"]["en"].is_string());
    qualify::Expression e = qualify::Expression::compile(c["condition"], options);
    EXPECT_TRUE(truthy(e.apply(sample())));
    json values = c.value("values", json::object());
    for (const auto& [name, logic] : values.items())
      EXPECT_NO_THROW((void)qualify::Expression::compile(logic, options).apply(sample())) << name;
  }
}

struct CheckCase {
  std::string name;
  std::string check;
  json patch;
};

void PrintTo(const CheckCase& c, std::ostream* os) { *os << c.name; }

class SchemaCheck : public ::testing::TestWithParam<CheckCase> {};

TEST_P(SchemaCheck, FailsTheFormThatBreaksIt) {
  const CheckCase& c = GetParam();
  EXPECT_FALSE(passes(c.check, sample().patch(c.patch)));
}

json years(const std::string& list, std::vector<int> values) {
  json ops = json::array();
  for (std::size_t i = 0; i < values.size(); ++i)
    ops.push_back({{"op", "replace"}, {"path", list + "/" + std::to_string(i) + "/year"}, {"value", values[i]}});
  return ops;
}

INSTANTIATE_TEST_SUITE_P(
    PackSchema, SchemaCheck,
    ::testing::Values(
        CheckCase{"SplitDoesNotAddUp", "form.training_split", replace("/training_history/3/cooperative", 701)},
        CheckCase{"TrainingYearRepeated", "form.training_years", years("/training_history", {2020, 2021, 2022, 2023, 2023})},
        CheckCase{"TrainingYearsWithAGap", "form.training_years", years("/training_history", {2019, 2020, 2021, 2022, 2024})},
        CheckCase{"TrainingYearsFourDistinct", "form.training_years", years("/training_history", {2020, 2020, 2021, 2022, 2023})},
        CheckCase{"TrainingYearAfterSubmission", "form.training_years_past",
                  years("/training_history", {2022, 2023, 2024, 2025, 2026})},
        CheckCase{"TaxYearRepeated", "form.tax_years", years("/tax_records", {2022, 2023, 2023})},
        CheckCase{"FacultyTotalWrong", "form.faculty_total", replace("/faculty/total", 41)},
        CheckCase{"MoreFullTimeListedThanDeclared", "form.teachers_full_time", replace("/faculty/full_time", 0)},
        CheckCase{"MorePartTimeListedThanDeclared", "form.teachers_part_time", replace("/faculty/part_time", 0)},
        CheckCase{"EstablishedAfterSubmission", "form.established_before_submission",
                  replace("/organization/established_on", "2025-10-29")},
        CheckCase{"CommitmentSignedAfterSubmission", "form.commitment_date", replace("/commitment/date", "2025-10-29")},
        CheckCase{"RecommendedAfterSubmission", "form.recommendation_date", replace("/recommendation/date", "2025-11-01")},
        CheckCase{"PublicInstitutionWithSocialCode", "form.uscc_unit_type", replace("/organization/type", "事业单位")},
        CheckCase{"EnterpriseWithSocialCode", "form.uscc_unit_type", replace("/organization/type", "民营企业")},
        CheckCase{"AssociationWithEnterpriseCode", "form.uscc_unit_type",
                  json::array({{{"op", "replace"}, {"path", "/organization/type"}, {"value", "行业协会等社团组织"}},
                               {{"op", "replace"}, {"path", "/organization/uscc"}, {"value", "91500112MJP123451F"}}})}),
    [](const ::testing::TestParamInfo<CheckCase>& info) { return info.param.name; });

TEST(SchemaChecks, PassAtTheirBoundaries) {
  json app = sample();
  EXPECT_TRUE(passes("form.training_years", app.patch(years("/training_history", {2024, 2022, 2020, 2023, 2021}))));
  EXPECT_TRUE(passes("form.training_years_past", app.patch(years("/training_history", {2021, 2022, 2023, 2024, 2025}))));
  EXPECT_TRUE(passes("form.established_before_submission", app.patch(replace("/organization/established_on", "2025-10-28"))));
  EXPECT_TRUE(passes("form.teachers_full_time", app.patch(replace("/faculty/full_time", 1))));
  json enterprise = app.patch(json::array(
      {{{"op", "replace"}, {"path", "/organization/type"}, {"value", "企业"}},
       {{"op", "replace"}, {"path", "/organization/uscc"}, {"value", "91500112MJP123451F"}}}));
  EXPECT_TRUE(passes("form.uscc_unit_type", enterprise));
  EXPECT_TRUE(passes("form.uscc_unit_type", app.patch(json::array(
      {{{"op", "replace"}, {"path", "/organization/type"}, {"value", "事业单位"}},
       {{"op", "replace"}, {"path", "/organization/uscc"}, {"value", "12500112MJP123451L"}}}))));
}

}  // namespace
