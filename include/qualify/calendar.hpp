// qualify: civil dates, periods in months and years (Civil Code arts. 201-203), and the
// working-day calendar of statutory holidays and make-up working days (调休).
#pragma once

#include <compare>
#include <cstdint>
#include <filesystem>
#include <iosfwd>  // ostream
#include <memory>  // shared_ptr
#include <optional>
#include <string>
#include <string_view>
#include <utility>  // move

#include <nlohmann/json_fwd.hpp>

namespace qualify {

/// A civil (proleptic Gregorian) date, stored as days since 1970-01-01; trivially copyable,
/// ordered, and cheap to pass by value. Dates from `parse`, `from_ymd` and the arithmetic
/// below lie in 1900-01-01..9999-12-31; year(), month(), day() and iso() throw
/// CalendarError("date_out_of_range") for a `from_days` value outside that range.
class Date {
 public:
  /// 1970-01-01.
  constexpr Date() = default;

  /// The date `days` days after 1970-01-01 (negative: before). Does not check the range.
  static constexpr Date from_days(std::int32_t days) {
    Date d;
    d.days_ = days;
    return d;
  }

  /// Parses exactly "YYYY-MM-DD" (zero-padded, nothing before or after) naming a real date
  /// in the years 1900..9999; anything else, such as "2025-02-30", "2025-13-01" or
  /// "2025-1-01", gives nullopt.
  static std::optional<Date> parse(std::string_view iso);

  /// The date y-m-d. Throws CalendarError("invalid_date") when it does not exist or its
  /// year is outside 1900..9999.
  static Date from_ymd(int y, unsigned m, unsigned d);

  /// Days since 1970-01-01.
  constexpr std::int32_t days() const { return days_; }
  /// The year, 1900..9999.
  int year() const;
  /// The month, 1..12.
  unsigned month() const;
  /// The day of the month, 1..31.
  unsigned day() const;
  /// The day of the week: 0 = Sunday, 1 = Monday ... 6 = Saturday.
  unsigned weekday() const;
  /// The date as "YYYY-MM-DD".
  std::string iso() const;

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  std::int32_t days_ = 0;
};

/// Writes the date as "YYYY-MM-DD".
std::ostream& operator<<(std::ostream& out, Date d);

/// The date `n` days after `d` (before, when n < 0). Throws CalendarError("date_out_of_range")
/// when the result is outside 1900-01-01..9999-12-31.
Date add_days(Date d, std::int64_t n);

/// `to` minus `from`, in days: days_between(2025-09-26, 2025-10-09) is 13.
std::int64_t days_between(Date from, Date to);

/// How the last day of a period of months or years is found from its start day.
/// `civil_code` (the default, 《民法典》第201–203条): the start day is not counted, and the
/// period ends on the corresponding day of the final month, or on that month's last day
/// when it has none (2028-02-29 + 3 years = 2031-02-28). `day_before`: the start day counts
/// as day one, so the period ends the day before the civil_code end (2025-12-15 + 3 years =
/// 2028-12-14). `next_day_if_missing`: the corresponding day, or the first day of the
/// following month when there is none (2028-02-29 + 3 years = 2031-03-01).
enum class PeriodEnd { civil_code, day_before, next_day_if_missing };

/// The end of a period of `months` months from `d` by `rule`: add_months(2025-01-31, 1) is
/// 2025-02-28. A negative count goes back and the rule is applied to the day it lands on.
/// Throws CalendarError("date_out_of_range") when the result is outside 1900..9999.
Date add_months(Date d, std::int64_t months, PeriodEnd rule = PeriodEnd::civil_code);

/// The end of a period of `years` years from `d` by `rule`; the same as
/// add_months(d, 12 * years, rule): add_years(2025-12-15, 3) is 2028-12-15.
/// Throws CalendarError("date_out_of_range") when the result is outside 1900..9999.
Date add_years(Date d, std::int64_t years, PeriodEnd rule = PeriodEnd::civil_code);

/// The rule named "civil_code", "day_before" or "next_day_if_missing"; nullopt otherwise.
std::optional<PeriodEnd> period_end_from_name(std::string_view name);

/// The name of the rule, as `period_end_from_name` reads it.
std::string_view to_string(PeriodEnd rule);

/// Statutory days off and make-up working days (调休), by year, as a rule pack's calendar
/// file lists them. Immutable, so safe to share between threads; copies share the data.
/// Every question about a date in a year the calendar does not list throws
/// CalendarError("date_outside_calendar"): the calendar never guesses.
class Calendar {
 public:
  /// A calendar that covers no year.
  Calendar() = default;

  /// Reads the calendar format: an object keyed by four-digit year, each holding
  /// "holidays" and "workdays" arrays of "YYYY-MM-DD" dates in that year, plus an optional
  /// top-level "source" string, which is ignored. Throws CalendarError("bad_calendar")
  /// naming `file`, the JSON Pointer of the bad entry and what is wrong.
  static Calendar from_json(const nlohmann::json& j, const std::string& file = "");

  /// Reads and checks a calendar file. Throws CalendarError("bad_calendar") naming the file
  /// when it cannot be read, is not JSON, or fails the checks of `from_json`.
  static Calendar load(const std::filesystem::path& file);

  /// Whether the calendar lists the year.
  bool covers(int year) const;
  /// The first year listed. Throws CalendarError("empty_calendar") when there is none.
  int first_year() const;
  /// The last year listed (years in between may be missing). Throws
  /// CalendarError("empty_calendar") when there is none.
  int last_year() const;

  /// Monday to Friday unless a statutory holiday; Saturday or Sunday only when listed as a
  /// make-up working day. Throws CalendarError("date_outside_calendar") for an unlisted year.
  bool is_working_day(Date d) const;

  /// Whether `d` is listed as a statutory day off. Throws
  /// CalendarError("date_outside_calendar") for an unlisted year.
  bool is_statutory_holiday(Date d) const;

  /// The n-th working day from `start`, counting `start` as day 1 when it is a working day
  /// (from a day off, counting starts at the next working day): workdays_end(2025-09-26, 5)
  /// is 2025-10-09. Throws CalendarError("invalid_argument") when n < 1 and
  /// CalendarError("date_outside_calendar") when the count reaches an unlisted year.
  Date workdays_end(Date start, std::int64_t n) const;

  /// The first working day on or after `d`: a deadline falling on a rest day moves to the
  /// next working day (Civil Code art. 203). Throws CalendarError("date_outside_calendar")
  /// when the search reaches an unlisted year.
  Date next_working_day_on_or_after(Date d) const;

 private:
  struct Data;
  explicit Calendar(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

  std::shared_ptr<const Data> data_;  // null: no year
};

}  // namespace qualify
