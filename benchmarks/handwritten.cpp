// The 27 rules by hand: each field looked up once, no interpretation, no allocation.
#include "handwritten.hpp"

#include <algorithm>  // any_of
#include <span>

namespace qualify::bench {

namespace {

using detail::Value;

constexpr std::string_view kOccupations[] = {
    "人工智能工程技术人员", "物联网工程技术人员",     "大数据工程技术人员",
    "云计算工程技术人员",   "智能制造工程技术人员",   "工业互联网工程技术人员",
    "虚拟现实工程技术人员", "区块链工程技术人员",     "集成电路工程技术人员",
    "数字化管理师"};
constexpr std::string_view kLevels[] = {"初级", "中级"};
constexpr std::string_view kTeacherKinds[] = {"专职师资", "兼职师资"};
constexpr std::string_view kOrgTypes[] = {"行业协会等社团组织", "事业单位", "企业",
                                          "集体企业",           "民营企业", "民办非企业单位"};

const Value kNull;

// A member, or null when absent (or `v` is not an object): reads as JavaScript's `?.`.
const Value& at(const Value& v, std::string_view key) noexcept {
  const Value* m = v.find(key);
  return m ? *m : kNull;
}

bool is_true(const Value& v) noexcept { return v.is_bool() && v.as_bool(); }
bool is_false(const Value& v) noexcept { return v.is_bool() && !v.as_bool(); }

template <std::size_t N>
bool one_of(const Value& v, const std::string_view (&names)[N]) noexcept {
  if (!v.is_string()) return false;
  std::string_view s = v.as_string();
  return std::any_of(std::begin(names), std::end(names), [&](std::string_view n) { return n == s; });
}

// A non-empty list whose every element passes `ok` (JsonLogic's `all`).
template <class Ok>
bool every(const Value& list, Ok ok) noexcept {
  if (!list.is_array() || list.size() == 0) return false;
  for (const Value& item : list)
    if (!ok(item)) return false;
  return true;
}

std::span<const Value> items(const Value& list) noexcept {
  return list.is_array() ? std::span<const Value>(list.begin(), list.size()) : std::span<const Value>();
}

std::size_t rows(const Value& list) noexcept { return items(list).size(); }

bool number_equals(const Value& v, double x) noexcept { return v.is_number() && v.as_number() == x; }

bool on_or_before(const Value& v, std::string_view iso) noexcept { return v.is_string() && v.as_string() <= iso; }

}  // namespace

std::uint32_t handwritten_check(const Value& a) noexcept {
  const Value& org = at(a, "organization");
  const Value& tax = at(a, "tax_records");
  const Value& history = at(a, "training_history");
  const Value& faculty = at(a, "faculty");
  const Value& full_time = at(faculty, "full_time");
  const Value& total = at(faculty, "total");
  const Value& teachers = at(faculty, "teachers");
  const Value& facilities = at(a, "facilities");
  const Value& platform = at(a, "platform");
  const Value& materials = at(a, "materials");
  const Value& commitment = at(a, "commitment");
  const Value& recommendation = at(a, "recommendation");
  const Value& submitted = at(a, "submitted_on");

  double best = 0;
  bool scale_ok = history.is_array();
  for (const Value& row : items(history)) {
    const Value& t = at(row, "total");
    if (!t.is_number()) scale_ok = false;
    else best = std::max(best, t.as_number());
  }
  std::size_t full_time_listed = 0;
  for (const Value& t : items(teachers))
    if (const Value& kind = at(t, "kind"); kind.is_string() && kind.as_string() == kTeacherKinds[0]) ++full_time_listed;
  const Value& url = at(platform, "url");
  const Value& part_time = at(faculty, "part_time");

  const bool verdicts[27] = {
      one_of(at(a, "occupation"), kOccupations),
      every(at(a, "levels"), [](const Value& l) { return one_of(l, kLevels); }),
      is_true(at(org, "has_training_qualification")),
      is_true(at(org, "has_financial_system")) && is_true(at(org, "has_management_system")),
      every(tax, [](const Value& t) { return is_false(at(t, "dishonest")); }),
      rows(tax) == 3,
      on_or_before(at(org, "established_on"), "2020-12-31"),
      scale_ok && best >= 2000,
      rows(history) == 5,
      every(history,
            [](const Value& r) {
              const Value &i = at(r, "independent"), &c = at(r, "cooperative");
              return i.is_number() && c.is_number() && number_equals(at(r, "total"), i.as_number() + c.as_number());
            }),
      full_time.is_number() && part_time.is_number() && number_equals(total, full_time.as_number() + part_time.as_number()),
      full_time.is_number() && full_time.as_number() >= 1,
      number_equals(total, static_cast<double>(rows(teachers))),
      number_equals(full_time, static_cast<double>(full_time_listed)),
      every(teachers, [](const Value& t) { return one_of(at(t, "kind"), kTeacherKinds); }),
      rows(facilities) > 0,
      every(facilities,
            [](const Value& f) {
              const Value &area = at(f, "area_m2"), &capacity = at(f, "capacity");
              return area.is_number() && area.as_number() > 0 && capacity.is_number() && capacity.as_number() > 0;
            }),
      url.is_string() && url.as_string().starts_with("http"),
      is_true(at(platform, "online_capable")),
      is_true(at(materials, "form")),
      is_true(at(materials, "license_copy_stamped")),
      is_true(at(materials, "credit_report")) || is_true(at(materials, "integrity_commitment")),
      on_or_before(submitted, "2025-10-31"),
      is_true(at(org, "stamped")),
      one_of(at(org, "type"), kOrgTypes),
      is_true(at(commitment, "signed")) && is_true(at(commitment, "stamped")),
      is_true(at(recommendation, "stamped")) && is_true(at(recommendation, "signed")) && submitted.is_string() &&
          on_or_before(at(recommendation, "date"), submitted.as_string()),
  };
  std::uint32_t bits = 0;
  for (std::size_t i = 0; i < 27; ++i) bits |= static_cast<std::uint32_t>(verdicts[i]) << i;
  return bits;
}

}  // namespace qualify::bench
