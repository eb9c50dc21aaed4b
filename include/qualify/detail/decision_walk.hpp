// qualify: the Decision JSON as a walk, for every writer of it (text, Python objects).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "qualify/decision.hpp"

namespace qualify::detail {

/// Points are decimals: two places, so sums print as 78.5 and never 78.49999999.
inline nlohmann::json decision_points(double x) {
  double r = std::round(x * 100) / 100;
  if (r == std::floor(r)) return static_cast<std::int64_t>(r);
  return r;
}

template <class Sink>
void walk_message(const Message& m, Sink& w) {
  w.begin_object();
  w.key("en");
  w.string(m.en);
  w.key("zh");
  w.string(m.zh);
  w.end_object();
}

// The Decision JSON shows an empty application, institution or occupation as null.
template <class Sink>
void walk_text_or_null(const std::string& text, Sink& w) {
  if (text.empty()) w.null();
  else w.string(text);
}

// Evidence: null, or an object whose values are JSON texts (w.json_text).
template <class Sink>
void walk_evidence(const Evidence& e, Sink& w) {
  if (e.is_null()) return w.null();
  w.begin_object();
  for (std::size_t i = 0; i < e.size(); ++i) {
    w.key(e[i].key);
    w.json_text(e[i].json_text);
  }
  w.end_object();
}

/// Tells `w` the Decision JSON of `d` (what Decision::to_json builds) as events:
/// begin_object/end_object, begin_array/end_array, key, string, null, boolean, json for
/// points and json_text for evidence values. Keys come in sorted order, the order nlohmann::json keeps them, so
/// every writer gives the same JSON as to_json.
template <class Sink>
void walk_decision(const Decision& d, Sink& w) {
  w.begin_object();
  w.key("application");
  walk_text_or_null(d.application, w);
  w.key("as_of");
  if (d.as_of) w.string(d.as_of->iso());
  else w.null();
  w.key("dates");
  w.begin_object();
  w.key("deadline_met");
  if (d.dates.deadline_met) w.boolean(*d.dates.deadline_met);
  else w.null();
  w.key("validity");
  if (d.dates.validity) {
    w.begin_object();
    w.key("from");
    w.string(d.dates.validity->from.iso());
    w.key("until");
    w.string(d.dates.validity->until.iso());
    w.end_object();
  } else {
    w.null();
  }
  w.end_object();
  if (d.error) {
    w.key("error");
    w.begin_object();
    w.key("code");
    w.string(d.error->first);
    w.key("message");
    w.string(d.error->second);
    w.end_object();
  }
  w.key("findings");
  w.begin_array();
  for (const Finding& f : d.findings) {
    w.begin_object();
    w.key("clause");
    w.string(f.clause);
    if (!f.error.empty()) {
      w.key("error");
      w.string(f.error);
    }
    w.key("evidence");
    walk_evidence(f.evidence, w);
    w.key("message");
    walk_message(f.message, w);
    w.key("outcome");
    w.string(to_string(f.outcome));
    w.key("pointer");
    w.string(f.pointer);
    w.key("rule");
    w.string(f.rule);
    w.key("severity");
    w.string(to_string(f.severity));
    w.end_object();
  }
  w.end_array();
  w.key("institution");
  walk_text_or_null(d.institution, w);
  w.key("missing");
  w.begin_array();
  for (const std::string& m : d.missing) w.string(m);
  w.end_array();
  w.key("occupation");
  walk_text_or_null(d.occupation, w);
  w.key("pack");
  w.begin_object();
  w.key("id");
  w.string(d.pack.id);
  w.key("sha256");
  w.string(d.pack.sha256);
  w.key("version");
  w.string(d.pack.version);
  w.end_object();
  w.key("score");
  if (d.score) {
    w.begin_object();
    w.key("criteria");
    w.begin_array();
    for (const Criterion& c : d.score->criteria) {
      w.begin_object();
      w.key("id");
      w.string(c.id);
      w.key("max");
      w.json(decision_points(c.max));
      w.key("points");
      w.json(decision_points(c.points));
      w.key("why");
      walk_message(c.why, w);
      w.end_object();
    }
    w.end_array();
    if (d.score->expert) {
      w.key("expert");
      w.json(decision_points(*d.score->expert));
    }
    w.key("max");
    w.json(decision_points(d.score->max));
    if (d.score->objective) {
      w.key("objective");
      w.json(decision_points(*d.score->objective));
    }
    w.key("total");
    w.json(decision_points(d.score->total));
    w.end_object();
  } else {
    w.null();
  }
  if (!d.source.empty()) {
    w.key("source");
    w.string(d.source);
  }
  w.key("status");
  w.string(to_string(d.status));
  w.end_object();
}

}  // namespace qualify::detail
