// qualify: ranking decisions and selecting institutions under the notice's quota.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "qualify/decision.hpp"

namespace qualify {

/// How to select. The quota counts institutions (distinct 统一社会信用代码), not
/// applications: one institution may be selected for several occupations.
struct SelectOptions {
  /// At most this many institutions (default 5: 全市计划遴选不超过5家).
  int quota = 5;
  /// Rank `needs_review` decisions too (default false: only `eligible` ones).
  bool include_needs_review = false;
  /// Lowest final score that may be selected; overrides the pack's `cut` (scoring.json).
  std::optional<double> cut;
};

/// Why an application was or was not selected.
enum class SelectionReason { selected, below_cut, quota_reached, not_eligible };
/// "selected", "below_cut", "quota_reached" or "not_eligible".
std::string_view to_string(SelectionReason r) noexcept;
/// The inverse of to_string.
std::optional<SelectionReason> selection_reason_from_string(std::string_view s) noexcept;

/// One application's place in the ranking.
struct Ranked {
  std::string application;
  std::string source;
  std::string institution;  ///< 统一社会信用代码
  std::string occupation;
  Status status = Status::needs_review;
  std::optional<double> score;      ///< the final score (objective and experts blended)
  std::optional<double> objective;  ///< the rubric's points
  std::optional<double> expert;     ///< the experts' combined score, when there are any
  int rank = 0;  ///< 1-based among ranked applications; 0 for those not ranked
  bool selected = false;
  SelectionReason reason = SelectionReason::not_eligible;
};

/// The outcome of a selection: the Selection JSON of DESIGN.md.
struct Selection {
  int quota = 5;
  int institutions_selected = 0;
  bool include_needs_review = false;
  std::optional<double> cut;            ///< the cut that applied, if any
  std::vector<std::string> tie_breaks;  ///< the ranking order that applied: "final desc", ...
  /// Ranked applications in rank order, then the ones not ranked, in input order.
  std::vector<Ranked> ranking;
  /// The Selection JSON of DESIGN.md; scores print with at most two decimals.
  nlohmann::json to_json() const;
  /// The inverse of to_json(); throws qualify::Error("bad_selection") on a malformed object.
  static Selection from_json(const nlohmann::json& j);
};

}  // namespace qualify
