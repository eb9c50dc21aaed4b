// qualify: rule packs, loaded and compiled once, evaluated many times.
#pragma once

#include <filesystem>
#include <memory>  // shared_ptr
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>  // pair
#include <vector>

#include <nlohmann/json.hpp>

#include "qualify/calendar.hpp"
#include "qualify/decision.hpp"
#include "qualify/document.hpp"
#include "qualify/limits.hpp"
#include "qualify/select.hpp"

namespace qualify {

namespace detail {
struct PackData;
}

/// Per-call settings of an evaluation.
struct EvaluateOptions {
  /// The day the evaluation speaks for (rules read it with `{"as_of": []}`); never taken
  /// from the clock. Default: none, so rules that need it are `unknown`.
  std::optional<Date> as_of;
  /// Explain every finding (default true): messages, evidence and JSON Pointers for the
  /// rules, and why each criterion scored what it did. False is for bulk screening: every
  /// rule, form check and criterion still runs, so outcomes, form findings, status, score
  /// and date facts are the same, but rule findings carry no message, evidence (null) or
  /// pointer, and criteria no `why` (empty).
  bool explain = true;
};

/// A lint finding of `RulePack::lint` (and `qualify check`).
struct LintMessage {
  std::string level;  ///< "error" or "warning"
  std::string code;   ///< stable code, listed in rules/README.md
  std::string file;
  std::string pointer;
  std::string reason;
};

/// A loaded rule pack: manifest, form schema, eligibility rules, scoring rubric, date
/// settings and data files, all parsed, checked and compiled by `load`. Immutable; copies
/// share it; every const member is safe to call from many threads at once.
class RulePack {
 public:
  /// Loads the pack in folder `dir`, or a bundled pack by id ("chongqing-dte-2025"), found
  /// under $QUALIFY_PACK_PATH, then the source tree, then the installed share/qualify/rules.
  /// Throws PackError (naming file, JSON Pointer and reason) for any fault of the pack or a
  /// limit of 0 (`bad_limits`), ExpressionError for a bad expression, CalendarError for a bad calendar file.
  static RulePack load(const std::filesystem::path& dir, const Limits& limits = {});
  /// Resolves a bundled pack id or a folder to the folder `load` would read.
  static std::filesystem::path locate(const std::filesystem::path& dir_or_id);

  const PackInfo& info() const noexcept;
  /// The folder the pack was loaded from.
  const std::filesystem::path& directory() const noexcept;
  const Limits& limits() const noexcept;

  /// Evaluates one application. Never throws for a fault in the application's data: text
  /// that is not JSON, a wrong type, a missing field, an impossible date all become
  /// findings. Thread-safe.
  Decision evaluate(const Document& application, const EvaluateOptions& options = {}) const;
  Decision evaluate(std::string_view json_text, const EvaluateOptions& options = {}) const;
  /// Text, not a JSON string value: these resolve the overloads for std::string and literals.
  /// A std::string with kParsePadding (64) bytes to spare after its text is parsed where it
  /// is, without a copy.
  Decision evaluate(const std::string& json_text, const EvaluateOptions& options = {}) const;
  Decision evaluate(const char* json_text, const EvaluateOptions& options = {}) const {
    return evaluate(std::string_view(json_text), options);
  }
  Decision evaluate(const nlohmann::json& application, const EvaluateOptions& options = {}) const;

  /// Evaluates JSON texts on `threads` threads (0 = all cores); results in input order,
  /// one per input, each bad input a Decision with its error.
  std::vector<Decision> evaluate_many(std::span<const std::string> json_texts, unsigned threads = 0,
                                      const EvaluateOptions& options = {}) const;
  std::vector<Decision> evaluate_many(std::span<const Document> applications, unsigned threads = 0,
                                      const EvaluateOptions& options = {}) const;

  /// The eligibility rules' outcomes only, in `rule_ids()` order: the fast path for bulk
  /// screening (no schema, messages or evidence).
  std::vector<Outcome> outcomes(const Document& application, const EvaluateOptions& options = {}) const;
  /// Ranks decisions by final score (deterministic tie-breaks, see scoring.json) and selects
  /// applications until `options.quota` institutions are in: an application is taken when
  /// its institution is already selected or fewer than `quota` are. Thread-safe.
  Selection select(std::span<const Decision> decisions, const SelectOptions& options = {}) const;

  /// Eligibility rule ids in evaluation order.
  std::vector<std::string> rule_ids() const;

  /// The listing period from an online approval date, by dates.json (3 years, Civil Code
  /// end rule for this pack). Throws CalendarError for an impossible date.
  Validity validity(Date approved) const;
  /// The last day of a publicity of `days` working days starting on `start` (counted when
  /// it is a working day). Throws CalendarError outside the calendar's years.
  Date publicity_end(Date start, int days = 5) const;
  /// The pack's working-day calendar.
  const Calendar& calendar() const noexcept;

  /// Applies one JsonLogic expression with this pack's calendar and code lists.
  nlohmann::json apply(const nlohmann::json& logic, const nlohmann::json& data,
                       std::optional<Date> as_of = std::nullopt) const;

  /// The application's JSON Schema (draft 2020-12) with Chinese titles.
  nlohmann::json json_schema() const;

  /// Problems a pack author should fix: unreachable rules, missing clause citations,
  /// messages without both languages, parameters never used. Load errors throw instead.
  std::vector<LintMessage> lint() const;

  /// The pack's data, for the engine's own modules.
  const detail::PackData& data() const noexcept { return *impl_; }

 private:
  std::shared_ptr<const detail::PackData> impl_;
};

}  // namespace qualify
