// qualify: the scoring rubric (a pack's scoring.json), compiled once, and the exact decimal
// arithmetic that keeps points free of binary-float noise (internal).
#pragma once

#include <cstdint>
#include <memory>  // shared_ptr
#include <optional>
#include <string>
#include <vector>

#include "qualify/decision.hpp"
#include "qualify/detail/arena.hpp"
#include "qualify/detail/value.hpp"
#include "qualify/expression.hpp"

namespace qualify::detail {

struct PackData;

/// A decimal with six places, held as a whole number of millionths: rubric bounds, values
/// and points compare and add exactly, so 78.5 never prints as 78.49999.
struct Decimal {
  static constexpr std::int64_t kOne = 1'000'000;
  static constexpr std::int64_t kCent = 10'000;

  std::int64_t micros = 0;

  /// The nearest decimal with six places (half away from zero), clamped to +-1e12.
  static Decimal from_double(double x) noexcept;
  static constexpr Decimal from_cents(std::int64_t cents) noexcept { return Decimal{cents * kCent}; }
  /// Rounded to two places (half away from zero), in hundredths.
  std::int64_t cents() const noexcept;
  double to_double() const noexcept { return static_cast<double>(micros) / kOne; }
  /// Plain text without trailing zeros: "0.5", "10", "4.47".
  std::string text() const;

  friend constexpr auto operator<=>(Decimal, Decimal) = default;
};

/// One row of a banded table: a value in the band earns `points`.
struct Band {
  std::optional<Decimal> min;  ///< none: no lower bound
  bool min_inclusive = true;
  std::optional<Decimal> max;  ///< none: no upper bound
  bool max_inclusive = false;
  Decimal points;
  std::optional<Message> label;  ///< what the band means, shown in the explanation

  bool contains(Decimal v) const noexcept;
  /// The band in interval notation: "[2000, 5000)", "[30000, +∞)".
  std::string interval() const;
};

/// `points` for every `per` of the value above `from`, at most `cap` points.
struct Linear {
  Decimal per;
  Decimal points;
  Decimal cap;
  Decimal from;
  bool whole_units = false;  ///< count only complete units of `per`
};

/// One criterion of the rubric.
struct ScoreCriterion {
  std::string id;
  std::string clause;
  Message title;
  Message unit;
  std::optional<Expression> value;
  std::vector<Band> bands;  ///< empty when the criterion is linear
  std::optional<Linear> linear;
  Decimal max;
  std::string pointer;  ///< /criteria/<i> in scoring.json
};

/// How several experts' scores become one.
enum class Combine { trimmed_mean, mean, median };

/// The experts' part of the score.
struct ExpertRule {
  std::vector<std::string> path = {"expert_scores"};  ///< where the list is in an application
  std::string pointer = "/expert_scores";
  Combine combine = Combine::trimmed_mean;
  int trim_when_at_least = 5;  ///< trimmed_mean drops scores only from this many on
  int trim = 1;                ///< how many highest and how many lowest it drops
  Decimal scale;               ///< experts score out of this (default: the rubric total)
};

/// One key of the ranking order.
struct TieBreak {
  enum class Key { final, objective, expert, application, institution, occupation, source, field };
  Key key = Key::final;
  std::string pointer;  ///< Key::field: the field's JSON Pointer, read from the evidence
  bool descending = true;
  std::string text;  ///< as written: "final desc"
};

/// A compiled rubric: criteria with their tables, the experts' rule, the blend, the cut and
/// the ranking order. Immutable; shared by every evaluation.
struct Scoring {
  std::string file;
  Decimal total;
  std::vector<ScoreCriterion> criteria;
  ExpertRule experts;
  Decimal weight_objective = Decimal{Decimal::kOne};
  Decimal weight_expert;
  std::optional<Decimal> cut;  ///< lowest final score that may be selected
  std::vector<TieBreak> tie_breaks;
};

/// The ranking order without a rubric: final score, highest first, then application id.
std::vector<TieBreak> default_tie_breaks();

/// Compiles `pack.scoring` (the raw scoring.json). Throws PackError naming
/// `pack.scoring_file`, the JSON Pointer and the reason for a bad rubric (bands that overlap
/// or leave a gap, a bound without its inclusiveness, maxima that do not add up to the
/// declared total, a maximum no value can reach, blend weights that do not add up to 1, an
/// unknown tie-break), and ExpressionError for a bad or undeclared-field expression.
std::shared_ptr<const Scoring> compile_scoring(const PackData& pack);

/// Scores one application into `d.score` (criteria with their points and why, the objective
/// total, the experts' combined score, the blend) and, when it carries expert scores, adds
/// an `info` finding "score.experts" explaining how they were combined. Never throws for
/// a fault in the application: missing data earns 0 points and says so. `explain` false
/// gives the same points, totals and finding outcome without a word of why or evidence.
void score_application(const Scoring& s, const PackData& pack, const Value& root, Decision& d, Arena& temp,
                       bool explain);

}  // namespace qualify::detail
