// qualify: compiled expressions. Built once by the compiler, walked by the evaluator.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "qualify/detail/value.hpp"

namespace qualify::detail {

enum class Op : std::uint8_t {
  // JsonLogic
  literal, array, var, var_dynamic, missing, missing_some, if_, eq, strict_eq, ne, strict_ne,
  lt, le, gt, ge, not_, truthy, or_, and_, add, sub, mul, div, mod, min, max, cat, substr,
  in, merge, map, filter, reduce, all, some, none, log,
  // extensions (names fixed by DESIGN.md)
  date, add_days, add_months, add_years, days_between, workdays_end, chars, sum, count,
  uscc_valid, cn_id_valid, gbt4754_valid, as_of,
};

// Where a `var` step last found its key among an object's members. Applications of one
// form list their keys in one order, so the next lookup usually hits at once. Only a hint:
// shared by the threads that evaluate a pack, hence atomic (relaxed), and copied as a value.
struct MemberHint {
  mutable std::atomic<std::uint32_t> at{0};
  MemberHint() = default;
  MemberHint(const MemberHint& o) noexcept : at(o.at.load(std::memory_order_relaxed)) {}
  MemberHint& operator=(const MemberHint& o) noexcept {
    at.store(o.at.load(std::memory_order_relaxed), std::memory_order_relaxed);
    return *this;
  }
};

// One step of a `var` path, split at compile time. `index` is the step read as an array
// index (JavaScript reads "1" on an array as element 1), or -1 when it is not a number.
struct PathStep {
  std::string key;
  std::int64_t index;
  MemberHint hint{};
  // As the first step inside a reduce, the member of its {current, accumulator} frame that
  // the key names (0 or 1), else -1: found without comparing keys.
  std::int8_t reduce_slot = key == "current" ? 0 : key == "accumulator" ? 1 : -1;
};

// A dotted `var` path split into its steps ("a.0.b": a, 0, b; "" is no step). A step is an
// array index only as JavaScript reads one: "0" or digits without a leading zero ("00" and
// "01" name no element, as [1, 2]["01"] is undefined), below 10^9.
std::vector<PathStep> split_path(std::string_view dotted);

struct Node {
  Op op = Op::literal;
  std::uint8_t period_end = 0;  // add_months / add_years: PeriodEnd
  bool has_default = false;     // var: a default was given, so absence is not unknown
  bool counts = false;          // reduce: the body is {"+": [{"var": "accumulator"}, number]} (either order)
  bool sums = false;            // reduce: the body is {"+": [{"var": "accumulator"}, x]} (either order),
                                // x not reading the accumulator
  // Nodes in this subtree, each counted once (a loop's body once, not per item): the steps
  // evaluating it once costs at most. Set by the compiler.
  std::uint32_t weight = 1;
  Value literal;                // literal value; var default
  std::vector<Node> args;
  std::vector<PathStep> path;   // var
  std::string text;             // var: the path as written, for messages
};

// {"var": "accumulator"}: the reduce frame's accumulator, as the counting and summing
// idioms of reduce name it (found by the compiler, taken apart by the evaluator).
inline bool is_accumulator_var(const Node& n) {
  return n.op == Op::var && n.path.size() == 1 && n.path[0].key == "accumulator";
}

}  // namespace qualify::detail
