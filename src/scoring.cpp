// The scoring rubric: compiling scoring.json, and scoring one application with every
// point explained. Points are computed in whole millionths and rounded to hundredths only
// where the rubric says a score is shown, so equal inputs always give equal scores.
#include "qualify/detail/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>

#include "qualify/detail/concat.hpp"
#include "qualify/detail/evaluator.hpp"
#include "qualify/detail/evidence_access.hpp"
#include "qualify/detail/pack_data.hpp"
#include "qualify/error.hpp"

namespace qualify::detail {

namespace {

// Products of two six-place decimals need more than 64 bits before they are divided.
__extension__ typedef __int128 Wide;

// num / den rounded half away from zero (四舍五入); den > 0.
std::int64_t round_div(Wide num, Wide den) {
  Wide q = (num < 0 ? -num : num) * 2 + den;
  q /= den * 2;
  return static_cast<std::int64_t>(num < 0 ? -q : q);
}

std::string cents_text(std::int64_t cents) { return Decimal::from_cents(cents).text(); }

}  // namespace

// ------------------------------------------------------------------------------ Decimal

Decimal Decimal::from_double(double x) noexcept {
  if (std::isnan(x)) return {};
  constexpr double kLimit = 1e12;
  x = std::clamp(x, -kLimit, kLimit);
  return Decimal{std::llround(x * static_cast<double>(kOne))};
}

std::int64_t Decimal::cents() const noexcept { return round_div(micros, kCent); }

std::string Decimal::text() const {
  std::int64_t m = micros;
  std::string out = m < 0 ? "-" : "";
  std::uint64_t a = m < 0 ? static_cast<std::uint64_t>(-(m + 1)) + 1 : static_cast<std::uint64_t>(m);
  out += std::to_string(a / kOne);
  std::uint64_t frac = a % kOne;
  if (frac) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 6 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

bool Band::contains(Decimal v) const noexcept {
  if (min && (min_inclusive ? v < *min : v <= *min)) return false;
  if (max && (max_inclusive ? v > *max : v >= *max)) return false;
  return true;
}

std::string Band::interval() const {
  std::string out = min ? (min_inclusive ? "[" : "(") + min->text() : std::string("(-∞");
  out += ", ";
  out += max ? max->text() + (max_inclusive ? "]" : ")") : std::string("+∞)");
  return out;
}

std::vector<TieBreak> default_tie_breaks() {
  return {{TieBreak::Key::final, "", true, "final desc"}, {TieBreak::Key::application, "", false, "application asc"}};
}

// ------------------------------------------------------------------------------ compiling

namespace {

using json = nlohmann::json;

class RubricCompiler {
 public:
  explicit RubricCompiler(const PackData& pack) : pack_(pack), file_(pack.scoring_file) {}

  std::shared_ptr<const Scoring> compile() {
    const json& j = pack_.scoring;
    auto s = std::make_shared<Scoring>();
    s->file = file_;
    if (!j.is_object()) fail("bad_scoring", "", "scoring.json is an object with \"total\" and \"criteria\"");
    only_keys(j, "", {"description", "total", "criteria", "experts", "blend", "cut", "tie_breaks"});
    if (!j.contains("total")) fail("bad_scoring", "/total", "the rubric declares its \"total\" (e.g. 100)");
    s->total = points(j["total"], "/total");
    if (s->total.micros <= 0) fail("bad_scoring", "/total", "the total must be above 0");

    if (!j.contains("criteria") || !j["criteria"].is_array() || j["criteria"].empty())
      fail("bad_scoring", "/criteria", "\"criteria\" is a non-empty list of criteria");
    std::set<std::string> ids;
    Decimal sum;
    for (std::size_t i = 0; i < j["criteria"].size(); ++i) {
      ScoreCriterion c = criterion(j["criteria"][i], "/criteria/" + std::to_string(i));
      if (!ids.insert(c.id).second) fail("duplicate_criterion", c.pointer + "/id", "criterion id \"" + c.id + "\" is used twice");
      sum.micros += c.max.micros;
      s->criteria.push_back(std::move(c));
    }
    if (sum != s->total)
      fail("max_mismatch", "/criteria",
           "the criteria's maxima add up to " + sum.text() + ", not the declared total " + s->total.text());

    s->experts.scale = s->total;
    if (auto e = j.find("experts"); e != j.end()) experts(*e, *s);
    if (auto b = j.find("blend"); b != j.end()) blend(*b, *s);
    if (auto c = j.find("cut"); c != j.end() && !c->is_null()) {
      s->cut = points(*c, "/cut");
      if (s->cut->micros < 0 || *s->cut > s->total)
        fail("bad_scoring", "/cut", "the cut lies between 0 and the total " + s->total.text());
    }
    if (auto t = j.find("tie_breaks"); t != j.end()) {
      tie_breaks(*t, *s);
    } else {
      s->tie_breaks = default_tie_breaks();
    }
    return s;
  }

 private:
  [[noreturn]] void fail(const std::string& code, const std::string& pointer, const std::string& reason) const {
    throw PackError(code, file_, pointer, reason);
  }

  void only_keys(const json& j, const std::string& at, std::initializer_list<const char*> keys) const {
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool known = false;
      for (const char* k : keys) known = known || it.key() == k;
      if (!known) fail("unknown_key", at + "/" + it.key(), "unknown key \"" + it.key() + "\"");
    }
  }

  // A number of the rubric, exact to `places` decimal places (2 for points, 6 for bounds).
  Decimal number(const json& j, const std::string& at, int places) const {
    if (!j.is_number()) fail("bad_scoring", at, "expected a number, not " + j.dump());
    if (j.is_number_integer()) {
      auto v = j.get<std::int64_t>();
      if (v > 1'000'000'000 || v < -1'000'000'000) fail("bad_scoring", at, "a number between -1e9 and 1e9");
      return Decimal{v * Decimal::kOne};
    }
    double x = j.get<double>();
    if (!std::isfinite(x) || std::fabs(x) > 1e9) fail("bad_scoring", at, "a number between -1e9 and 1e9");
    double scaled = x * static_cast<double>(Decimal::kOne);
    auto micros = std::llround(scaled);
    std::int64_t unit = places == 2 ? Decimal::kCent : 1;
    if (std::fabs(scaled - static_cast<double>(micros)) > 1e-3 || micros % unit != 0)
      fail("bad_scoring", at, j.dump() + " has more than " + std::to_string(places) + " decimal places");
    return Decimal{micros};
  }

  Decimal points(const json& j, const std::string& at) const { return number(j, at, 2); }

  Message message(const json& j, const std::string& at, bool required) const {
    if (j.is_null() && !required) return {};
    if (!j.is_object() || !j.contains("zh") || !j.contains("en") || !j["zh"].is_string() || !j["en"].is_string() ||
        (required && (j["zh"].get<std::string>().empty() || j["en"].get<std::string>().empty())))
      fail("bad_scoring", at, "expected {\"zh\": \"…\", \"en\": \"…\"} with both texts");
    return {j["zh"].get<std::string>(), j["en"].get<std::string>()};
  }

  bool boolean(const json& obj, const char* key, const std::string& at) const {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_boolean())
      fail("bad_band", at + "/" + key, std::string("a bound states whether it is included: \"") + key + "\": true or false");
    return it->get<bool>();
  }

  ScoreCriterion criterion(const json& j, const std::string& at) const {
    ScoreCriterion c;
    c.pointer = at;
    if (!j.is_object()) fail("bad_scoring", at, "a criterion is an object");
    only_keys(j, at, {"id", "title", "clause", "description", "value", "bands", "linear", "max", "unit"});
    if (!j.contains("id") || !j["id"].is_string() || j["id"].get<std::string>().empty())
      fail("bad_scoring", at + "/id", "a criterion has a non-empty string \"id\"");
    c.id = j["id"].get<std::string>();
    c.title = message(j.value("title", json()), at + "/title", true);
    if (!j.contains("clause") || !j["clause"].is_string() || j["clause"].get<std::string>().empty())
      fail("bad_scoring", at + "/clause", "criterion \"" + c.id + "\" cites the clause of the notice or form it rests on");
    c.clause = j["clause"].get<std::string>();
    if (j.contains("unit")) c.unit = message(j["unit"], at + "/unit", false);
    if (!j.contains("max")) fail("bad_scoring", at + "/max", "criterion \"" + c.id + "\" declares its \"max\" points");
    c.max = points(j["max"], at + "/max");
    if (c.max.micros <= 0) fail("bad_scoring", at + "/max", "the maximum must be above 0");
    if (!j.contains("value")) fail("bad_scoring", at + "/value", "criterion \"" + c.id + "\" needs a \"value\" expression");
    CompileOptions options;
    options.file = file_;
    options.pointer = at + "/value";
    options.limits = pack_.limits;
    options.fields = &pack_.schema.fields();
    options.parameters = &pack_.parameter_values;
    c.value = Expression::compile(j["value"], options);

    bool has_bands = j.contains("bands"), has_linear = j.contains("linear");
    if (has_bands == has_linear)
      fail("bad_scoring", at, "criterion \"" + c.id + "\" needs exactly one of \"bands\" and \"linear\"");
    if (has_bands) {
      bands(j["bands"], at + "/bands", c);
    } else {
      linear(j["linear"], at + "/linear", c);
    }
    return c;
  }

  void bands(const json& list, const std::string& at, ScoreCriterion& c) const {
    if (!list.is_array() || list.empty()) fail("bad_band", at, "\"bands\" is a non-empty list of bands");
    Decimal best;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const json& b = list[i];
      std::string where = at + "/" + std::to_string(i);
      if (!b.is_object()) fail("bad_band", where, "a band is {\"min\", \"min_inclusive\", \"max\", \"max_inclusive\", \"points\"}");
      only_keys(b, where, {"min", "min_inclusive", "max", "max_inclusive", "points", "label"});
      Band band;
      if (b.contains("min") && !b["min"].is_null()) {
        band.min = number(b["min"], where + "/min", 6);
        band.min_inclusive = boolean(b, "min_inclusive", where);
      } else if (b.contains("min_inclusive")) {
        fail("bad_band", where + "/min_inclusive", "a band without \"min\" has no lower bound to include");
      }
      if (b.contains("max") && !b["max"].is_null()) {
        band.max = number(b["max"], where + "/max", 6);
        band.max_inclusive = boolean(b, "max_inclusive", where);
      } else if (b.contains("max_inclusive")) {
        fail("bad_band", where + "/max_inclusive", "a band without \"max\" has no upper bound to include");
      }
      if (!b.contains("points")) fail("bad_band", where + "/points", "a band gives \"points\"");
      band.points = points(b["points"], where + "/points");
      if (band.points.micros < 0 || band.points > c.max)
        fail("bad_band", where + "/points", "points lie between 0 and the criterion's max " + c.max.text());
      if (b.contains("label")) band.label = message(b["label"], where + "/label", true);
      if (band.min && band.max &&
          (*band.min > *band.max || (*band.min == *band.max && !(band.min_inclusive && band.max_inclusive))))
        fail("bad_band", where, "the band " + band.interval() + " contains no value");
      if (i > 0) {
        const Band& prev = c.bands.back();
        if (!prev.max)
          fail("band_overlap", where, "band " + std::to_string(i - 1) + " " + prev.interval() +
                                          " has no upper bound, so it overlaps " + band.interval());
        if (!band.min)
          fail("band_overlap", where, "only the first band may lack a lower bound; " + band.interval() +
                                          " overlaps " + prev.interval());
        if (*band.min > *prev.max || (*band.min == *prev.max && !prev.max_inclusive && !band.min_inclusive))
          fail("band_gap", where, "values between " + prev.interval() + " and " + band.interval() +
                                      " earn no points: bands must meet (list them from low to high)");
        if (*band.min < *prev.max || (prev.max_inclusive && band.min_inclusive))
          fail("band_overlap", where, "the band " + band.interval() + " overlaps " + prev.interval() +
                                          ": a shared bound is included on one side only");
      }
      best = std::max(best, band.points);
      c.bands.push_back(band);
    }
    if (best != c.max)
      fail("max_unreachable", at, "no band gives the criterion's max " + c.max.text() + " (the best gives " + best.text() + ")");
  }

  void linear(const json& j, const std::string& at, ScoreCriterion& c) const {
    if (!j.is_object()) fail("bad_scoring", at, "\"linear\" is {\"per\": n, \"points\": p, \"cap\": c}");
    only_keys(j, at, {"per", "points", "cap", "from", "whole_units"});
    Linear l;
    if (!j.contains("per") || !j.contains("points"))
      fail("bad_scoring", at, "\"linear\" gives \"points\" for every \"per\" units of the value");
    l.per = number(j["per"], at + "/per", 6);
    l.points = number(j["points"], at + "/points", 6);
    if (l.per.micros <= 0) fail("bad_scoring", at + "/per", "\"per\" must be above 0");
    if (l.points.micros <= 0) fail("bad_scoring", at + "/points", "\"points\" must be above 0");
    l.cap = j.contains("cap") ? points(j["cap"], at + "/cap") : c.max;
    if (l.cap > c.max) fail("bad_scoring", at + "/cap", "the cap " + l.cap.text() + " exceeds the criterion's max " + c.max.text());
    if (l.cap < c.max)
      fail("max_unreachable", at + "/cap", "the cap " + l.cap.text() + " keeps the criterion below its max " + c.max.text());
    if (j.contains("from")) l.from = number(j["from"], at + "/from", 6);
    if (j.contains("whole_units")) {
      if (!j["whole_units"].is_boolean()) fail("bad_scoring", at + "/whole_units", "\"whole_units\" is true or false");
      l.whole_units = j["whole_units"].get<bool>();
    }
    c.linear = l;
  }

  void experts(const json& j, Scoring& s) const {
    if (!j.is_object()) fail("bad_scoring", "/experts", "\"experts\" is an object");
    only_keys(j, "/experts", {"description", "field", "combine", "trim_when_at_least", "trim", "scale"});
    ExpertRule& e = s.experts;
    if (j.contains("field")) {
      if (!j["field"].is_string() || j["field"].get<std::string>().empty())
        fail("bad_scoring", "/experts/field", "\"field\" names where the list of scores is, e.g. \"expert_scores\"");
      e.path.clear();
      e.pointer.clear();
      std::string f = j["field"].get<std::string>();
      for (std::size_t start = 0;;) {
        std::size_t dot = f.find('.', start);
        e.path.push_back(f.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        e.pointer += "/" + e.path.back();
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
    }
    if (j.contains("combine")) {
      std::string name = j["combine"].is_string() ? j["combine"].get<std::string>() : "";
      if (name == "trimmed_mean") e.combine = Combine::trimmed_mean;
      else if (name == "mean") e.combine = Combine::mean;
      else if (name == "median") e.combine = Combine::median;
      else fail("bad_scoring", "/experts/combine", "\"combine\" is \"trimmed_mean\", \"mean\" or \"median\"");
    }
    auto count = [&](const char* key, int low) {
      const json& v = j[key];
      if (!v.is_number_integer() || v.get<std::int64_t>() < low || v.get<std::int64_t>() > 1000)
        fail("bad_scoring", std::string("/experts/") + key, std::string("\"") + key + "\" is a whole number from " + std::to_string(low));
      return static_cast<int>(v.get<std::int64_t>());
    };
    if (j.contains("trim")) e.trim = count("trim", 1);
    if (j.contains("trim_when_at_least")) e.trim_when_at_least = count("trim_when_at_least", 1);
    if (e.combine == Combine::trimmed_mean && e.trim_when_at_least <= 2 * e.trim)
      fail("bad_scoring", "/experts/trim_when_at_least",
           "dropping " + std::to_string(e.trim) + " highest and lowest needs more than " + std::to_string(2 * e.trim) + " scores");
    if (j.contains("scale")) {
      e.scale = points(j["scale"], "/experts/scale");
      if (e.scale.micros <= 0) fail("bad_scoring", "/experts/scale", "the experts' scale must be above 0");
    }
  }

  void blend(const json& j, Scoring& s) const {
    if (!j.is_object() || !j.contains("objective") || !j.contains("expert"))
      fail("bad_scoring", "/blend", "\"blend\" is {\"objective\": w, \"expert\": 1 - w}");
    only_keys(j, "/blend", {"description", "objective", "expert"});
    s.weight_objective = number(j["objective"], "/blend/objective", 6);
    s.weight_expert = number(j["expert"], "/blend/expert", 6);
    if (s.weight_objective.micros < 0 || s.weight_expert.micros < 0 ||
        s.weight_objective.micros + s.weight_expert.micros != Decimal::kOne)
      fail("bad_blend", "/blend", "the weights are at least 0 and add up to 1, not " +
                                      Decimal{s.weight_objective.micros + s.weight_expert.micros}.text());
  }

  void tie_breaks(const json& j, Scoring& s) const {
    if (!j.is_array() || j.empty()) fail("bad_tie_break", "/tie_breaks", "\"tie_breaks\" is a non-empty list such as [\"final desc\", \"application asc\"]");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < j.size(); ++i) {
      std::string at = "/tie_breaks/" + std::to_string(i);
      std::istringstream words(j[i].is_string() ? j[i].get<std::string>() : "");
      std::string key, dir, extra;
      words >> key >> dir >> extra;
      if (key.empty() || (dir != "asc" && dir != "desc") || !extra.empty())
        fail("bad_tie_break", at, "a tie-break is \"<key> asc\" or \"<key> desc\", not " + j[i].dump());
      TieBreak t;
      t.text = key + " " + dir;
      t.descending = dir == "desc";
      static const std::pair<const char*, TieBreak::Key> named[] = {
          {"final", TieBreak::Key::final},          {"objective", TieBreak::Key::objective},
          {"expert", TieBreak::Key::expert},        {"application", TieBreak::Key::application},
          {"institution", TieBreak::Key::institution}, {"occupation", TieBreak::Key::occupation},
          {"source", TieBreak::Key::source}};
      t.key = TieBreak::Key::field;
      for (const auto& [name, k] : named)
        if (key == name) t.key = k;
      if (t.key == TieBreak::Key::field) t.pointer = field_pointer(key, at);
      if (i == 0 && t.text != "final desc")
        fail("bad_tie_break", at, "the ranking starts with \"final desc\" (the final score, highest first)");
      if (!seen.insert(key).second) fail("bad_tie_break", at, "\"" + key + "\" is listed twice");
      s.tie_breaks.push_back(t);
    }
  }

  // A tie-break on a form field reads the value a rule recorded as evidence, so the field
  // must be declared and read by some rule.
  std::string field_pointer(const std::string& dotted, const std::string& at) const {
    const Field* f = &pack_.schema.fields();
    std::string pointer;
    for (std::size_t start = 0;;) {
      std::size_t dot = dotted.find('.', start);
      std::string step = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (f && f->type == Field::Type::object) {
        auto it = f->properties.find(step);
        if (it == f->properties.end())
          fail("bad_tie_break", at, "\"" + dotted + "\" is neither a score key (final, objective, expert, application, "
                                    "institution, occupation, source) nor a field of the form");
        f = &it->second;
      } else if (f && f->type != Field::Type::any) {
        fail("bad_tie_break", at, "\"" + dotted + "\" does not name a single field of the form");
      }
      pointer += "/" + step;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (f && (f->type == Field::Type::object || f->type == Field::Type::array || f->type == Field::Type::map))
      fail("bad_tie_break", at, "\"" + dotted + "\" is a group of fields; a tie-break compares one value");
    if (!read_by_a_rule(dotted))
      fail("bad_tie_break", at, "no rule reads \"" + dotted + "\", so decisions carry no evidence of it to compare");
    return pointer;
  }

  bool read_by_a_rule(const std::string& dotted) const {
    std::function<bool(const Node&)> reads = [&](const Node& n) {
      if (n.op == Op::var && n.text == dotted) return true;
      for (const Node& a : n.args)
        if (reads(a)) return true;
      return false;
    };
    for (const Rule& r : pack_.rules) {
      if (r.condition && reads(r.condition->root())) return true;
      if (r.applies_when && reads(r.applies_when->root())) return true;
      for (const RuleItem& item : r.items)
        if (item.condition && reads(item.condition->root())) return true;
    }
    return false;
  }

  const PackData& pack_;
  std::string file_;
};

// ------------------------------------------------------------------------------ scoring

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

// Points for a linear criterion, in hundredths: exact rational arithmetic, rounded once.
std::int64_t linear_cents(const Linear& l, Decimal value) {
  Wide above = static_cast<Wide>(value.micros) - l.from.micros;
  if (above <= 0) return 0;
  std::int64_t cents;
  if (l.whole_units) {
    Wide units = above / l.per.micros;
    cents = round_div(units * l.points.micros, Decimal::kCent);
  } else {
    cents = round_div(above * l.points.micros, static_cast<Wide>(l.per.micros) * Decimal::kCent);
  }
  return std::min(cents, l.cap.cents());
}

struct Scored {
  std::int64_t cents = 0;
  Message why;
};

// `explain` false: the points alone, on the evaluator's fast paths, and no sentence.
Scored score_criterion(const ScoreCriterion& c, Evaluator& ev, const Value& root, bool explain) {
  const Message& t = c.title;
  auto zero = [&](std::string_view zh, std::string_view en) {
    if (!explain) return Scored{};
    const std::string max = c.max.text();
    return Scored{0, {concat({t.zh, "：", zh, "，得0分（满分", max, "分）"}), concat({t.en, ": ", en, ": 0 of ", max, " points"})}};
  };
  Value v;
  try {
    // The value on the evaluator's fast paths; only when fields are missing, again
    // explaining, for their names (same result, steps and count of missing fields).
    ev.clear();
    ev.set_explaining(false);
    v = ev.run(c.value->root(), root);
    if (!ev.missing().empty()) {
      if (!explain) return Scored{};
      ev.clear();
      ev.set_explaining(true);
      v = ev.run(c.value->root(), root);
    }
  } catch (const EvalError& e) {
    return zero(concat({"无法计算（", e.message, "）"}), concat({"cannot be computed (", e.message, ")"}));
  } catch (const Error& e) {
    return zero(concat({"无法计算（", e.reason(), "）"}), concat({"cannot be computed (", e.reason(), ")"}));
  }
  if (!ev.missing().empty()) {
    std::vector<std::string> fields;
    for (const std::string& m : ev.missing())
      if (std::find(fields.begin(), fields.end(), m) == fields.end()) fields.push_back(m);
    return zero("缺少 " + join(fields, "、"), "missing " + join(fields, ", "));
  }
  double x = v.is_null() ? 0.0 : to_number(v);
  if (!std::isfinite(x)) {
    std::string text = to_js_string(v);
    return zero(concat({"取值“", text, "”不是数字"}), concat({"the value \"", text, "\" is not a number"}));
  }
  const Decimal exact = Decimal::from_double(x);
  const Band* band = nullptr;
  std::int64_t cents = 0;
  if (c.linear) {
    cents = linear_cents(*c.linear, exact);
  } else {
    for (const Band& b : c.bands)
      if (b.contains(exact)) {
        band = &b;
        cents = b.points.cents();
        break;
      }
  }
  if (!explain) return Scored{cents, {}};

  // A number with the criterion's unit: "2400人次" and "2400 trainees".
  std::string_view space = c.unit.en.empty() ? "" : " ";
  const std::string max = c.max.text();
  const std::string value = exact.text();
  if (c.linear) {
    const Linear& l = *c.linear;
    std::string pts = cents_text(cents), per = l.per.text(), each = l.points.text(), cap = l.cap.text();
    std::string from = l.from.micros ? l.from.text() : std::string();
    std::string zh = l.from.micros ? concat({"超过", from, c.unit.zh, "的部分"}) : std::string();
    std::string en = l.from.micros ? concat({" above ", from, space, c.unit.en}) : std::string();
    return {cents,
            {concat({t.zh, "：", value, c.unit.zh, "，", zh, l.whole_units ? "每满" : "每", per, c.unit.zh, "得", each,
                     "分（最高", cap, "分），得", pts, "分（满分", max, "分）"}),
             concat({t.en, ": ", value, space, c.unit.en, "; ", each, " per ", l.whole_units ? "full " : "", per, space,
                     c.unit.en, en, ", at most ", cap, ": ", pts, " of ", max, " points"})}};
  }
  if (band) {
    std::string pts = cents_text(cents);
    if (band->label)
      return {cents,
              {concat({t.zh, "：", band->label->zh, "（取值", value, c.unit.zh, "），得", pts, "分（满分", max, "分）"}),
               concat({t.en, ": ", band->label->en, " (value ", value, space, c.unit.en, "): ", pts, " of ", max, " points"})}};
    std::string interval = band->interval();
    return {cents,
            {concat({t.zh, "：", value, c.unit.zh, "，在区间", interval, "内，得", pts, "分（满分", max, "分）"}),
             concat({t.en, ": ", value, space, c.unit.en, ", in ", interval, ": ", pts, " of ", max, " points"})}};
  }
  return zero(concat({value, c.unit.zh, "不在评分表的任何区间内"}), concat({value, space, c.unit.en, " is in no band of the table"}));
}

// The experts' combined score in hundredths of the rubric's total, with its explanation.
struct ExpertResult {
  std::int64_t cents = 0;
  Message how;
  std::vector<Decimal> dropped;
};

ExpertResult combine_experts(const Scoring& s, std::vector<Decimal> scores, bool explain) {
  const ExpertRule& e = s.experts;
  std::vector<std::string> shown;
  if (explain)
    for (Decimal d : scores) shown.push_back(d.text());
  std::sort(scores.begin(), scores.end());
  ExpertResult r;
  Wide num = 0, den = 1;
  std::size_t lo = 0, hi = scores.size();
  if (e.combine == Combine::median) {
    std::size_t m = scores.size();
    num = m % 2 ? static_cast<Wide>(scores[m / 2].micros) : static_cast<Wide>(scores[m / 2 - 1].micros) + scores[m / 2].micros;
    den = m % 2 ? 1 : 2;
  } else {
    if (e.combine == Combine::trimmed_mean && static_cast<int>(scores.size()) >= e.trim_when_at_least) {
      lo = static_cast<std::size_t>(e.trim);
      hi -= static_cast<std::size_t>(e.trim);
      r.dropped.assign(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(lo));
      r.dropped.insert(r.dropped.end(), scores.begin() + static_cast<std::ptrdiff_t>(hi), scores.end());
    }
    for (std::size_t i = lo; i < hi; ++i) num += scores[i].micros;
    den = static_cast<Wide>(hi - lo);
  }
  // Rescaled from the experts' scale to the rubric's total, then rounded once.
  r.cents = round_div(num * s.total.micros, den * e.scale.micros * Decimal::kCent);
  if (!explain) return r;

  std::string n = std::to_string(scores.size());
  std::string zh = "专家评分" + n + "个（" + join(shown, "、") + "）";
  std::string en = n + " expert score" + (scores.size() == 1 ? "" : "s") + " (" + join(shown, ", ") + ")";
  if (e.combine == Combine::median) {
    zh += "，取中位数";
    en += "; the median is ";
  } else {
    if (lo > 0) {
      std::vector<std::string> low, high;
      for (std::size_t i = 0; i < lo; ++i) low.push_back(scores[i].text());
      for (std::size_t i = hi; i < scores.size(); ++i) high.push_back(scores[i].text());
      if (e.trim == 1) {
        zh += "，去掉最高分" + high[0] + "和最低分" + low[0] + "后";
        en += "; without the highest " + high[0] + " and the lowest " + low[0] + ", ";
      } else {
        zh += "，去掉最高的" + std::to_string(e.trim) + "个（" + join(high, "、") + "）和最低的" +
              std::to_string(e.trim) + "个（" + join(low, "、") + "）后";
        en += "; without the " + std::to_string(e.trim) + " highest (" + join(high, ", ") + ") and the " +
              std::to_string(e.trim) + " lowest (" + join(low, ", ") + "), ";
      }
    } else {
      zh += "，";
      en += "; ";
    }
    zh += "平均";
    en += "the mean is ";
  }
  std::string value = cents_text(r.cents);
  zh += value + "分";
  en += value;
  if (e.scale != s.total) {
    zh += "（由" + e.scale.text() + "分制折算为" + s.total.text() + "分制）";
    en += " (rescaled from " + e.scale.text() + " to " + s.total.text() + ")";
  }
  r.how = {zh, en};
  return r;
}

}  // namespace

std::shared_ptr<const Scoring> compile_scoring(const PackData& pack) { return RubricCompiler(pack).compile(); }

void score_application(const Scoring& s, const PackData& pack, const Value& root, Decision& d, Arena& temp,
                       bool explain) {
  // Its own buffers: the rules' Evaluator still holds theirs.
  thread_local Evaluator::Buffers t_buffers;
  Evaluator ev(pack.environment, temp, pack.limits, explain, &t_buffers);
  ev.skip_reads();  // the explanations name missing fields, not the values read
  Score score;
  score.max = s.total.to_double();
  score.criteria.reserve(s.criteria.size());
  std::int64_t objective = 0;
  for (const ScoreCriterion& c : s.criteria) {
    Scored r = score_criterion(c, ev, root, explain);
    objective += r.cents;
    score.criteria.push_back({c.id, Decimal::from_cents(r.cents).to_double(), c.max.to_double(), std::move(r.why)});
  }
  score.objective = Decimal::from_cents(objective).to_double();
  std::int64_t final_cents = objective;

  // The experts' scores: a list of numbers on the experts' scale, or nothing yet.
  const Value* list = &root;
  for (const std::string& step : s.experts.path) {
    list = list->find(step);
    if (!list) break;
  }
  if (list && !list->is_null() && !(list->is_array() && list->size() == 0)) {
    std::vector<Decimal> scores;
    std::string bad;
    if (!list->is_array()) {
      bad = s.experts.pointer;
    } else {
      scores.reserve(list->size());
      for (std::size_t i = 0; i < list->size() && bad.empty(); ++i) {
        const Value& v = (*list)[i];
        Decimal x = v.is_number() && std::isfinite(v.as_number()) ? Decimal::from_double(v.as_number()) : Decimal{-1};
        if (x.micros < 0 || x > s.experts.scale) bad = s.experts.pointer + "/" + std::to_string(i);
        scores.push_back(x);
      }
    }
    // Screening keeps the finding and its outcome, like the rules' findings, without words.
    Finding& f = d.findings.emplace_back();
    f.rule = "score.experts";
    f.clause = "4.2";
    f.severity = Severity::info;
    if (explain) {
      f.pointer = s.experts.pointer;
      EvidenceAccess::set(f.evidence, s.experts.pointer, *list);
    }
    std::string objective_text = explain ? cents_text(objective) : std::string();
    if (!bad.empty()) {
      std::string scale = s.experts.scale.text();
      f.outcome = Outcome::fail;
      if (explain)
        f.message = {"专家评分无法使用：" + bad + " 应是0到" + scale + "之间的数字；综合得分取客观分" + objective_text,
                     "The expert scores cannot be used: " + bad + " should be a number from 0 to " + scale +
                         "; the final score is the objective score " + objective_text};
    } else {
      ExpertResult e = combine_experts(s, std::move(scores), explain);
      score.expert = Decimal::from_cents(e.cents).to_double();
      final_cents = round_div(static_cast<Wide>(objective) * s.weight_objective.micros +
                                  static_cast<Wide>(e.cents) * s.weight_expert.micros,
                              Decimal::kOne);
      f.outcome = Outcome::pass;
      if (explain) {
        std::string wo = s.weight_objective.text(), we = s.weight_expert.text();
        std::string expert_text = cents_text(e.cents), final_text = cents_text(final_cents);
        f.message = {e.how.zh + "；综合得分 = 客观分" + objective_text + " × " + wo + " + 专家分" + expert_text + " × " +
                         we + " = " + final_text,
                     e.how.en + "; final = objective " + objective_text + " × " + wo + " + experts " + expert_text +
                         " × " + we + " = " + final_text};
        nlohmann::json dropped = nlohmann::json::array();
        for (Decimal x : e.dropped) dropped.push_back(x.to_double());
        f.evidence.set("dropped", dropped);
        f.evidence.set("expert", score.expert.value());
        f.evidence.set("objective", score.objective.value());
        f.evidence.set("final", Decimal::from_cents(final_cents).to_double());
      }
    }
  }
  score.total = Decimal::from_cents(final_cents).to_double();
  d.score = std::move(score);
}

}  // namespace qualify::detail
