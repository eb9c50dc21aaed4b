// Ranking decisions and selecting institutions under the notice's quota (一、(三)
// 全市计划遴选不超过5家): the quota counts institutions, not applications.
#include <algorithm>
#include <cmath>
#include <set>

#include "qualify/detail/pack_data.hpp"
#include "qualify/detail/scoring.hpp"
#include "qualify/error.hpp"
#include "qualify/pack.hpp"
#include "qualify/select.hpp"

namespace qualify {

std::string_view to_string(SelectionReason r) noexcept {
  switch (r) {
    case SelectionReason::selected: return "selected";
    case SelectionReason::below_cut: return "below_cut";
    case SelectionReason::quota_reached: return "quota_reached";
    case SelectionReason::not_eligible: return "not_eligible";
  }
  return "not_eligible";
}

std::optional<SelectionReason> selection_reason_from_string(std::string_view s) noexcept {
  if (s == "selected") return SelectionReason::selected;
  if (s == "below_cut") return SelectionReason::below_cut;
  if (s == "quota_reached") return SelectionReason::quota_reached;
  if (s == "not_eligible") return SelectionReason::not_eligible;
  return std::nullopt;
}

namespace {

using detail::Decimal;
using detail::TieBreak;

// Scores compare in hundredths, the precision they are shown in, so two scores that print
// the same always tie.
std::optional<std::int64_t> cents(const std::optional<double>& x) {
  if (!x || !std::isfinite(*x)) return std::nullopt;
  return std::llround(*x * 100);
}

nlohmann::json points(const std::optional<double>& x) {
  auto c = cents(x);
  if (!c) return nullptr;
  if (*c % 100 == 0) return *c / 100;
  return static_cast<double>(*c) / 100;
}

// -1 when `a` ranks before `b`; a missing value ranks after any present one, whichever
// the direction.
template <class T>
int order(const std::optional<T>& a, const std::optional<T>& b, bool descending) {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  if (*a == *b) return 0;
  bool before = descending ? *b < *a : *a < *b;
  return before ? -1 : 1;
}

std::optional<std::string> text(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// The value a rule recorded for `pointer`, typed so that numbers compare as numbers.
struct Recorded {
  int kind = 0;  // 0 number, 1 string, 2 boolean, 3 other
  std::int64_t number = 0;
  std::string text;
  friend auto operator<=>(const Recorded&, const Recorded&) = default;
};

std::optional<Recorded> recorded(const Decision& d, const std::string& pointer) {
  for (const Finding& f : d.findings) {
    std::optional<nlohmann::json> it = f.evidence.find(pointer);
    if (!it || it->is_null()) continue;
    Recorded e;
    if (it->is_number()) {
      e.number = Decimal::from_double(it->get<double>()).micros;
    } else if (it->is_string()) {
      e.kind = 1;
      e.text = it->get<std::string>();
    } else if (it->is_boolean()) {
      e.kind = 2;
      e.number = it->get<bool>() ? 1 : 0;
    } else {
      e.kind = 3;
      e.text = it->dump();
    }
    return e;
  }
  return std::nullopt;
}

int compare_by(const TieBreak& t, const Decision& a, const Decision& b) {
  switch (t.key) {
    case TieBreak::Key::final: {
      auto total = [](const Decision& d) { return d.score ? cents(d.score->total) : std::nullopt; };
      return order(total(a), total(b), t.descending);
    }
    case TieBreak::Key::objective:
      return order(a.score ? cents(a.score->objective) : std::nullopt, b.score ? cents(b.score->objective) : std::nullopt,
                   t.descending);
    case TieBreak::Key::expert:
      return order(a.score ? cents(a.score->expert) : std::nullopt, b.score ? cents(b.score->expert) : std::nullopt,
                   t.descending);
    case TieBreak::Key::application:
      return order(text(a.application), text(b.application), t.descending);
    case TieBreak::Key::institution:
      return order(text(a.institution), text(b.institution), t.descending);
    case TieBreak::Key::occupation:
      return order(text(a.occupation), text(b.occupation), t.descending);
    case TieBreak::Key::source:
      return order(text(a.source), text(b.source), t.descending);
    case TieBreak::Key::field:
      return order(recorded(a, t.pointer), recorded(b, t.pointer), t.descending);
  }
  return 0;
}

Ranked ranked_from(const Decision& d) {
  Ranked r;
  r.application = d.application;
  r.source = d.source;
  r.institution = d.institution;
  r.occupation = d.occupation;
  r.status = d.status;
  if (d.score) {
    r.score = d.score->total;
    r.objective = d.score->objective;
    r.expert = d.score->expert;
  }
  return r;
}

[[noreturn]] void bad(const std::string& pointer, const std::string& reason) {
  throw Error("bad_selection", "", pointer, reason);
}

}  // namespace

Selection RulePack::select(std::span<const Decision> decisions, const SelectOptions& options) const {
  if (options.quota < 0)
    throw Error("bad_quota", "", "", "the quota counts institutions and cannot be " + std::to_string(options.quota));
  const detail::Scoring* scoring = impl_->scoring_model.get();
  std::vector<TieBreak> keys = scoring ? scoring->tie_breaks : detail::default_tie_breaks();
  std::optional<std::int64_t> cut;
  if (options.cut) {
    cut = cents(options.cut);
  } else if (scoring && scoring->cut) {
    cut = scoring->cut->cents();
  }

  Selection out;
  out.quota = options.quota;
  out.include_needs_review = options.include_needs_review;
  if (cut) out.cut = static_cast<double>(*cut) / 100;
  for (const TieBreak& t : keys) out.tie_breaks.push_back(t.text);

  std::vector<std::size_t> candidates, others;
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const Decision& d = decisions[i];
    bool rankable = !d.error && (d.status == Status::eligible ||
                                 (options.include_needs_review && d.status == Status::needs_review));
    // Screening decisions (explain = false) carry a score but not the evidence that field
    // tie-breaks read, nor the reasons a selection shows: ranking them would silently order
    // ties by application id.
    bool screened = std::any_of(d.findings.begin(), d.findings.end(),
                                [](const Finding& f) { return f.evidence.is_null(); });
    if (rankable && scoring && (!d.score || screened))
      throw Error("unscored_decision", "", "/" + std::to_string(i),
                  "decision " + std::to_string(i) + (d.application.empty() ? "" : " (" + d.application + ")") +
                      (d.score ? " was screened, without evidence" : " has no score") +
                      "; select ranks by the pack's scoring and its tie-breaks, so evaluate with explain = true");
    (rankable ? candidates : others).push_back(i);
  }
  auto compare = [&](std::size_t x, std::size_t y) {
    for (const TieBreak& t : keys)
      if (int c = compare_by(t, decisions[x], decisions[y])) return c;
    return 0;
  };
  // Stable: applications equal on every key keep their input order and share a rank.
  std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t x, std::size_t y) { return compare(x, y) < 0; });

  std::set<std::string> chosen;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const Decision& d = decisions[candidates[k]];
    Ranked r = ranked_from(d);
    r.rank = k > 0 && compare(candidates[k - 1], candidates[k]) == 0 ? out.ranking.back().rank : static_cast<int>(k) + 1;
    // An application without a 统一社会信用代码 counts as an institution of its own.
    std::string institution = d.institution.empty() ? "\x01" + std::to_string(candidates[k]) : d.institution;
    auto score = d.score ? cents(d.score->total) : std::nullopt;
    if (cut && (!score || *score < *cut)) {
      r.reason = SelectionReason::below_cut;
    } else if (chosen.count(institution) || static_cast<int>(chosen.size()) < options.quota) {
      chosen.insert(institution);
      r.reason = SelectionReason::selected;
      r.selected = true;
    } else {
      r.reason = SelectionReason::quota_reached;
    }
    out.ranking.push_back(std::move(r));
  }
  for (std::size_t i : others) {
    Ranked r = ranked_from(decisions[i]);
    r.reason = SelectionReason::not_eligible;
    out.ranking.push_back(std::move(r));
  }
  out.institutions_selected = static_cast<int>(chosen.size());
  return out;
}

nlohmann::json Selection::to_json() const {
  nlohmann::json ranking_json = nlohmann::json::array();
  auto or_null = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
  for (const Ranked& r : ranking) {
    nlohmann::json j;
    j["application"] = or_null(r.application);
    if (!r.source.empty()) j["source"] = r.source;
    j["institution"] = or_null(r.institution);
    j["occupation"] = or_null(r.occupation);
    j["status"] = std::string(to_string(r.status));
    j["score"] = points(r.score);
    if (r.objective) j["objective"] = points(r.objective);
    if (r.expert) j["expert"] = points(r.expert);
    j["rank"] = r.rank;
    j["selected"] = r.selected;
    j["reason"] = std::string(to_string(r.reason));
    ranking_json.push_back(std::move(j));
  }
  nlohmann::json j;
  j["quota"] = quota;
  j["institutions_selected"] = institutions_selected;
  j["include_needs_review"] = include_needs_review;
  j["cut"] = points(cut);
  j["tie_breaks"] = tie_breaks;
  j["ranking"] = std::move(ranking_json);
  return j;
}

Selection Selection::from_json(const nlohmann::json& j) {
  if (!j.is_object()) bad("", "a selection is a JSON object");
  Selection s;
  try {
    if (!j.contains("quota") || !j["quota"].is_number_integer()) bad("/quota", "\"quota\" is a whole number");
    s.quota = j["quota"].get<int>();
    s.institutions_selected = j.value("institutions_selected", 0);
    s.include_needs_review = j.value("include_needs_review", false);
    if (auto c = j.find("cut"); c != j.end() && c->is_number()) s.cut = c->get<double>();
    if (auto t = j.find("tie_breaks"); t != j.end() && t->is_array()) s.tie_breaks = t->get<std::vector<std::string>>();
    auto list = j.find("ranking");
    if (list == j.end() || !list->is_array()) bad("/ranking", "\"ranking\" is a list");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const nlohmann::json& rj = (*list)[i];
      std::string at = "/ranking/" + std::to_string(i);
      if (!rj.is_object()) bad(at, "a ranked application is an object");
      Ranked r;
      auto str = [&](const char* key) {
        auto it = rj.find(key);
        return it != rj.end() && it->is_string() ? it->get<std::string>() : std::string();
      };
      auto num = [&](const char* key) -> std::optional<double> {
        auto it = rj.find(key);
        if (it == rj.end() || it->is_null()) return std::nullopt;
        if (!it->is_number()) bad(at + "/" + key, "expected a number");
        return it->get<double>();
      };
      r.application = str("application");
      r.source = str("source");
      r.institution = str("institution");
      r.occupation = str("occupation");
      auto status = status_from_string(str("status"));
      if (!status) bad(at + "/status", "unknown status");
      r.status = *status;
      r.score = num("score");
      r.objective = num("objective");
      r.expert = num("expert");
      r.rank = rj.value("rank", 0);
      r.selected = rj.value("selected", false);
      auto reason = selection_reason_from_string(str("reason"));
      if (!reason) bad(at + "/reason", "unknown reason");
      r.reason = *reason;
      s.ranking.push_back(std::move(r));
    }
  } catch (const nlohmann::json::exception& e) {
    bad("", std::string("malformed selection: ") + e.what());
  }
  return s;
}

}  // namespace qualify
