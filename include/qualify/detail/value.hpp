// qualify: the engine's compact JSON value, a trivially copyable view into an Arena.
#pragma once

#include <cstdint>
#include <cstring>  // memcpy
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "qualify/detail/arena.hpp"

namespace qualify::detail {

enum class Kind : std::uint8_t { null, boolean, number, string, array, object, date };

struct Member;

// 16 bytes; strings, arrays and objects point into the arena that owns the document.
// Object members keep their order of appearance, so output reads like the input.
class Value {
 public:
  constexpr Value() noexcept : kind_(Kind::null), size_(0), u_{} {}
  static Value boolean(bool b) noexcept { Value v(Kind::boolean); v.u_.b = b; return v; }
  static Value number(double n) noexcept { Value v(Kind::number); v.u_.n = n; return v; }
  static Value date(std::int32_t days) noexcept { Value v(Kind::date); v.u_.d = days; return v; }
  static Value string(std::string_view s) noexcept {
    Value v(Kind::string);
    v.u_.s = s.data();
    v.size_ = static_cast<std::uint32_t>(s.size());
    return v;
  }
  static Value array(const Value* items, std::size_t n) noexcept {
    Value v(Kind::array);
    v.u_.a = items;
    v.size_ = static_cast<std::uint32_t>(n);
    return v;
  }
  static Value object(const Member* members, std::size_t n) noexcept {
    Value v(Kind::object);
    v.u_.o = members;
    v.size_ = static_cast<std::uint32_t>(n);
    return v;
  }

  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::null; }
  bool is_bool() const noexcept { return kind_ == Kind::boolean; }
  bool is_number() const noexcept { return kind_ == Kind::number; }
  bool is_string() const noexcept { return kind_ == Kind::string; }
  bool is_array() const noexcept { return kind_ == Kind::array; }
  bool is_object() const noexcept { return kind_ == Kind::object; }
  bool is_date() const noexcept { return kind_ == Kind::date; }

  bool as_bool() const noexcept { return u_.b; }
  double as_number() const noexcept { return u_.n; }
  std::int32_t as_date() const noexcept { return u_.d; }
  std::string_view as_string() const noexcept { return {u_.s, size_}; }
  std::size_t size() const noexcept { return size_; }
  const Value* begin() const noexcept { return u_.a; }
  const Value* end() const noexcept { return u_.a + size_; }
  const Value& operator[](std::size_t i) const noexcept { return u_.a[i]; }
  const Member* members() const noexcept { return u_.o; }
  inline const Member* members_end() const noexcept;

  /// The member named `key`, or nullptr (also for non-objects).
  inline const Value* find(std::string_view key) const noexcept;
  /// Same identity for arrays and objects (JavaScript compares them by reference).
  bool same_storage(const Value& o) const noexcept { return u_.a == o.u_.a && size_ == o.size_; }

 private:
  explicit Value(Kind k) noexcept : kind_(k), size_(0), u_{} {}
  Kind kind_;
  std::uint32_t size_;
  union U {
    bool b;
    double n;
    std::int32_t d;
    const char* s;
    const Value* a;
    const Member* o;
  } u_;
};

struct Member {
  std::string_view key;
  Value value;
};

inline const Member* Value::members_end() const noexcept { return u_.o + size_; }

namespace value_detail {
// Keys are short, so they compare inline in a few word loads rather than by a call to memcmp.
inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}
inline std::uint32_t load4(const char* p) noexcept {
  std::uint32_t x;
  std::memcpy(&x, p, 4);
  return x;
}
[[gnu::always_inline]] inline bool same_key(std::string_view a, std::string_view b) noexcept {
  std::size_t n = a.size();
  if (n != b.size()) return false;
  const char *p = a.data(), *q = b.data();
  if (n >= 8) {  // whole words, the last one overlapping its predecessor
    for (std::size_t i = 0; i + 8 < n; i += 8)
      if (load8(p + i) != load8(q + i)) return false;
    return load8(p + n - 8) == load8(q + n - 8);
  }
  if (n >= 4) return load4(p) == load4(q) && load4(p + n - 4) == load4(q + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}
}  // namespace value_detail

inline const Value* Value::find(std::string_view key) const noexcept {
  if (kind_ != Kind::object) return nullptr;
  for (const Member* m = u_.o, *e = u_.o + size_; m != e; ++m)
    if (value_detail::same_key(m->key, key)) return &m->value;
  return nullptr;
}

/// Deep copy of an nlohmann value into `arena`. Throws ExpressionError("too_deep") beyond
/// `max_depth` levels of nesting.
Value from_json(const nlohmann::json& j, Arena& arena, std::size_t max_depth);
/// The value as nlohmann JSON; a date becomes its ISO text, NaN and infinities become null.
nlohmann::json to_json(const Value& v);
/// Appends the text `to_json(v).dump(-1, ' ', false, replace)` gives, without building the
/// nlohmann value: how evidence records what a rule read.
void append_json(std::string& out, const Value& v);
/// Structural equality (used by tests and golden files, not by JsonLogic's `==`).
bool deep_equal(const Value& a, const Value& b) noexcept;
/// A double as JavaScript's Number#toString prints it ("1", "1.5", "1e+21").
std::string js_number_to_string(double d);
/// ISO "YYYY-MM-DD" for a day count since 1970-01-01.
std::string iso_from_days(std::int32_t days);

}  // namespace qualify::detail
