// qualify: civil dates, Civil Code periods and the working-day calendar. Boost.Date_Time
// does the Gregorian arithmetic; it stays in this file so the public headers do not need it.
#include "qualify/calendar.hpp"

#include <algorithm>
#include <bitset>
#include <fstream>
#include <iterator>  // prev
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <nlohmann/json.hpp>

#include "qualify/error.hpp"

namespace qualify {

namespace {

namespace bg = boost::gregorian;

constexpr int kFirstYear = 1900;
constexpr int kLastYear = 9999;
// Days since 1970-01-01 of 1900-01-01 and 9999-12-31 (checked by calendar_test).
constexpr std::int32_t kFirstDay = -25567;
constexpr std::int32_t kLastDay = 2932896;

struct Ymd {
  int year;
  unsigned month;
  unsigned day;
};

bg::date epoch() { return bg::date(1970, bg::Jan, 1); }

unsigned days_in_month(int year, unsigned month) {
  return bg::gregorian_calendar::end_of_month_day(static_cast<unsigned short>(year),
                                                  static_cast<unsigned short>(month));
}

bool is_real_date(int y, unsigned m, unsigned d) {
  return y >= kFirstYear && y <= kLastYear && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

// Only for dates is_real_date accepts: Boost would throw its own exceptions otherwise.
Date make_date(int y, unsigned m, unsigned d) {
  bg::date b(static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d));
  return Date::from_days(static_cast<std::int32_t>((b - epoch()).days()));
}

// Zero-padded decimal, because the ISO form and the messages need fixed widths.
std::string padded(long long value, int width) {
  std::string s = std::to_string(value < 0 ? -value : value);
  if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
  return value < 0 ? "-" + s : s;
}

std::string ymd_text(long long y, long long m, long long d) {
  return padded(y, 4) + "-" + padded(m, 2) + "-" + padded(d, 2);
}

bool in_range(std::int64_t days) { return days >= kFirstDay && days <= kLastDay; }

// A description that never throws, for messages about dates that may be out of range.
std::string describe(Date d) {
  return in_range(d.days()) ? d.iso() : "day " + std::to_string(d.days()) + " after 1970-01-01";
}

[[noreturn]] void throw_out_of_range(const std::string& what) {
  throw CalendarError("date_out_of_range", "", "",
                      what + ": the result is outside the supported dates 1900-01-01..9999-12-31");
}

Ymd civil(Date d) {
  if (!in_range(d.days()))
    throw CalendarError("date_out_of_range", "", "",
                        describe(d) + " is outside the supported dates 1900-01-01..9999-12-31");
  bg::date::ymd_type ymd = (epoch() + bg::date_duration(d.days())).year_month_day();
  return {static_cast<int>(ymd.year), static_cast<unsigned>(ymd.month), static_cast<unsigned>(ymd.day)};
}

}  // namespace

// ---- Date --------------------------------------------------------------------------------

std::optional<Date> Date::parse(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t count) -> int {
    int n = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return -1;
      n = n * 10 + (iso[i] - '0');
    }
    return n;
  };
  int y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  if (!is_real_date(y, static_cast<unsigned>(m), static_cast<unsigned>(d))) return std::nullopt;
  return make_date(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

Date Date::from_ymd(int y, unsigned m, unsigned d) {
  if (!is_real_date(y, m, d)) {
    std::string why = (y < kFirstYear || y > kLastYear) ? "the year is outside 1900..9999" : "there is no such day";
    throw CalendarError("invalid_date", "", "", ymd_text(y, m, d) + " is not a date: " + why);
  }
  return make_date(y, m, d);
}

int Date::year() const { return civil(*this).year; }
unsigned Date::month() const { return civil(*this).month; }
unsigned Date::day() const { return civil(*this).day; }

unsigned Date::weekday() const {
  // 1970-01-01 was a Thursday (4); the double modulo keeps earlier dates non-negative.
  return static_cast<unsigned>(((days_ % 7) + 7 + 4) % 7);
}

std::string Date::iso() const {
  Ymd ymd = civil(*this);
  return ymd_text(ymd.year, ymd.month, ymd.day);
}

std::ostream& operator<<(std::ostream& out, Date d) { return out << describe(d); }

// ---- Arithmetic --------------------------------------------------------------------------

Date add_days(Date d, std::int64_t n) {
  // Compared before adding, so that a huge n cannot overflow.
  if (n > std::int64_t{kLastDay} - d.days() || n < std::int64_t{kFirstDay} - d.days())
    throw_out_of_range(describe(d) + " + " + std::to_string(n) + " days");
  return Date::from_days(static_cast<std::int32_t>(d.days() + n));
}

std::int64_t days_between(Date from, Date to) { return std::int64_t{to.days()} - from.days(); }

Date add_months(Date d, std::int64_t months, PeriodEnd rule) {
  // Spelled out only for the error: building it each time cost more than the arithmetic.
  auto what = [&] { return describe(d) + " + " + std::to_string(months) + " months"; };
  // Bounded first, so that the month arithmetic below cannot overflow.
  constexpr std::int64_t kSpan = std::int64_t{kLastYear - kFirstYear + 1} * 12;
  if (months > kSpan || months < -kSpan) throw_out_of_range(what());
  Ymd start = civil(d);
  std::int64_t total = std::int64_t{start.year} * 12 + (start.month - 1) + months;
  if (total < std::int64_t{kFirstYear} * 12 || total > std::int64_t{kLastYear} * 12 + 11) throw_out_of_range(what());
  int year = static_cast<int>(total / 12);
  unsigned month = static_cast<unsigned>(total % 12) + 1;
  unsigned last = days_in_month(year, month);
  switch (rule) {
    case PeriodEnd::civil_code:
      break;
    case PeriodEnd::day_before:
      return add_days(make_date(year, month, std::min(start.day, last)), -1);
    case PeriodEnd::next_day_if_missing:
      if (start.day > last) return add_days(make_date(year, month, last), 1);
      break;
  }
  return make_date(year, month, std::min(start.day, last));
}

Date add_years(Date d, std::int64_t years, PeriodEnd rule) {
  constexpr std::int64_t kSpan = kLastYear - kFirstYear + 1;
  if (years > kSpan || years < -kSpan) throw_out_of_range(describe(d) + " + " + std::to_string(years) + " years");
  return add_months(d, years * 12, rule);
}

std::optional<PeriodEnd> period_end_from_name(std::string_view name) {
  for (PeriodEnd rule : {PeriodEnd::civil_code, PeriodEnd::day_before, PeriodEnd::next_day_if_missing})
    if (to_string(rule) == name) return rule;
  return std::nullopt;
}

std::string_view to_string(PeriodEnd rule) {
  switch (rule) {
    case PeriodEnd::civil_code:
      return "civil_code";
    case PeriodEnd::day_before:
      return "day_before";
    case PeriodEnd::next_day_if_missing:
      return "next_day_if_missing";
  }
  return "civil_code";  // unreachable for a valid enumerator; keeps -Wreturn-type quiet
}

// ---- Calendar ----------------------------------------------------------------------------

namespace {

// One calendar year as two bit sets indexed by day of the year (0 = January 1).
struct Year {
  int year = 0;
  std::int32_t first_day = 0;  // days since 1970-01-01 of January 1
  std::int32_t length = 0;     // 365 or 366
  std::bitset<366> holiday;    // statutory days off
  std::bitset<366> workday;    // make-up working days
};

const char* const kWeekdays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

[[noreturn]] void bad_calendar(const std::string& file, const std::string& pointer, const std::string& reason) {
  throw CalendarError("bad_calendar", file, pointer, reason);
}

}  // namespace

struct Calendar::Data {
  std::string file;
  std::vector<Year> years;  // sorted by year; gaps allowed

  // The year holding `d`; throws CalendarError("date_outside_calendar") when none does.
  const Year& year_of(Date d) const;
};

namespace {

std::string covered_years(const std::vector<Year>& years) {
  if (years.empty()) return "no year";
  std::string out;
  for (std::size_t i = 0; i < years.size();) {
    std::size_t j = i;
    while (j + 1 < years.size() && years[j + 1].year == years[j].year + 1) ++j;
    if (!out.empty()) out += ", ";
    out += std::to_string(years[i].year);
    if (j > i) out += " to " + std::to_string(years[j].year);
    i = j + 1;
  }
  return out;
}

// Reads one of a year's two lists into `bits`, remembering where each day was listed so a
// second listing can name the first.
void read_list(const nlohmann::json& list, const std::string& file, const std::string& pointer, int year,
               std::int32_t first_day, bool makeup, std::bitset<366>& bits, std::vector<std::string>& listed_at) {
  if (!list.is_array()) bad_calendar(file, pointer, "must be an array of \"YYYY-MM-DD\" dates");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = pointer + "/" + std::to_string(i);
    const nlohmann::json& entry = list[i];
    if (!entry.is_string()) bad_calendar(file, at, "must be a date string \"YYYY-MM-DD\", not " + entry.dump());
    const std::string& text = entry.get_ref<const std::string&>();
    std::optional<Date> d = Date::parse(text);
    if (!d) bad_calendar(file, at, "\"" + text + "\" is not a date (YYYY-MM-DD)");
    if (d->year() != year) bad_calendar(file, at, text + " is not in " + std::to_string(year));
    auto index = static_cast<std::size_t>(d->days() - first_day);
    if (!listed_at[index].empty()) bad_calendar(file, at, text + " is already listed at " + listed_at[index]);
    if (makeup && d->weekday() != 0 && d->weekday() != 6)
      bad_calendar(file, at,
                   text + " is a " + kWeekdays[d->weekday()] +
                       ": a make-up working day must be a Saturday or Sunday (weekdays are working days already)");
    listed_at[index] = at;
    bits.set(index);
  }
}

}  // namespace

Calendar Calendar::from_json(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object())
    bad_calendar(file, "", std::string("a holiday calendar is a JSON object keyed by year, not ") + j.type_name());
  auto data = std::make_shared<Data>();
  data->file = file;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const std::string pointer = "/" + pointer_token(key);
    if (key == "source") {
      if (!it->is_string()) bad_calendar(file, pointer, "\"source\" must be a string naming where the dates come from");
      continue;
    }
    bool four_digits = key.size() == 4 && std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!four_digits)
      bad_calendar(file, pointer, "\"" + key + "\" is not a year: the calendar is keyed by four-digit years such as \"2026\"");
    int y = std::stoi(key);
    if (y < kFirstYear) bad_calendar(file, pointer, "the year " + key + " is outside 1900..9999");
    const nlohmann::json& body = *it;
    if (!body.is_object())
      bad_calendar(file, pointer, "the year " + key + " must be an object with \"holidays\" and \"workdays\" arrays");
    for (auto member = body.begin(); member != body.end(); ++member)
      if (member.key() != "holidays" && member.key() != "workdays")
        bad_calendar(file, pointer + "/" + pointer_token(member.key()),
                     "unknown key \"" + member.key() + "\": a year holds \"holidays\" and \"workdays\"");
    for (const char* list : {"holidays", "workdays"})
      if (!body.contains(list))
        bad_calendar(file, pointer,
                     "the year " + key + " has no \"" + list + "\" array (write [] when it has no such days)");

    Year year;
    year.year = y;
    year.first_day = Date::from_ymd(y, 1, 1).days();
    year.length = Date::from_ymd(y, 12, 31).days() - year.first_day + 1;
    std::vector<std::string> listed_at(366);
    read_list(body["holidays"], file, pointer + "/holidays", y, year.first_day, false, year.holiday, listed_at);
    read_list(body["workdays"], file, pointer + "/workdays", y, year.first_day, true, year.workday, listed_at);
    data->years.push_back(year);
  }
  if (data->years.empty()) bad_calendar(file, "", "the calendar lists no year");
  // nlohmann::json keeps object keys sorted, but sorting here does not rely on that.
  std::sort(data->years.begin(), data->years.end(), [](const Year& a, const Year& b) { return a.year < b.year; });
  return Calendar(std::move(data));
}

Calendar Calendar::load(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) bad_calendar(name, "", "cannot read the holiday calendar file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) bad_calendar(name, "", "cannot read the holiday calendar file");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix: the code is ours.
    std::string what = e.what();
    if (auto close = what.find("] "); close != std::string::npos) what.erase(0, close + 2);
    bad_calendar(name, "", "not valid JSON: " + what);
  }
  return from_json(j, name);
}

bool Calendar::covers(int year) const {
  if (!data_) return false;
  const auto& years = data_->years;
  auto it = std::lower_bound(years.begin(), years.end(), year, [](const Year& y, int value) { return y.year < value; });
  return it != years.end() && it->year == year;
}

int Calendar::first_year() const {
  if (!data_) throw CalendarError("empty_calendar", "", "", "the holiday calendar covers no year");
  return data_->years.front().year;
}

int Calendar::last_year() const {
  if (!data_) throw CalendarError("empty_calendar", "", "", "the holiday calendar covers no year");
  return data_->years.back().year;
}

namespace {

// Names the missing year and the years the calendar has, so a bureau knows what to add.
[[noreturn]] void outside_calendar(const std::string& file, const std::vector<Year>& years, Date d) {
  const std::string year = std::to_string(d.year());
  throw CalendarError("date_outside_calendar", file, "",
                      d.iso() + " is in " + year + ", which the holiday calendar does not cover (it covers " +
                          covered_years(years) + "); add " + year + " from the State Council's holiday notice");
}

bool working(const Year& y, Date d) {
  auto index = static_cast<std::size_t>(d.days() - y.first_day);
  if (y.holiday.test(index)) return false;
  if (y.workday.test(index)) return true;
  unsigned wd = d.weekday();
  return wd != 0 && wd != 6;
}

}  // namespace

const Year& Calendar::Data::year_of(Date d) const {
  auto it = std::upper_bound(years.begin(), years.end(), d.days(),
                             [](std::int32_t day, const Year& y) { return day < y.first_day; });
  if (it != years.begin()) {
    const Year& y = *std::prev(it);
    if (d.days() - y.first_day < y.length) return y;
  }
  outside_calendar(file, years, d);
}

bool Calendar::is_working_day(Date d) const {
  if (!data_) outside_calendar("", {}, d);
  return working(data_->year_of(d), d);
}

bool Calendar::is_statutory_holiday(Date d) const {
  if (!data_) outside_calendar("", {}, d);
  const Year& y = data_->year_of(d);
  return y.holiday.test(static_cast<std::size_t>(d.days() - y.first_day));
}

Date Calendar::workdays_end(Date start, std::int64_t n) const {
  if (n < 1)
    throw CalendarError("invalid_argument", "", "",
                        "workdays_end needs a count of working days >= 1, not " + std::to_string(n));
  Date d = start;
  std::int64_t counted = 0;
  while (true) {
    if (is_working_day(d) && ++counted == n) return d;
    d = add_days(d, 1);
  }
}

Date Calendar::next_working_day_on_or_after(Date d) const {
  while (!is_working_day(d)) d = add_days(d, 1);
  return d;
}

}  // namespace qualify
