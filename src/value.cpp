// Conversions between the engine's compact values and nlohmann JSON.
#include "qualify/detail/value.hpp"

#include <algorithm>
#include <charconv>  // to_chars
#include <cmath>
#include <cstdlib>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "qualify/calendar.hpp"
#include "qualify/detail/json_text.hpp"
#include "qualify/error.hpp"

namespace qualify::detail {

namespace {

// Whole numbers below 2^53 print as integers, as JavaScript prints them (-0 as 0); the
// others as doubles. One rule for to_json and append_json.
std::optional<std::int64_t> whole_number(double d) noexcept {
  if (d != std::floor(d) || !(std::fabs(d) < 9.007199254740992e15)) return std::nullopt;
  return d == 0 ? 0 : static_cast<std::int64_t>(d);
}

Value copy_json(const nlohmann::json& j, Arena& arena, std::size_t depth, std::size_t max_depth) {
  using T = nlohmann::json::value_t;
  switch (j.type()) {
    case T::null:
    case T::discarded:
      return Value();
    case T::boolean:
      return Value::boolean(j.get<bool>());
    case T::number_integer:
      return Value::number(static_cast<double>(j.get<std::int64_t>()));
    case T::number_unsigned:
      return Value::number(static_cast<double>(j.get<std::uint64_t>()));
    case T::number_float:
      return Value::number(j.get<double>());
    case T::string:
      return Value::string(arena.copy(j.get_ref<const std::string&>()));
    case T::binary:
      return Value();
    case T::array: {
      if (depth >= max_depth)
        throw ExpressionError("too_deep", "", "",
                              "nesting deeper than " + std::to_string(max_depth) + " levels");
      Value* items = arena.make_array<Value>(j.size());
      std::size_t i = 0;
      for (const auto& e : j) new (&items[i++]) Value(copy_json(e, arena, depth + 1, max_depth));
      return Value::array(items, j.size());
    }
    case T::object: {
      if (depth >= max_depth)
        throw ExpressionError("too_deep", "", "",
                              "nesting deeper than " + std::to_string(max_depth) + " levels");
      Member* members = arena.make_array<Member>(j.size());
      std::size_t i = 0;
      for (auto it = j.begin(); it != j.end(); ++it, ++i)
        new (&members[i]) Member{arena.copy(it.key()), copy_json(*it, arena, depth + 1, max_depth)};
      return Value::object(members, j.size());
    }
  }
  return Value();
}

}  // namespace

Value from_json(const nlohmann::json& j, Arena& arena, std::size_t max_depth) {
  return copy_json(j, arena, 0, max_depth);
}

nlohmann::json to_json(const Value& v) {
  switch (v.kind()) {
    case Kind::null:
      return nullptr;
    case Kind::boolean:
      return v.as_bool();
    case Kind::number: {
      double d = v.as_number();
      if (!std::isfinite(d)) return nullptr;
      if (std::optional<std::int64_t> whole = whole_number(d)) return *whole;
      return d;
    }
    case Kind::string:
      return std::string(v.as_string());
    case Kind::date:
      return iso_from_days(v.as_date());
    case Kind::array: {
      nlohmann::json out = nlohmann::json::array();
      out.get_ref<nlohmann::json::array_t&>().reserve(v.size());
      for (const Value& e : v) out.push_back(to_json(e));
      return out;
    }
    case Kind::object: {
      nlohmann::json out = nlohmann::json::object();
      for (const Member* m = v.members(); m != v.members_end(); ++m)
        out[std::string(m->key)] = to_json(m->value);
      return out;
    }
  }
  return nullptr;
}

void append_json(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::null:
      out += "null";
      return;
    case Kind::boolean:
      out += v.as_bool() ? "true" : "false";
      return;
    case Kind::number: {
      // As to_json: whole numbers as integers, the others as nlohmann prints a double.
      double d = v.as_number();
      if (!std::isfinite(d)) out += "null";
      else if (std::optional<std::int64_t> whole = whole_number(d)) out += std::to_string(*whole);
      else out += nlohmann::json(d).dump();
      return;
    }
    case Kind::string:
      append_json_string_checked(out, v.as_string());
      return;
    case Kind::date:
      append_json_string(out, iso_from_days(v.as_date()));
      return;
    case Kind::array:
      out += '[';
      for (const Value& e : v) {
        if (&e != v.begin()) out += ',';
        append_json(out, e);
      }
      out += ']';
      return;
    case Kind::object: {
      // nlohmann keeps an object's keys sorted: so is the text.
      std::vector<const Member*> sorted;
      sorted.reserve(v.size());
      for (const Member* m = v.members(); m != v.members_end(); ++m) sorted.push_back(m);
      std::stable_sort(sorted.begin(), sorted.end(), [](const Member* a, const Member* b) { return a->key < b->key; });
      out += '{';
      bool first = true;
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i + 1 < sorted.size() && sorted[i + 1]->key == sorted[i]->key) continue;  // the last wins, as in to_json
        if (!first) out += ',';
        first = false;
        append_json_string_checked(out, sorted[i]->key);
        out += ':';
        append_json(out, sorted[i]->value);
      }
      out += '}';
      return;
    }
  }
}

bool deep_equal(const Value& a, const Value& b) noexcept {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::null:
      return true;
    case Kind::boolean:
      return a.as_bool() == b.as_bool();
    case Kind::number:
      return a.as_number() == b.as_number() ||
             (std::isnan(a.as_number()) && std::isnan(b.as_number()));
    case Kind::string:
      return a.as_string() == b.as_string();
    case Kind::date:
      return a.as_date() == b.as_date();
    case Kind::array:
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!deep_equal(a[i], b[i])) return false;
      return true;
    case Kind::object:
      if (a.size() != b.size()) return false;
      for (const Member* m = a.members(); m != a.members_end(); ++m) {
        const Value* other = b.find(m->key);
        if (!other || !deep_equal(m->value, *other)) return false;
      }
      return true;
  }
  return false;
}

std::string js_number_to_string(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";
  // Whole numbers below 2^53, most of what rules print (counts, years), are their digits.
  if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0) {
    char digits[24];
    auto res = std::to_chars(digits, digits + sizeof digits, static_cast<std::int64_t>(d));
    return std::string(digits, res.ptr);
  }
  std::string out;
  if (d < 0) {
    out = "-";
    d = -d;
  }
  // Shortest round-trip digits, then laid out by ECMAScript's Number::toString rules.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  std::size_t e_at = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_at))
    if (c != '.') digits += c;
  int exponent = std::atoi(std::string(sci.substr(e_at + 1)).c_str());
  int k = static_cast<int>(digits.size());
  int n = exponent + 1;
  if (k <= n && n <= 21) {
    out += digits + std::string(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n)) + "." + digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += "e";
    out += (n - 1 >= 0) ? "+" : "-";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

std::string iso_from_days(std::int32_t days) { return Date::from_days(days).iso(); }

}  // namespace qualify::detail
