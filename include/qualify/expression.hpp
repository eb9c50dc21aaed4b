// qualify: JsonLogic expressions, parsed and checked once, evaluated many times.
#pragma once

#include <memory>  // shared_ptr
#include <optional>
#include <set>
#include <string>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "qualify/calendar.hpp"
#include "qualify/limits.hpp"

namespace qualify {

namespace detail {
struct Node;
struct Field;
class Arena;
}  // namespace detail

/// What extension operators consult while they run: the working-day calendar
/// (`workdays_end`), the GB/T 4754-2017 codes (`gbt4754_valid`) and the day the evaluation
/// speaks for (`as_of`). A rule pack supplies its own; a missing piece makes the operator
/// that needs it fail with a clear error.
struct Environment {
  const Calendar* calendar = nullptr;
  std::shared_ptr<const std::unordered_set<std::string>> gbt4754;
  std::optional<Date> as_of;
};

/// How to compile an expression. All members are optional.
struct CompileOptions {
  /// File the expression comes from and its JSON Pointer there, for error messages.
  std::string file;
  std::string pointer;
  Limits limits;
  /// Declared fields: every `var` must name one (load error "undeclared_field" otherwise).
  /// nullptr (the default) checks nothing.
  const detail::Field* fields = nullptr;
  /// Values for `{"param": "name"}`, substituted at compile time; nullptr: `param` is an error.
  const nlohmann::json* parameters = nullptr;
  /// When set, receives the name of every parameter the expression uses.
  std::set<std::string>* used_parameters = nullptr;
};

/// A compiled JsonLogic expression (jsonlogic.com semantics plus qualify's extension
/// operators). Immutable after `compile`; copies share the compiled form; `apply` is
/// const and safe to call from many threads at once.
class Expression {
 public:
  /// Parses and checks `logic`. Throws ExpressionError naming `options.file`, the JSON
  /// Pointer and the reason for an unknown operator, a wrong number of arguments, a bad
  /// literal, an undeclared field or nesting beyond `options.limits.max_expression_depth`.
  static Expression compile(const nlohmann::json& logic, const CompileOptions& options = {});

  /// Evaluates against `data` and returns the result as JSON. Throws ExpressionError for a
  /// runtime failure (an invalid date, the step budget exhausted) and CalendarError for a
  /// working-day question outside the calendar.
  nlohmann::json apply(const nlohmann::json& data, const Environment& env = {}) const;

  /// The compiled tree (for the rule engine).
  const detail::Node& root() const noexcept;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

/// Compiles and applies one expression: `qualify::apply({{"+", {1, 2}}}, nullptr) == 3`.
/// Throws as Expression::compile and Expression::apply do.
nlohmann::json apply(const nlohmann::json& logic, const nlohmann::json& data,
                     const Environment& env = {});

}  // namespace qualify
