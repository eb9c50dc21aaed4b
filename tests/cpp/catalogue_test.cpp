// The training-institution catalogue (qualify/catalogue.hpp): reading JSON and CSV, the
// errors for bad rows, and each listing's status at the edges of its validity, with the
// bundled chongqing-dte-2025 pack (3 years, Civil Code end rule).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>  // getpid, to keep temporary file names apart

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "qualify/catalogue.hpp"
#include "qualify/error.hpp"
#include "qualify/pack.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using qualify::Catalogue;
using qualify::CatalogueEntry;
using qualify::Date;
using qualify::ListingState;
using qualify::ListingStatus;

const fs::path kRepo = fs::path(__FILE__).parent_path().parent_path().parent_path();
const fs::path kSampleJson = kRepo / "examples" / "catalogue.json";
const fs::path kSampleCsv = kRepo / "examples" / "catalogue.csv";

// A date written in the test; a typo fails loudly rather than becoming 1970-01-01.
Date day(const char* iso) {
  std::optional<Date> d = Date::parse(iso);
  if (!d) throw std::invalid_argument(std::string("bad date in test: ") + iso);
  return *d;
}

const qualify::RulePack& pack() {
  static const qualify::RulePack p = qualify::RulePack::load(kRepo / "rules" / "chongqing-dte-2025");
  return p;
}

// A valid entry approved on `approved`, removed on `removed` when given.
CatalogueEntry entry(const char* approved, const char* removed = nullptr) {
  CatalogueEntry e;
  e.institution = "重庆两江智源职业培训学校";
  e.uscc = "52500112508461094P";
  e.occupation = "人工智能工程技术人员";
  e.level = "初级、中级";
  e.approved = day(approved);
  if (removed) {
    e.removed = day(removed);
    e.removal_reason = "动态调整";
  }
  return e;
}

// Runs `f` and returns the qualify::Error it throws; fails the test when it throws none.
template <typename F>
qualify::Error thrown_by(F&& f) {
  try {
    f();
  } catch (const qualify::Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected a qualify::Error";
  return qualify::Error("none", "", "", "");
}

// A file under the temporary folder, removed when the test ends.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content)
      : path_(fs::temp_directory_path() / ("qualify-catalogue-" + std::to_string(getpid()) + "-" + name)) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<std::string> usccs(const std::vector<ListingState>& states) {
  std::vector<std::string> out;
  for (const ListingState& s : states) out.push_back(s.entry.uscc);
  return out;
}

// ---- status at the edges ------------------------------------------------------------------

struct StatusCase {
  const char* name;
  const char* approved;
  const char* removed;  // nullptr: never removed
  const char* as_of;
  ListingStatus want;
  const char* valid_until;
  std::optional<std::int64_t> days_left;
};

// gtest prints a failing parameter by its name instead of its bytes.
void PrintTo(const StatusCase& c, std::ostream* os) { *os << c.name; }

class CatalogueStatusTest : public testing::TestWithParam<StatusCase> {};

TEST_P(CatalogueStatusTest, StatusOnTheDay) {
  const StatusCase& c = GetParam();
  Catalogue catalogue({entry(c.approved, c.removed)});
  std::vector<ListingState> states = catalogue.at(day(c.as_of), pack());
  ASSERT_EQ(states.size(), 1u);
  const ListingState& s = states[0];
  EXPECT_EQ(s.status, c.want) << to_string(s.status);
  EXPECT_EQ(s.valid_from, day(c.approved)) << "the approval day is the first valid day";
  EXPECT_EQ(s.valid_until, day(c.valid_until));
  EXPECT_EQ(s.days_left, c.days_left);
  EXPECT_EQ(s.entry.approved, day(c.approved));
}

const StatusCase kStatusCases[] = {
    // Notice 一、(五): validity counts from the approval time, so the approval day is active;
    // the Civil Code (arts. 201-203) puts the end of 3 years on 2028-12-15.
    {"DayBeforeApprovalIsNotYetValid", "2025-12-15", nullptr, "2025-12-14", ListingStatus::not_yet_valid,
     "2028-12-15", std::nullopt},
    {"ApprovalDayIsActive", "2025-12-15", nullptr, "2025-12-15", ListingStatus::active, "2028-12-15", 1096},
    {"DayAfterApprovalIsActive", "2025-12-15", nullptr, "2025-12-16", ListingStatus::active, "2028-12-15", 1095},
    {"LastValidDayIsActive", "2025-12-15", nullptr, "2028-12-15", ListingStatus::active, "2028-12-15", 0},
    {"DayAfterLastValidDayIsExpired", "2025-12-15", nullptr, "2028-12-16", ListingStatus::expired, "2028-12-15",
     std::nullopt},
    {"LongAfterIsExpired", "2022-06-30", nullptr, "2026-01-01", ListingStatus::expired, "2025-06-30", std::nullopt},
    {"LeapDayApprovalDayIsActive", "2028-02-29", nullptr, "2028-02-29", ListingStatus::active, "2031-02-28", 1095},
    {"LeapDayApprovalLastDayIsMonthEnd", "2028-02-29", nullptr, "2031-02-28", ListingStatus::active, "2031-02-28",
     0},
    {"LeapDayApprovalMarchFirstIsExpired", "2028-02-29", nullptr, "2031-03-01", ListingStatus::expired,
     "2031-02-28", std::nullopt},
    {"DayBeforeRemovalIsActive", "2025-12-15", "2026-06-01", "2026-05-31", ListingStatus::active, "2028-12-15", 929},
    {"RemovalDayIsRemoved", "2025-12-15", "2026-06-01", "2026-06-01", ListingStatus::removed, "2028-12-15",
     std::nullopt},
    {"AfterRemovalIsRemoved", "2025-12-15", "2026-06-01", "2030-01-01", ListingStatus::removed, "2028-12-15",
     std::nullopt},
    {"RemovedOnApprovalDay", "2025-12-15", "2025-12-15", "2025-12-15", ListingStatus::removed, "2028-12-15",
     std::nullopt},
    {"FutureRemovalBeforeApproval", "2026-03-16", "2026-04-01", "2026-01-01", ListingStatus::not_yet_valid,
     "2029-03-16", std::nullopt},
    {"ExpiredBeforeLateRemoval", "2025-12-15", "2029-01-10", "2029-01-09", ListingStatus::expired, "2028-12-15",
     std::nullopt},
    {"LateRemovalDayIsRemoved", "2025-12-15", "2029-01-10", "2029-01-10", ListingStatus::removed, "2028-12-15",
     std::nullopt},
};

INSTANTIATE_TEST_SUITE_P(Catalogue, CatalogueStatusTest, testing::ValuesIn(kStatusCases),
                         [](const testing::TestParamInfo<StatusCase>& info) { return std::string(info.param.name); });

TEST(CatalogueTest, StatusNamesRoundTrip) {
  for (ListingStatus s :
       {ListingStatus::active, ListingStatus::expired, ListingStatus::removed, ListingStatus::not_yet_valid})
    EXPECT_EQ(qualify::listing_status_from_name(to_string(s)), s);
  EXPECT_EQ(to_string(ListingStatus::not_yet_valid), "not_yet_valid");
  EXPECT_EQ(qualify::listing_status_from_name("Active"), std::nullopt);
}

TEST(CatalogueTest, AtKeepsFileOrder) {
  Catalogue catalogue({entry("2025-12-15"), entry("2022-06-30"), entry("2026-03-16")});
  std::vector<ListingState> states = catalogue.at(day("2026-01-01"), pack());
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(states[0].status, ListingStatus::active);
  EXPECT_EQ(states[1].status, ListingStatus::expired);
  EXPECT_EQ(states[2].status, ListingStatus::not_yet_valid);
}

TEST(CatalogueTest, ValidityPastYear9999IsACalendarError) {
  Catalogue catalogue({entry("9998-06-01")});
  EXPECT_THROW(catalogue.at(day("9998-06-01"), pack()), qualify::CalendarError);
}

// ---- expiring_within ----------------------------------------------------------------------

// The sample catalogue on 2026-01-01: 嘉陵 ends 2026-01-10 (9 days left), 促进会 2026-02-28
// (58), 两江 and 缙云 2028-12-15 (1079); the removed, expired and future entries never count.
struct ExpiringCase {
  const char* name;
  const char* as_of;
  std::int64_t days;
  std::vector<std::string> want;  // USCCs, soonest first
};

void PrintTo(const ExpiringCase& c, std::ostream* os) { *os << c.name; }

class CatalogueExpiringTest : public testing::TestWithParam<ExpiringCase> {};

TEST_P(CatalogueExpiringTest, ActiveEntriesEndingWithinDays) {
  const ExpiringCase& c = GetParam();
  Catalogue catalogue = Catalogue::load(kSampleJson);
  std::vector<ListingState> got = catalogue.expiring_within(day(c.as_of), c.days, pack());
  EXPECT_EQ(usccs(got), c.want);
  for (const ListingState& s : got) {
    EXPECT_EQ(s.status, ListingStatus::active);
    ASSERT_TRUE(s.days_left.has_value());
    EXPECT_LE(*s.days_left, c.days);
  }
}

const std::string kJialing = "91500105MA7K6K7G02";
const std::string kCujinhui = "51500103MJ1B64LP3X";
const std::string kLiangjiang = "52500112508461094P";
const std::string kJinyun = "12500109472443432Q";

const ExpiringCase kExpiringCases[] = {
    {"NoneEndsToday", "2026-01-01", 0, {}},
    {"DayShortOfFirstEnd", "2026-01-01", 8, {}},
    {"FirstEndIsInclusive", "2026-01-01", 9, {kJialing}},
    {"DayShortOfSecondEnd", "2026-01-01", 57, {kJialing}},
    {"SecondEndIsInclusive", "2026-01-01", 58, {kJialing, kCujinhui}},
    {"SoonestFirstThenFileOrder", "2026-01-01", 100000, {kJialing, kCujinhui, kLiangjiang, kJinyun}},
    {"EndingTodayWithZeroDays", "2026-01-10", 0, {kJialing}},
    {"ExpiredTheDayAfter", "2026-01-11", 60, {kCujinhui}},
};

INSTANTIATE_TEST_SUITE_P(Catalogue, CatalogueExpiringTest, testing::ValuesIn(kExpiringCases),
                         [](const testing::TestParamInfo<ExpiringCase>& info) { return std::string(info.param.name); });

TEST(CatalogueTest, ExpiringWithinNegativeDaysIsAnError) {
  Catalogue catalogue({entry("2025-12-15")});
  qualify::Error e = thrown_by([&] { catalogue.expiring_within(day("2026-01-01"), -1, pack()); });
  EXPECT_EQ(e.code(), "invalid_argument");
}

// ---- the sample catalogues ----------------------------------------------------------------

TEST(CatalogueTest, SampleJsonAndCsvAgree) {
  Catalogue from_json = Catalogue::load(kSampleJson);
  Catalogue from_csv = Catalogue::load(kSampleCsv);
  ASSERT_EQ(from_json.entries().size(), 7u);
  ASSERT_EQ(from_csv.entries().size(), from_json.entries().size());
  for (std::size_t i = 0; i < from_json.entries().size(); ++i) {
    const CatalogueEntry& a = from_json.entries()[i];
    const CatalogueEntry& b = from_csv.entries()[i];
    EXPECT_EQ(a.institution, b.institution) << i;
    EXPECT_EQ(a.uscc, b.uscc) << i;
    EXPECT_EQ(a.occupation, b.occupation) << i;
    EXPECT_EQ(a.level, b.level) << i;
    EXPECT_EQ(a.approved, b.approved) << i;
    EXPECT_EQ(a.removed, b.removed) << i;
    EXPECT_EQ(a.removal_reason, b.removal_reason) << i;
  }
}

TEST(CatalogueTest, SampleStatusesOnNewYear2026) {
  std::vector<ListingState> states = Catalogue::load(kSampleCsv).at(day("2026-01-01"), pack());
  std::vector<std::string> got;
  for (const ListingState& s : states) got.emplace_back(to_string(s.status));
  EXPECT_EQ(got, (std::vector<std::string>{"active", "active", "active", "active", "removed", "expired",
                                           "not_yet_valid"}));
}

TEST(CatalogueTest, ToJsonIsFlatWithNulls) {
  std::vector<ListingState> states = Catalogue::load(kSampleJson).at(day("2026-01-01"), pack());
  EXPECT_EQ(states[0].to_json(), json::parse(R"({
    "institution": "重庆两江智源职业培训学校", "uscc": "52500112508461094P",
    "occupation": "人工智能工程技术人员", "level": "初级、中级",
    "approved": "2025-12-15", "removed": null, "removal_reason": null,
    "status": "active", "valid_from": "2025-12-15", "valid_until": "2028-12-15", "days_left": 1079})"));
  json removed = states[4].to_json();
  EXPECT_EQ(removed["status"], "removed");
  EXPECT_EQ(removed["removed"], "2025-09-01");
  EXPECT_EQ(removed["removal_reason"], "年度培训质量评估不合格，动态调整移出目录");
  EXPECT_EQ(removed["days_left"], nullptr);
}

// ---- reading ------------------------------------------------------------------------------

const char* const kChineseCsv =
    "\xEF\xBB\xBF"
    "单位名称,统一社会信用代码,职业,等级,审核通过时间,移出时间,移出原因\r\n"
    "重庆两江智源职业培训学校,52500112508461094P,人工智能工程技术人员,初级、中级,2025-12-15,,\r\n"
    "重庆西部科学城虚拟现实产业协会,51500106MJ2DFHH60C,虚拟现实工程技术人员,中级,2024-03-20,2025-09-01,"
    "\"培训质量不合格，\"\"动态调整\"\",移出\"\r\n";

TEST(CatalogueCsvTest, BomChineseHeadersAndCrlf) {
  Catalogue c = Catalogue::from_csv(kChineseCsv, "list.csv");
  ASSERT_EQ(c.entries().size(), 2u);
  EXPECT_EQ(c.entries()[0].institution, "重庆两江智源职业培训学校");
  EXPECT_EQ(c.entries()[0].approved, day("2025-12-15"));
  EXPECT_EQ(c.entries()[0].removed, std::nullopt);
  EXPECT_EQ(c.entries()[0].removal_reason, "");
  EXPECT_EQ(c.entries()[1].removed, day("2025-09-01"));
  EXPECT_EQ(c.entries()[1].removal_reason, "培训质量不合格，\"动态调整\",移出");
}

TEST(CatalogueCsvTest, LoadsBomFileByExtensionInAnyCase) {
  TempFile file("bom.CSV", kChineseCsv);
  EXPECT_EQ(Catalogue::load(file.path()).entries().size(), 2u);
}

TEST(CatalogueCsvTest, ColumnsInAnyOrderOptionalOnesLeftOut) {
  Catalogue c = Catalogue::from_csv(
      "approved,uscc,institution,level,occupation\n"
      "\n"
      "  2025-12-15 ,52500112508461094P,\"重庆两江智源\n职业培训学校\",初级,人工智能工程技术人员\n"
      ",,,,\n"
      "2028-02-29,12500109472443432Q,重庆缙云大学继续教育学院,中级,大数据工程技术人员");
  ASSERT_EQ(c.entries().size(), 2u);
  EXPECT_EQ(c.entries()[0].approved, day("2025-12-15"));
  EXPECT_EQ(c.entries()[0].institution, "重庆两江智源\n职业培训学校");
  EXPECT_EQ(c.entries()[1].approved, day("2028-02-29"));
  EXPECT_EQ(c.entries()[1].removed, std::nullopt);
}

TEST(CatalogueCsvTest, HeaderOnlyIsEmpty) {
  EXPECT_TRUE(Catalogue::from_csv("institution,uscc,occupation,level,approved\n").entries().empty());
}

TEST(CatalogueJsonTest, ArrayChineseKeysAndNulls) {
  Catalogue c = Catalogue::from_json(json::parse(R"([
    {"单位名称": "重庆两江智源职业培训学校", "统一社会信用代码": "52500112508461094P",
     "职业": "人工智能工程技术人员", "等级": "初级", "审核通过时间": "2025-12-15",
     "移出时间": null, "移出原因": null},
    {"institution": "重庆缙云大学继续教育学院", "uscc": "12500109472443432Q",
     "occupation": "大数据工程技术人员", "level": "中级", "approved": "2025-12-15",
     "removed": "", "removal_reason": ""}])"));
  ASSERT_EQ(c.entries().size(), 2u);
  EXPECT_EQ(c.entries()[0].level, "初级");
  EXPECT_EQ(c.entries()[1].removed, std::nullopt);
}

TEST(CatalogueJsonTest, LoadSniffsJsonWithoutExtension) {
  TempFile file("catalogue.txt", "\n  [{\"institution\": \"重庆两江智源职业培训学校\", \"uscc\": \"52500112508461094P\","
                                 " \"occupation\": \"人工智能工程技术人员\", \"level\": \"初级\", \"approved\": \"2025-12-15\"}]");
  EXPECT_EQ(Catalogue::load(file.path()).entries().size(), 1u);
}

// ---- bad input ----------------------------------------------------------------------------

enum class Format { json, csv };

struct BadCase {
  const char* name;
  Format format;
  std::string text;
  std::string pointer;
  std::string reason;  // a part of the reason
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class CatalogueBadInputTest : public testing::TestWithParam<BadCase> {};

TEST_P(CatalogueBadInputTest, NamesRowAndField) {
  const BadCase& c = GetParam();
  qualify::Error e = thrown_by([&] {
    if (c.format == Format::json)
      Catalogue::from_json(json::parse(c.text), "list.json");
    else
      Catalogue::from_csv(c.text, "list.csv");
  });
  EXPECT_EQ(e.code(), "bad_catalogue");
  EXPECT_EQ(e.file(), c.format == Format::json ? "list.json" : "list.csv");
  EXPECT_EQ(e.pointer(), c.pointer) << e.what();
  EXPECT_NE(e.reason().find(c.reason), std::string::npos) << e.what();
}

// One good JSON entry with `field` replaced (or added) as the JSON text `value`.
std::string json_entry(const std::string& field = "", const std::string& value = "") {
  json j = {{"institution", "重庆两江智源职业培训学校"}, {"uscc", "52500112508461094P"},
            {"occupation", "人工智能工程技术人员"}, {"level", "初级"}, {"approved", "2025-12-15"}};
  if (!field.empty()) j[field] = json::parse(value);
  return "[" + j.dump() + "]";
}

std::string json_entry_without(const std::string& field) {
  json j = json::parse(json_entry());
  j[0].erase(field);
  return j.dump();
}

const std::string kCsvHeader = "institution,uscc,occupation,level,approved,removed,removal_reason\n";
const std::string kCsvGood = "重庆两江智源职业培训学校,52500112508461094P,人工智能工程技术人员,初级,2025-12-15,,\n";

const BadCase kBadCases[] = {
    {"JsonImpossibleDate", Format::json, json_entry("approved", R"("2025-02-30")"), "/0/approved",
     "\"2025-02-30\" is not a real date"},
    {"JsonSlashDate", Format::json, json_entry("approved", R"("2025/12/15")"), "/0/approved", "YYYY-MM-DD"},
    {"JsonNumberDate", Format::json, json_entry("approved", "20251215"), "/0/approved", "must be a string"},
    {"JsonNullApproved", Format::json, json_entry("approved", "null"), "/0/approved", "has no value"},
    {"JsonMissingApproved", Format::json, json_entry_without("approved"), "/0", "missing \"approved\""},
    {"JsonBadRemovalDate", Format::json, json_entry("removed", R"("2026-13-01")"), "/0/removed", "not a real date"},
    {"JsonUnknownKey", Format::json, json_entry("remove", R"("2026-01-01")"), "/0/remove", "unknown key \"remove\""},
    {"JsonAliasTwice", Format::json, json_entry("审核通过时间", R"("2025-12-15")"), "/0/审核通过时间", "repeats"},
    {"JsonBlankInstitution", Format::json, json_entry("institution", R"("  ")"), "/0/institution", "no value"},
    {"JsonUsccCheckCharacter", Format::json, json_entry("uscc", R"("52500112508461094Q")"), "/0/uscc",
     "should be \"P\""},
    {"JsonUsccTooShort", Format::json, json_entry("uscc", R"("5250011250846109")"), "/0/uscc", "has 16 characters"},
    {"JsonUsccLowercase", Format::json, json_entry("uscc", R"("52500112508461094p")"), "/0/uscc", "check"},
    {"JsonUsccLetterO", Format::json, json_entry("uscc", R"("52500112508461O94P")"), "/0/uscc", "\"O\""},
    {"JsonRemovedBeforeApproved", Format::json, json_entry("removed", R"("2025-12-14")"), "/0/removed",
     "before approved 2025-12-15"},
    {"JsonReasonWithoutRemoval", Format::json, json_entry("removal_reason", R"("违规")"), "/0/removal_reason",
     "removed is not"},
    {"JsonEntryNotObject", Format::json, R"(["重庆两江智源职业培训学校"])", "/0", "object"},
    {"JsonEntriesNotArray", Format::json, R"({"entries": {}})", "/entries", "not an array"},
    {"JsonNoEntries", Format::json, R"({"title": "目录"})", "", "\"entries\""},
    {"JsonTopLevelString", Format::json, R"("目录")", "", "got string"},
    {"JsonSecondEntryInWrapper", Format::json,
     R"({"entries": [)" + json_entry().substr(1, json_entry().size() - 2) + "," +
         json_entry("level", R"("")").substr(1, json_entry("level", R"("")").size() - 2) + "]}",
     "/entries/1/level", "no value"},
    {"CsvImpossibleDate", Format::csv,
     kCsvHeader + kCsvGood + "重庆缙云大学继续教育学院,12500109472443432Q,大数据工程技术人员,中级,2025-02-30,,\n",
     "/row/3/approved", "\"2025-02-30\" is not a real date"},
    {"CsvChineseHeaderNamedInReason", Format::csv,
     "单位名称,统一社会信用代码,职业,等级,审核通过时间\n重庆两江智源职业培训学校,52500112508461094P,人工智能工程技术人员,"
     "初级,2025-02-29\n",
     "/row/2/approved", "审核通过时间 \"2025-02-29\""},
    {"CsvBlankLineCountsAsRow", Format::csv, kCsvHeader + "\n" + kCsvGood + "\n,,,,2025-12-15,,\n",
     "/row/5/institution", "no value"},
    {"CsvQuotedLineBreakIsOneRow", Format::csv,
     kCsvHeader + "\"重庆两江智源\n职业培训学校\",52500112508461094P,人工智能工程技术人员,初级,2025-12-15,,\n" +
         "重庆缙云大学继续教育学院,12500109472443432Q,大数据工程技术人员,中级,2025-12-15\n",
     "/row/3", "line 4 has 5 values; the header has 7 columns"},
    {"CsvUnknownColumn", Format::csv, "序号," + kCsvHeader + "1," + kCsvGood, "/row/1", "unknown column \"序号\""},
    {"CsvUnnamedColumn", Format::csv, "institution,uscc,,occupation,level,approved\n", "/row/1", "column 3 has no name"},
    {"CsvMissingColumn", Format::csv, "institution,occupation,level,approved\n", "/row/1", "no column for \"uscc\""},
    {"CsvSameColumnTwice", Format::csv, "institution,uscc,occupation,level,approved,审核通过时间\n", "/row/1",
     "two columns for \"approved\""},
    {"CsvUnclosedQuote", Format::csv, kCsvHeader + "\"重庆两江智源职业培训学校,52500112508461094P\n", "/row/2",
     "opened on line 2 is never closed"},
    {"CsvTextAfterQuote", Format::csv, kCsvHeader + "\"重庆\"两江,52500112508461094P,职业,初级,2025-12-15,,\n",
     "/row/2", "text after a closing quote"},
    {"CsvNotUtf8", Format::csv, kCsvHeader + "\xD6\xD8\xC7\xEC,52500112508461094P,职业,初级,2025-12-15,,\n",
     "/row/2/institution", "UTF-8"},
    {"CsvBadUscc", Format::csv, kCsvHeader + "重庆,52500112508461094,职业,初级,2025-12-15,,\n", "/row/2/uscc",
     "has 17 characters"},
    {"CsvRemovedBeforeApproved", Format::csv, kCsvHeader + "重庆,52500112508461094P,职业,初级,2025-12-15,2025-01-01,\n",
     "/row/2/removed", "before"},
    {"CsvEmpty", Format::csv, "\n\n", "", "no header row"},
};

INSTANTIATE_TEST_SUITE_P(Catalogue, CatalogueBadInputTest, testing::ValuesIn(kBadCases),
                         [](const testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST(CatalogueTest, WhatNamesFilePointerAndReason) {
  qualify::Error e = thrown_by([] { Catalogue::from_json(json::parse(json_entry("approved", R"("2025-02-30")")), "a.json"); });
  EXPECT_EQ(std::string(e.what()), "a.json: /0/approved: approved \"2025-02-30\" is not a real date");
}

TEST(CatalogueTest, EntriesAreCheckedWhenBuiltInMemory) {
  CatalogueEntry bad = entry("2025-12-15");
  bad.uscc = "52500112508461094Q";
  qualify::Error e = thrown_by([&] { Catalogue({entry("2025-12-15"), bad}); });
  EXPECT_EQ(e.code(), "bad_catalogue");
  EXPECT_EQ(e.pointer(), "/1/uscc");
}

TEST(CatalogueTest, UnreadableAndMalformedFiles) {
  qualify::Error missing = thrown_by([] { Catalogue::load(kRepo / "examples" / "no-such-catalogue.json"); });
  EXPECT_EQ(missing.code(), "bad_catalogue");
  EXPECT_NE(missing.reason().find("cannot read"), std::string::npos);

  TempFile broken("broken.json", "[{\"institution\": ");
  qualify::Error parse = thrown_by([&] { Catalogue::load(broken.path()); });
  EXPECT_EQ(parse.code(), "bad_catalogue");
  EXPECT_EQ(parse.file(), broken.path().string());
  EXPECT_NE(parse.reason().find("not valid JSON"), std::string::npos);
}

}  // namespace
