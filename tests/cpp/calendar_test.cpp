// Dates, Civil Code periods and the working-day calendar (qualify/calendar.hpp), with the
// bundled holiday calendar of the chongqing-dte-2025 pack for the working-day cases.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <unistd.h>  // getpid, to keep temporary file names apart

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "qualify/calendar.hpp"
#include "qualify/error.hpp"

namespace {

using nlohmann::json;
using qualify::Calendar;
using qualify::CalendarError;
using qualify::Date;
using qualify::PeriodEnd;

const std::filesystem::path kCalendarFile =
    std::filesystem::path(__FILE__).parent_path() / "../../rules/chongqing-dte-2025/data/holidays-cn.json";

// A date written in the test; a typo fails loudly rather than becoming 1970-01-01.
Date day(const char* iso) {
  std::optional<Date> d = Date::parse(iso);
  if (!d) throw std::invalid_argument(std::string("bad date in test: ") + iso);
  return *d;
}

const Calendar& bundled() {
  static const Calendar calendar = Calendar::load(kCalendarFile);
  return calendar;
}

// Runs `f` and returns the CalendarError it throws; fails the test when it throws none.
template <typename F>
CalendarError thrown_by(F&& f) {
  try {
    f();
  } catch (const CalendarError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a CalendarError";
  return CalendarError("none", "", "", "");
}

// ---- Date --------------------------------------------------------------------------------

static_assert(std::is_trivially_copyable_v<Date>);
static_assert(Date().days() == 0);
static_assert(Date::from_days(1) > Date());

TEST(DateTest, DaysCountFromTheEpoch) {
  EXPECT_EQ(Date::from_ymd(1970, 1, 1).days(), 0);
  EXPECT_EQ(Date::from_ymd(1970, 1, 2).days(), 1);
  EXPECT_EQ(Date::from_ymd(1969, 12, 31).days(), -1);
  EXPECT_EQ(Date::from_ymd(2000, 3, 1).days(), 11017);
  EXPECT_EQ(Date::from_ymd(1900, 1, 1).days(), -25567);
  EXPECT_EQ(Date::from_ymd(9999, 12, 31).days(), 2932896);
  EXPECT_EQ(Date(), Date::from_ymd(1970, 1, 1));
}

TEST(DateTest, FieldsAndIsoText) {
  Date d = day("2028-02-29");
  EXPECT_EQ(d.year(), 2028);
  EXPECT_EQ(d.month(), 2u);
  EXPECT_EQ(d.day(), 29u);
  EXPECT_EQ(d.iso(), "2028-02-29");
  EXPECT_EQ(Date::from_days(d.days()), d);
  EXPECT_EQ(day("1900-01-01").iso(), "1900-01-01");
  EXPECT_EQ(day("9999-12-31").iso(), "9999-12-31");
}

TEST(DateTest, Weekdays) {
  EXPECT_EQ(day("1970-01-01").weekday(), 4u);  // Thursday
  EXPECT_EQ(day("2025-09-26").weekday(), 5u);  // Friday
  EXPECT_EQ(day("2025-09-28").weekday(), 0u);  // Sunday
  EXPECT_EQ(day("2025-10-11").weekday(), 6u);  // Saturday
  EXPECT_EQ(day("2026-02-14").weekday(), 6u);  // Saturday
  EXPECT_EQ(day("1900-01-01").weekday(), 1u);  // Monday
  EXPECT_EQ(day("1969-12-28").weekday(), 0u);  // Sunday, before the epoch
}

TEST(DateTest, Ordering) {
  EXPECT_LT(day("2025-12-31"), day("2026-01-01"));
  EXPECT_GT(day("2025-10-09"), day("2025-09-26"));
  EXPECT_EQ(day("2025-10-09"), Date::from_ymd(2025, 10, 9));
}

TEST(DateTest, FromYmdRejectsImpossibleDates) {
  struct Ymd {
    int y;
    unsigned m, d;
  };
  for (Ymd bad : {Ymd{2025, 2, 29}, Ymd{2025, 2, 30}, Ymd{2025, 13, 1}, Ymd{2025, 0, 1}, Ymd{2025, 4, 31},
                  Ymd{2025, 1, 0}, Ymd{1900, 2, 29}, Ymd{1899, 12, 31}, Ymd{10000, 1, 1}}) {
    CalendarError e = thrown_by([&] { Date::from_ymd(bad.y, bad.m, bad.d); });
    EXPECT_EQ(e.code(), "invalid_date") << bad.y << "-" << bad.m << "-" << bad.d;
  }
  EXPECT_NE(thrown_by([] { Date::from_ymd(2025, 2, 30); }).reason().find("2025-02-30"), std::string::npos);
}

TEST(DateTest, OutOfRangeDaysThrowOnAccess) {
  Date before = Date::from_days(-25568);  // 1899-12-31
  EXPECT_EQ(thrown_by([&] { (void)before.year(); }).code(), "date_out_of_range");
  EXPECT_EQ(thrown_by([&] { (void)before.iso(); }).code(), "date_out_of_range");
}

struct ParseCase {
  std::string name;
  std::string text;
  std::optional<std::int32_t> days;  // nullopt: rejected
};

class DateParseTest : public testing::TestWithParam<ParseCase> {};

TEST_P(DateParseTest, Parses) {
  const ParseCase& c = GetParam();
  std::optional<Date> d = Date::parse(c.text);
  ASSERT_EQ(d.has_value(), c.days.has_value()) << '"' << c.text << '"';
  if (d) {
    EXPECT_EQ(d->days(), *c.days);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DateParseTest,
    testing::Values(ParseCase{"Epoch", "1970-01-01", 0}, ParseCase{"NationalDay", "2025-10-01", 20362},
                    ParseCase{"LeapDay", "2028-02-29", 21243}, ParseCase{"LeapCentury", "2000-02-29", 11016},
                    ParseCase{"FirstSupported", "1900-01-01", -25567},
                    ParseCase{"LastSupported", "9999-12-31", 2932896},
                    ParseCase{"FebruaryThirtieth", "2025-02-30", std::nullopt},
                    ParseCase{"NotLeapYear", "2025-02-29", std::nullopt},
                    ParseCase{"NotLeapCentury", "1900-02-29", std::nullopt},
                    ParseCase{"MonthThirteen", "2025-13-01", std::nullopt},
                    ParseCase{"MonthZero", "2025-00-10", std::nullopt},
                    ParseCase{"DayZero", "2025-01-00", std::nullopt},
                    ParseCase{"AprilThirtyFirst", "2025-04-31", std::nullopt},
                    ParseCase{"UnpaddedMonth", "2025-1-01", std::nullopt},
                    ParseCase{"UnpaddedDay", "2025-01-1", std::nullopt},
                    ParseCase{"TrailingText", "2025-01-01x", std::nullopt},
                    ParseCase{"TrailingTime", "2025-01-01T00:00", std::nullopt},
                    ParseCase{"LeadingSpace", " 2025-01-01", std::nullopt},
                    ParseCase{"TrailingNul", std::string("2025-01-01\0", 11), std::nullopt},
                    ParseCase{"Slashes", "2025/01/01", std::nullopt},
                    ParseCase{"Signed", "+025-01-01", std::nullopt},
                    ParseCase{"BeforeRange", "1899-12-31", std::nullopt},
                    ParseCase{"FiveDigitYear", "10000-01-01", std::nullopt}, ParseCase{"Empty", "", std::nullopt}),
    [](const testing::TestParamInfo<ParseCase>& info) { return info.param.name; });

// ---- Arithmetic --------------------------------------------------------------------------

TEST(DateArithmeticTest, AddDays) {
  EXPECT_EQ(qualify::add_days(day("2025-12-31"), 1), day("2026-01-01"));
  EXPECT_EQ(qualify::add_days(day("2028-02-28"), 1), day("2028-02-29"));
  EXPECT_EQ(qualify::add_days(day("2025-02-28"), 1), day("2025-03-01"));
  EXPECT_EQ(qualify::add_days(day("2026-01-01"), -1), day("2025-12-31"));
  EXPECT_EQ(qualify::add_days(day("2025-09-26"), 0), day("2025-09-26"));
}

TEST(DateArithmeticTest, DaysBetween) {
  EXPECT_EQ(qualify::days_between(day("2025-09-26"), day("2025-10-09")), 13);
  EXPECT_EQ(qualify::days_between(day("2025-10-09"), day("2025-09-26")), -13);
  EXPECT_EQ(qualify::days_between(day("2028-01-01"), day("2029-01-01")), 366);
  EXPECT_EQ(qualify::days_between(day("1900-01-01"), day("9999-12-31")), 2932896 + 25567);
}

TEST(DateArithmeticTest, ResultsOutsideTheRangeThrow) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(thrown_by([] { qualify::add_days(day("9999-12-31"), 1); }).code(), "date_out_of_range");
  EXPECT_EQ(thrown_by([] { qualify::add_days(day("1900-01-01"), -1); }).code(), "date_out_of_range");
  EXPECT_EQ(thrown_by([] { qualify::add_days(day("2025-01-01"), kMax); }).code(), "date_out_of_range");
  EXPECT_EQ(thrown_by([] { qualify::add_days(day("2025-01-01"), kMin); }).code(), "date_out_of_range");
  EXPECT_EQ(thrown_by([] { qualify::add_months(day("9999-12-01"), 1); }).code(), "date_out_of_range");
  EXPECT_EQ(thrown_by([] { qualify::add_months(day("2025-01-01"), kMin); }).code(), "date_out_of_range");
  EXPECT_EQ(thrown_by([] { qualify::add_years(day("2025-01-01"), 8000); }).code(), "date_out_of_range");
  EXPECT_EQ(thrown_by([] { qualify::add_years(day("2025-01-01"), kMax); }).code(), "date_out_of_range");
  EXPECT_EQ(thrown_by([] { qualify::add_months(day("1900-01-01"), 0, PeriodEnd::day_before); }).code(),
            "date_out_of_range");
}

struct PeriodCase {
  std::string name;
  const char* start;
  std::int64_t months;
  std::int64_t years;  // add_years when non-zero, else add_months
  PeriodEnd rule;
  const char* end;
};

class PeriodTest : public testing::TestWithParam<PeriodCase> {};

TEST_P(PeriodTest, EndsOn) {
  const PeriodCase& c = GetParam();
  Date got = c.years != 0 ? qualify::add_years(day(c.start), c.years, c.rule)
                          : qualify::add_months(day(c.start), c.months, c.rule);
  EXPECT_EQ(got, day(c.end));
  // A period of n years is a period of 12n months.
  if (c.years != 0) {
    EXPECT_EQ(qualify::add_months(day(c.start), 12 * c.years, c.rule), got);
  }
}

constexpr PeriodEnd kCivil = PeriodEnd::civil_code;
constexpr PeriodEnd kBefore = PeriodEnd::day_before;
constexpr PeriodEnd kNext = PeriodEnd::next_day_if_missing;

INSTANTIATE_TEST_SUITE_P(
    Cases, PeriodTest,
    testing::Values(
        // civil_code: the corresponding day, or the last day of a month that has none.
        PeriodCase{"ValidityFromApproval", "2025-12-15", 0, 3, kCivil, "2028-12-15"},
        PeriodCase{"LeapDayThreeYears", "2028-02-29", 0, 3, kCivil, "2031-02-28"},
        PeriodCase{"LeapDayFourYears", "2028-02-29", 0, 4, kCivil, "2032-02-29"},
        PeriodCase{"YearEndOneYear", "2025-12-31", 0, 1, kCivil, "2026-12-31"},
        PeriodCase{"JanuaryEndOneMonth", "2025-01-31", 1, 0, kCivil, "2025-02-28"},
        PeriodCase{"JanuaryEndLeapYear", "2028-01-31", 1, 0, kCivil, "2028-02-29"},
        PeriodCase{"MarchEndOneMonth", "2025-03-31", 1, 0, kCivil, "2025-04-30"},
        PeriodCase{"YearEndOneMonth", "2025-12-31", 1, 0, kCivil, "2026-01-31"},
        PeriodCase{"YearEndTwoMonths", "2025-12-31", 2, 0, kCivil, "2026-02-28"},
        PeriodCase{"NovemberAcrossYearEnd", "2025-11-30", 3, 0, kCivil, "2026-02-28"},
        PeriodCase{"FebruaryEndKeepsDay", "2025-02-28", 1, 0, kCivil, "2025-03-28"},
        PeriodCase{"ThirtySixMonths", "2025-12-15", 36, 0, kCivil, "2028-12-15"},
        PeriodCase{"ZeroMonths", "2025-12-15", 0, 0, kCivil, "2025-12-15"},
        PeriodCase{"MonthBack", "2025-03-31", -1, 0, kCivil, "2025-02-28"},
        PeriodCase{"YearBackAcrossYearEnd", "2026-01-15", -2, 0, kCivil, "2025-11-15"},
        PeriodCase{"LeapDayYearBack", "2028-02-29", 0, -1, kCivil, "2027-02-28"},
        // day_before: the start day is day one.
        PeriodCase{"DayBeforeValidity", "2025-12-15", 0, 3, kBefore, "2028-12-14"},
        PeriodCase{"DayBeforeLeapDay", "2028-02-29", 0, 3, kBefore, "2031-02-27"},
        PeriodCase{"DayBeforeClampsFirst", "2025-01-31", 1, 0, kBefore, "2025-02-27"},
        PeriodCase{"DayBeforeYearStart", "2025-01-01", 0, 1, kBefore, "2025-12-31"},
        PeriodCase{"DayBeforeMonthStart", "2025-03-01", 1, 0, kBefore, "2025-03-31"},
        // next_day_if_missing: the corresponding day, or the 1st of the next month.
        PeriodCase{"NextDayLeapDay", "2028-02-29", 0, 3, kNext, "2031-03-01"},
        PeriodCase{"NextDayLeapDayToLeapYear", "2028-02-29", 0, 4, kNext, "2032-02-29"},
        PeriodCase{"NextDayJanuaryEnd", "2025-01-31", 1, 0, kNext, "2025-03-01"},
        PeriodCase{"NextDayJanuaryThirtieth", "2025-01-30", 1, 0, kNext, "2025-03-01"},
        PeriodCase{"NextDayMarchEnd", "2025-03-31", 1, 0, kNext, "2025-05-01"},
        PeriodCase{"NextDayPresent", "2025-12-15", 0, 3, kNext, "2028-12-15"},
        PeriodCase{"NextDayYearEnd", "2025-12-31", 1, 0, kNext, "2026-01-31"}),
    [](const testing::TestParamInfo<PeriodCase>& info) { return info.param.name; });

TEST(PeriodRuleTest, DefaultIsCivilCode) {
  EXPECT_EQ(qualify::add_years(day("2028-02-29"), 3), day("2031-02-28"));
  EXPECT_EQ(qualify::add_months(day("2025-01-31"), 1), day("2025-02-28"));
}

TEST(PeriodRuleTest, NamesRoundTrip) {
  for (PeriodEnd rule : {kCivil, kBefore, kNext}) EXPECT_EQ(qualify::period_end_from_name(qualify::to_string(rule)), rule);
  EXPECT_EQ(qualify::to_string(kCivil), "civil_code");
  EXPECT_EQ(qualify::to_string(kBefore), "day_before");
  EXPECT_EQ(qualify::to_string(kNext), "next_day_if_missing");
  EXPECT_EQ(qualify::period_end_from_name("Civil_Code"), std::nullopt);
  EXPECT_EQ(qualify::period_end_from_name("civil_code "), std::nullopt);
  EXPECT_EQ(qualify::period_end_from_name(""), std::nullopt);
}

// ---- Calendar ----------------------------------------------------------------------------

TEST(CalendarTest, BundledCalendarCoversItsYears) {
  const Calendar& c = bundled();
  EXPECT_EQ(c.first_year(), 2024);
  EXPECT_EQ(c.last_year(), 2026);
  EXPECT_FALSE(c.covers(2023));
  EXPECT_TRUE(c.covers(2024));
  EXPECT_TRUE(c.covers(2025));
  EXPECT_TRUE(c.covers(2026));
  EXPECT_FALSE(c.covers(2027));
}

struct DayCase {
  std::string name;
  const char* date;
  bool working;
  bool holiday;
};

class WorkingDayTest : public testing::TestWithParam<DayCase> {};

TEST_P(WorkingDayTest, Classifies) {
  const DayCase& c = GetParam();
  EXPECT_EQ(bundled().is_working_day(day(c.date)), c.working);
  EXPECT_EQ(bundled().is_statutory_holiday(day(c.date)), c.holiday);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, WorkingDayTest,
    testing::Values(DayCase{"OrdinaryMonday", "2025-09-22", true, false},
                    DayCase{"OrdinarySaturday", "2025-11-01", false, false},
                    DayCase{"OrdinarySunday", "2025-10-12", false, false},
                    DayCase{"NationalDayWednesday", "2025-10-01", false, true},
                    DayCase{"NationalDaySaturday", "2025-10-04", false, true},
                    DayCase{"MidAutumnWednesday", "2025-10-08", false, true},
                    DayCase{"MakeUpSunday", "2025-09-28", true, false},
                    DayCase{"MakeUpSaturday", "2025-10-11", true, false},
                    DayCase{"SpringFestivalMakeUpBefore", "2026-02-14", true, false},
                    DayCase{"SpringFestivalEve", "2026-02-16", false, true},
                    DayCase{"SpringFestivalMakeUpAfter", "2026-02-28", true, false},
                    DayCase{"NewYear2026MakeUpSunday", "2026-01-04", true, false},
                    DayCase{"FirstCoveredDay", "2024-01-01", false, true},
                    DayCase{"LastCoveredDay", "2026-12-31", true, false}),
    [](const testing::TestParamInfo<DayCase>& info) { return info.param.name; });

struct WorkdaysCase {
  std::string name;
  const char* start;
  std::int64_t n;
  const char* end;
};

class WorkdaysEndTest : public testing::TestWithParam<WorkdaysCase> {};

TEST_P(WorkdaysEndTest, Ends) {
  const WorkdaysCase& c = GetParam();
  EXPECT_EQ(bundled().workdays_end(day(c.start), c.n), day(c.end));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, WorkdaysEndTest,
    testing::Values(
        WorkdaysCase{"OneDayOnAWorkingDay", "2025-09-22", 1, "2025-09-22"},
        WorkdaysCase{"OrdinaryWeek", "2025-09-15", 5, "2025-09-19"},
        WorkdaysCase{"AcrossAWeekend", "2025-11-06", 5, "2025-11-12"},
        // 09-26, 09-28 (make-up Sunday), 09-29, 09-30, 10-09.
        WorkdaysCase{"NationalDay2025", "2025-09-26", 5, "2025-10-09"},
        WorkdaysCase{"StartOnMakeUpSunday", "2025-09-28", 1, "2025-09-28"},
        // 10-09, 10-10, 10-11 (make-up Saturday), 10-13, 10-14.
        WorkdaysCase{"StartOnHoliday", "2025-10-03", 5, "2025-10-14"},
        WorkdaysCase{"StartOnHolidayOneDay", "2025-10-03", 1, "2025-10-09"},
        WorkdaysCase{"ThroughMakeUpSaturday", "2025-10-10", 2, "2025-10-11"},
        WorkdaysCase{"StartOnSaturday", "2025-11-01", 5, "2025-11-07"},
        WorkdaysCase{"StartOnSunday", "2025-11-02", 1, "2025-11-03"},
        // 02-11, 02-12, 02-13, 02-14 (make-up Saturday), then 02-15..02-23 off, 02-24.
        WorkdaysCase{"SpringFestival2026", "2026-02-11", 5, "2026-02-24"},
        // 02-24, 02-25, 02-26, 02-27, 02-28 (make-up Saturday).
        WorkdaysCase{"AfterSpringFestival2026", "2026-02-24", 5, "2026-02-28"},
        WorkdaysCase{"StartInSpringFestival", "2026-02-15", 1, "2026-02-24"},
        // 12-29, 12-30, 12-31, then 01-01..01-03 off, 01-04 (make-up Sunday), 01-05.
        WorkdaysCase{"AcrossYearEnd", "2025-12-29", 5, "2026-01-05"},
        WorkdaysCase{"TwentyWorkingDays", "2025-09-26", 20, "2025-10-29"}),
    [](const testing::TestParamInfo<WorkdaysCase>& info) { return info.param.name; });

struct NextWorkingCase {
  std::string name;
  const char* date;
  const char* next;
};

class NextWorkingDayTest : public testing::TestWithParam<NextWorkingCase> {};

TEST_P(NextWorkingDayTest, Moves) {
  const NextWorkingCase& c = GetParam();
  EXPECT_EQ(bundled().next_working_day_on_or_after(day(c.date)), day(c.next));
}

INSTANTIATE_TEST_SUITE_P(Cases, NextWorkingDayTest,
                         testing::Values(NextWorkingCase{"WorkingDayStays", "2025-10-09", "2025-10-09"},
                                         NextWorkingCase{"MakeUpSundayStays", "2025-09-28", "2025-09-28"},
                                         NextWorkingCase{"SaturdayToMakeUpSunday", "2025-09-27", "2025-09-28"},
                                         NextWorkingCase{"HolidayToAfterBreak", "2025-10-01", "2025-10-09"},
                                         NextWorkingCase{"DragonBoatSaturday", "2025-05-31", "2025-06-03"},
                                         NextWorkingCase{"OrdinarySunday", "2025-11-02", "2025-11-03"},
                                         NextWorkingCase{"SpringFestival2026", "2026-02-15", "2026-02-24"},
                                         NextWorkingCase{"NewYearToMakeUpSunday", "2026-01-01", "2026-01-04"}),
                         [](const testing::TestParamInfo<NextWorkingCase>& info) { return info.param.name; });

TEST(CalendarTest, WorkdaysEndNeedsAPositiveCount) {
  EXPECT_EQ(thrown_by([] { bundled().workdays_end(day("2025-09-26"), 0); }).code(), "invalid_argument");
  EXPECT_EQ(thrown_by([] { bundled().workdays_end(day("2025-09-26"), -5); }).code(), "invalid_argument");
}

TEST(CalendarTest, DateOutsideCalendarNamesTheYear) {
  CalendarError e = thrown_by([] { bundled().is_working_day(day("2027-01-04")); });
  EXPECT_EQ(e.code(), "date_outside_calendar");
  EXPECT_NE(e.reason().find("2027"), std::string::npos) << e.what();
  EXPECT_NE(e.reason().find("2024 to 2026"), std::string::npos) << e.what();
  EXPECT_EQ(std::filesystem::path(e.file()), kCalendarFile);

  EXPECT_NE(thrown_by([] { bundled().is_statutory_holiday(day("2023-12-31")); }).reason().find("2023"),
            std::string::npos);
  EXPECT_NE(thrown_by([] { bundled().next_working_day_on_or_after(day("2027-06-01")); }).reason().find("2027"),
            std::string::npos);
}

TEST(CalendarTest, CountingIntoAnUncoveredYearThrows) {
  // 2026-12-28 is covered, but its 10th working day is in January 2027.
  CalendarError e = thrown_by([] { bundled().workdays_end(day("2026-12-28"), 10); });
  EXPECT_EQ(e.code(), "date_outside_calendar");
  EXPECT_NE(e.reason().find("2027"), std::string::npos) << e.what();
  EXPECT_EQ(bundled().workdays_end(day("2026-12-28"), 4), day("2026-12-31"));
}

TEST(CalendarTest, EmptyCalendarCoversNothing) {
  Calendar empty;
  EXPECT_FALSE(empty.covers(2025));
  EXPECT_EQ(thrown_by([&] { (void)empty.first_year(); }).code(), "empty_calendar");
  EXPECT_EQ(thrown_by([&] { (void)empty.last_year(); }).code(), "empty_calendar");
  CalendarError e = thrown_by([&] { empty.is_working_day(day("2025-10-09")); });
  EXPECT_EQ(e.code(), "date_outside_calendar");
  EXPECT_NE(e.reason().find("2025"), std::string::npos);
}

TEST(CalendarTest, YearsMayHaveGaps) {
  json j = {{"2024", {{"holidays", {"2024-10-01"}}, {"workdays", json::array()}}},
            {"2026", {{"holidays", json::array()}, {"workdays", {"2026-02-28"}}}}};
  Calendar c = Calendar::from_json(j, "gaps.json");
  EXPECT_EQ(c.first_year(), 2024);
  EXPECT_EQ(c.last_year(), 2026);
  EXPECT_FALSE(c.covers(2025));
  EXPECT_FALSE(c.is_working_day(day("2024-10-01")));
  EXPECT_TRUE(c.is_working_day(day("2026-02-28")));
  CalendarError e = thrown_by([&] { c.is_working_day(day("2025-06-02")); });
  EXPECT_EQ(e.code(), "date_outside_calendar");
  EXPECT_EQ(e.file(), "gaps.json");
  EXPECT_NE(e.reason().find("2024, 2026"), std::string::npos) << e.what();
}

TEST(CalendarTest, CopiesShareTheData) {
  Calendar copy = bundled();
  EXPECT_EQ(copy.first_year(), 2024);
  EXPECT_TRUE(copy.is_working_day(day("2025-09-28")));
}

TEST(CalendarTest, SourceKeyIsIgnored) {
  json j = {{"source", "State Council notice"}, {"2025", {{"holidays", {"2025-10-01"}}, {"workdays", {"2025-09-28"}}}}};
  Calendar c = Calendar::from_json(j);
  EXPECT_EQ(c.first_year(), 2025);
  EXPECT_EQ(c.last_year(), 2025);
}

struct BadCalendarCase {
  std::string name;
  std::string text;
  std::string pointer;
  std::string reason;  // a part of the reason
};

class BadCalendarTest : public testing::TestWithParam<BadCalendarCase> {};

TEST_P(BadCalendarTest, NamesThePointer) {
  const BadCalendarCase& c = GetParam();
  CalendarError e = thrown_by([&] { Calendar::from_json(json::parse(c.text), "cal.json"); });
  EXPECT_EQ(e.code(), "bad_calendar");
  EXPECT_EQ(e.file(), "cal.json");
  EXPECT_EQ(e.pointer(), c.pointer) << e.what();
  EXPECT_NE(e.reason().find(c.reason), std::string::npos) << e.what();
  std::string prefix = c.pointer.empty() ? "cal.json: " : "cal.json: " + c.pointer + ": ";
  EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0u) << e.what();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadCalendarTest,
    testing::Values(
        BadCalendarCase{"NotAnObject", R"(["2025-10-01"])", "", "object keyed by year"},
        BadCalendarCase{"NoYear", R"({})", "", "no year"},
        BadCalendarCase{"OnlySource", R"({"source": "notice"})", "", "no year"},
        BadCalendarCase{"SourceNotString", R"({"source": 1, "2025": {"holidays": [], "workdays": []}})", "/source",
                        "string"},
        BadCalendarCase{"TwoDigitYear", R"({"25": {"holidays": [], "workdays": []}})", "/25", "not a year"},
        BadCalendarCase{"YearWithSlash", R"({"20/5": {}})", "/20~15", "not a year"},
        BadCalendarCase{"YearBeforeRange", R"({"1899": {"holidays": [], "workdays": []}})", "/1899", "1900"},
        BadCalendarCase{"YearNotAnObject", R"({"2025": ["2025-10-01"]})", "/2025", "must be an object"},
        BadCalendarCase{"MissingWorkdays", R"({"2025": {"holidays": []}})", "/2025", "\"workdays\""},
        BadCalendarCase{"MissingHolidays", R"({"2025": {"workdays": []}})", "/2025", "\"holidays\""},
        BadCalendarCase{"UnknownKey", R"({"2025": {"holidays": [], "workdays": [], "workday": []}})",
                        "/2025/workday", "unknown key"},
        BadCalendarCase{"ListNotAnArray", R"({"2025": {"holidays": "2025-10-01", "workdays": []}})",
                        "/2025/holidays", "array"},
        BadCalendarCase{"EntryNotAString", R"({"2025": {"holidays": ["2025-10-01", 20251002], "workdays": []}})",
                        "/2025/holidays/1", "date string"},
        BadCalendarCase{"ImpossibleDate", R"({"2025": {"holidays": ["2025-02-30"], "workdays": []}})",
                        "/2025/holidays/0", "\"2025-02-30\" is not a date"},
        BadCalendarCase{"UnpaddedDate", R"({"2025": {"holidays": [], "workdays": ["2025-9-28"]}})",
                        "/2025/workdays/0", "not a date"},
        BadCalendarCase{"DateInAnotherYear", R"({"2025": {"holidays": ["2025-10-01", "2026-10-01"], "workdays": []}})",
                        "/2025/holidays/1", "2026-10-01 is not in 2025"},
        BadCalendarCase{"ListedTwice", R"({"2025": {"holidays": ["2025-10-01", "2025-10-01"], "workdays": []}})",
                        "/2025/holidays/1", "already listed at /2025/holidays/0"},
        BadCalendarCase{"InBothLists", R"({"2025": {"holidays": ["2025-09-28"], "workdays": ["2025-09-28"]}})",
                        "/2025/workdays/0", "already listed at /2025/holidays/0"},
        BadCalendarCase{"MakeUpOnAWeekday", R"({"2025": {"holidays": [], "workdays": ["2025-09-28", "2025-10-10"]}})",
                        "/2025/workdays/1", "Friday"}),
    [](const testing::TestParamInfo<BadCalendarCase>& info) { return info.param.name; });

// A file in the temporary directory that the test writes and removes.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& text)
      : path_(std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-" + name)) {
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(CalendarLoadTest, MissingFileNamesTheFile) {
  std::filesystem::path missing = kCalendarFile.parent_path() / "no-such-calendar.json";
  CalendarError e = thrown_by([&] { Calendar::load(missing); });
  EXPECT_EQ(e.code(), "bad_calendar");
  EXPECT_EQ(e.file(), missing.string());
}

TEST(CalendarLoadTest, InvalidJsonNamesTheFile) {
  TempFile file("qualify-calendar-test-invalid.json", R"({"2025": {"holidays": [}})");
  CalendarError e = thrown_by([&] { Calendar::load(file.path()); });
  EXPECT_EQ(e.code(), "bad_calendar");
  EXPECT_EQ(e.file(), file.path().string());
  EXPECT_NE(e.reason().find("not valid JSON"), std::string::npos) << e.what();
}

TEST(CalendarLoadTest, CheckErrorsNameTheFile) {
  TempFile file("qualify-calendar-test-friday.json", R"({"2025": {"holidays": [], "workdays": ["2025-10-10"]}})");
  CalendarError e = thrown_by([&] { Calendar::load(file.path()); });
  EXPECT_EQ(e.code(), "bad_calendar");
  EXPECT_EQ(e.file(), file.path().string());
  EXPECT_EQ(e.pointer(), "/2025/workdays/0");
}

TEST(CalendarLoadTest, BundledFileMatchesEveryListedDay) {
  // Every listed date is classified as listed: days off are off, make-up days are on.
  std::ifstream in(kCalendarFile);
  json j = json::parse(in);
  int checked = 0;
  for (auto& [year, lists] : j.items()) {
    if (year == "source") continue;
    for (const auto& d : lists["holidays"]) {
      EXPECT_FALSE(bundled().is_working_day(day(d.get<std::string>().c_str()))) << d;
      EXPECT_TRUE(bundled().is_statutory_holiday(day(d.get<std::string>().c_str()))) << d;
      ++checked;
    }
    for (const auto& d : lists["workdays"]) {
      EXPECT_TRUE(bundled().is_working_day(day(d.get<std::string>().c_str()))) << d;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 28 + 8 + 28 + 5 + 33 + 6);
}

}  // namespace
