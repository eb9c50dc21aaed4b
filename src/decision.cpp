// Decisions as JSON (the Decision JSON of DESIGN.md) and back.
#include "qualify/decision.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "qualify/detail/decision_walk.hpp"
#include "qualify/detail/json_text.hpp"
#include "qualify/error.hpp"

namespace qualify {

std::string_view to_string(Outcome o) noexcept {
  switch (o) {
    case Outcome::pass: return "pass";
    case Outcome::fail: return "fail";
    case Outcome::unknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(Severity s) noexcept {
  switch (s) {
    case Severity::hard: return "hard";
    case Severity::soft: return "soft";
    case Severity::info: return "info";
  }
  return "hard";
}

std::string_view to_string(Status s) noexcept {
  switch (s) {
    case Status::eligible: return "eligible";
    case Status::needs_review: return "needs_review";
    case Status::ineligible: return "ineligible";
  }
  return "needs_review";
}

std::optional<Outcome> outcome_from_string(std::string_view s) noexcept {
  if (s == "pass") return Outcome::pass;
  if (s == "fail") return Outcome::fail;
  if (s == "unknown") return Outcome::unknown;
  return std::nullopt;
}

std::optional<Severity> severity_from_string(std::string_view s) noexcept {
  if (s == "hard") return Severity::hard;
  if (s == "soft") return Severity::soft;
  if (s == "info") return Severity::info;
  return std::nullopt;
}

std::optional<Status> status_from_string(std::string_view s) noexcept {
  if (s == "eligible") return Status::eligible;
  if (s == "needs_review") return Status::needs_review;
  if (s == "ineligible") return Status::ineligible;
  return std::nullopt;
}

namespace detail {

void append_json_string_checked(std::string& out, std::string_view s) {
  // Most texts of a decision (keys, ids, pointers) are ASCII: only the others need the check.
  unsigned char high = 0;
  for (char c : s) high |= static_cast<unsigned char>(c);
  if (high >= 0x80 && !simdjson::validate_utf8(s.data(), s.size())) {
    out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  append_json_string(out, s);
}

}  // namespace detail

std::size_t Evidence::find_slot(std::string_view key) const noexcept {
  std::size_t lo = 0, hi = slots_.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if ((*this)[mid].key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void Evidence::file(const Slot& s) {
  recorded_ = true;
  const std::string_view key = std::string_view(text_).substr(s.key_at, s.key_size);
  // A rule mostly reads a list's items in order, and their pointers mostly sort in order:
  // past the last key, the entry goes at the end.
  if (goes_last(key)) {
    slots_.push_back(s);
    return;
  }
  const std::size_t i = find_slot(key);
  // The key's earlier value stays in the buffer, unreferenced: replacing is rare.
  if (i < size() && (*this)[i].key == key) slots_[i] = s;
  else slots_.insert(slots_.begin() + static_cast<std::ptrdiff_t>(i), s);
}

void Evidence::set(std::string_view key, const nlohmann::json& value) {
  put(key, [&](std::string& out) { out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); });
}

std::optional<nlohmann::json> Evidence::find(std::string_view key) const {
  const std::size_t i = index_of(key);
  if (i == size()) return std::nullopt;
  return (*this)[i].value();
}

nlohmann::json Evidence::to_json() const {
  if (!recorded_) return nullptr;
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < size(); ++i) out[std::string((*this)[i].key)] = (*this)[i].value();
  return out;
}

Evidence Evidence::from_json(const nlohmann::json& j) {
  if (j.is_null()) return {};
  if (!j.is_object()) throw Error("bad_decision", "", "", "evidence is an object or null");
  Evidence e = object();
  for (const auto& [key, value] : j.items()) e.set(key, value);
  return e;
}

bool operator==(const Evidence& a, const Evidence& b) noexcept {
  if (a.recorded_ != b.recorded_ || a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].key != b[i].key || a[i].json_text != b[i].json_text) return false;
  return true;
}

namespace {

using detail::decision_points;

nlohmann::json message_json(const Message& m) { return {{"zh", m.zh}, {"en", m.en}}; }

Message message_from(const nlohmann::json& j) {
  return {j.value("zh", std::string()), j.value("en", std::string())};
}

[[noreturn]] void bad(const std::string& pointer, const std::string& reason) {
  throw Error("bad_decision", "", pointer, reason);
}

// Writes the text nlohmann::json::dump(indent, ' ', false, replace) would give for the
// JSON of a decision, without building that JSON first: a CLI run spent more time there
// than evaluating. walk_decision gives the keys in nlohmann's sorted order; strings are
// escaped as nlohmann escapes them; doubles and text that is not UTF-8 are written by
// nlohmann itself. tests/cpp/pack_test.cpp compares the two on many decisions.
class JsonWriter {
 public:
  JsonWriter(std::string& out, int indent) : out_(out), indent_(indent) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  void key(std::string_view k) {
    next_entry();
    string_text(k);
    out_ += indent_ >= 0 ? ": " : ":";
    after_key_ = true;
  }

  void string(std::string_view s) {
    value_start();
    string_text(s);
  }
  void null() { value_start(); out_ += "null"; }
  void boolean(bool b) { value_start(); out_ += b ? "true" : "false"; }
  // Any nlohmann value (evidence, points), written as nlohmann writes it at this depth.
  void json(const nlohmann::json& j) {
    switch (j.type()) {
      case nlohmann::json::value_t::null: return null();
      case nlohmann::json::value_t::boolean: return boolean(j.get<bool>());
      case nlohmann::json::value_t::string: return string(j.get_ref<const std::string&>());
      case nlohmann::json::value_t::number_integer:
        value_start();
        out_ += std::to_string(j.get<std::int64_t>());
        return;
      case nlohmann::json::value_t::number_unsigned:
        value_start();
        out_ += std::to_string(j.get<std::uint64_t>());
        return;
      case nlohmann::json::value_t::object:
        begin_object();
        for (const auto& [k, v] : j.items()) {
          key(k);
          json(v);
        }
        return end_object();
      case nlohmann::json::value_t::array:
        begin_array();
        for (const nlohmann::json& v : j) json(v);
        return end_array();
      default:  // a double (nlohmann's shortest round-trip digits), or binary
        value_start();
        out_ += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  // A value kept as one line of JSON text (evidence): as it is, unless a list or object
  // must be laid out over lines.
  void json_text(std::string_view text) {
    if (indent_ >= 0 && !text.empty() && (text.front() == '[' || text.front() == '{')) return json(nlohmann::json::parse(text));
    value_start();
    out_ += text;
  }

 private:
  void open(char c) {
    value_start();
    out_ += c;
    ++depth_;
    first_ = true;
  }
  void close(char c) {
    --depth_;
    if (!first_ && indent_ >= 0) {
      out_ += '\n';
      out_.append(depth_ * static_cast<std::size_t>(indent_), ' ');
    }
    out_ += c;
    first_ = false;
  }
  // Before a key, or a value in a list: the separator and, when pretty, a new line.
  void next_entry() {
    if (!first_) out_ += ',';
    if (indent_ >= 0) {
      out_ += '\n';
      out_.append(depth_ * static_cast<std::size_t>(indent_), ' ');
    }
    first_ = false;
  }
  void value_start() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ > 0) next_entry();
  }

  void string_text(std::string_view s) { detail::append_json_string_checked(out_, s); }

  std::string& out_;
  int indent_;
  std::size_t depth_ = 0;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace

std::string Decision::to_json_text(int indent) const {
  std::string out;
  out.reserve(1024 + findings.size() * 512);
  JsonWriter w(out, indent);
  detail::walk_decision(*this, w);
  return out;
}

nlohmann::json Decision::to_json() const {
  nlohmann::json j;
  if (!source.empty()) j["source"] = source;
  j["application"] = application.empty() ? nlohmann::json(nullptr) : nlohmann::json(application);
  j["institution"] = institution.empty() ? nlohmann::json(nullptr) : nlohmann::json(institution);
  j["occupation"] = occupation.empty() ? nlohmann::json(nullptr) : nlohmann::json(occupation);
  j["pack"] = {{"id", pack.id}, {"version", pack.version}, {"sha256", pack.sha256}};
  j["as_of"] = as_of ? nlohmann::json(as_of->iso()) : nlohmann::json(nullptr);
  j["status"] = std::string(to_string(status));
  j["missing"] = missing;
  nlohmann::json fs = nlohmann::json::array();
  for (const Finding& f : findings) {
    nlohmann::json fj = {{"rule", f.rule},
                         {"clause", f.clause},
                         {"outcome", std::string(to_string(f.outcome))},
                         {"severity", std::string(to_string(f.severity))},
                         {"message", message_json(f.message)},
                         {"pointer", f.pointer},
                         {"evidence", f.evidence.to_json()}};
    if (!f.error.empty()) fj["error"] = f.error;
    fs.push_back(std::move(fj));
  }
  j["findings"] = std::move(fs);
  if (score) {
    nlohmann::json criteria = nlohmann::json::array();
    for (const Criterion& c : score->criteria)
      criteria.push_back({{"id", c.id}, {"points", decision_points(c.points)}, {"max", decision_points(c.max)}, {"why", message_json(c.why)}});
    j["score"] = {{"total", decision_points(score->total)}, {"max", decision_points(score->max)}, {"criteria", criteria}};
    if (score->objective) j["score"]["objective"] = decision_points(*score->objective);
    if (score->expert) j["score"]["expert"] = decision_points(*score->expert);
  } else {
    j["score"] = nullptr;
  }
  nlohmann::json dj;
  dj["deadline_met"] = dates.deadline_met ? nlohmann::json(*dates.deadline_met) : nlohmann::json(nullptr);
  dj["validity"] = dates.validity ? nlohmann::json{{"from", dates.validity->from.iso()}, {"until", dates.validity->until.iso()}}
                                  : nlohmann::json(nullptr);
  j["dates"] = dj;
  if (error) j["error"] = {{"code", error->first}, {"message", error->second}};
  return j;
}

Decision Decision::from_json(const nlohmann::json& j) {
  if (!j.is_object()) bad("", "a decision is a JSON object");
  Decision d;
  try {
    d.source = j.value("source", std::string());
    if (j.contains("application") && j["application"].is_string()) d.application = j["application"].get<std::string>();
    if (j.contains("institution") && j["institution"].is_string()) d.institution = j["institution"].get<std::string>();
    if (j.contains("occupation") && j["occupation"].is_string()) d.occupation = j["occupation"].get<std::string>();
    if (auto p = j.find("pack"); p != j.end() && p->is_object())
      d.pack = {p->value("id", std::string()), p->value("version", std::string()), p->value("sha256", std::string())};
    if (auto a = j.find("as_of"); a != j.end() && a->is_string()) d.as_of = Date::parse(a->get<std::string>());
    auto status = status_from_string(j.value("status", std::string()));
    if (!status) bad("/status", "unknown status");
    d.status = *status;
    if (auto m = j.find("missing"); m != j.end() && m->is_array()) d.missing = m->get<std::vector<std::string>>();
    if (auto fs = j.find("findings"); fs != j.end() && fs->is_array()) {
      for (std::size_t i = 0; i < fs->size(); ++i) {
        const auto& fj = (*fs)[i];
        Finding f;
        // The store of kept names has a limit (too_many_names): say which finding reached it.
        auto keep = [&](const char* key) {
          try {
            return intern(fj.value(key, std::string()));
          } catch (const Error& e) {
            throw Error(e.code(), "", "/findings/" + std::to_string(i) + "/" + key, e.reason());
          }
        };
        f.rule = keep("rule");
        f.clause = keep("clause");
        auto o = outcome_from_string(fj.value("outcome", std::string()));
        auto s = severity_from_string(fj.value("severity", std::string()));
        if (!o || !s) bad("/findings/" + std::to_string(i), "unknown outcome or severity");
        f.outcome = *o;
        f.severity = *s;
        if (fj.contains("message")) f.message = message_from(fj["message"]);
        f.pointer = fj.value("pointer", std::string());
        if (auto ev = fj.find("evidence"); ev == fj.end()) f.evidence = Evidence::object();
        else if (ev->is_object() || ev->is_null()) f.evidence = Evidence::from_json(*ev);
        else bad("/findings/" + std::to_string(i) + "/evidence", "evidence is an object or null");
        f.error = fj.value("error", std::string());
        d.findings.push_back(std::move(f));
      }
    }
    if (auto sc = j.find("score"); sc != j.end() && sc->is_object()) {
      Score s;
      s.total = sc->value("total", 0.0);
      s.max = sc->value("max", 100.0);
      if (sc->contains("objective")) s.objective = (*sc)["objective"].get<double>();
      if (sc->contains("expert")) s.expert = (*sc)["expert"].get<double>();
      for (const auto& c : sc->value("criteria", nlohmann::json::array()))
        s.criteria.push_back({c.value("id", std::string()), c.value("points", 0.0), c.value("max", 0.0),
                              message_from(c.value("why", nlohmann::json::object()))});
      d.score = s;
    }
    if (auto dj = j.find("dates"); dj != j.end() && dj->is_object()) {
      if (auto m = dj->find("deadline_met"); m != dj->end() && m->is_boolean()) d.dates.deadline_met = m->get<bool>();
      if (auto v = dj->find("validity"); v != dj->end() && v->is_object()) {
        auto from = Date::parse(v->value("from", std::string()));
        auto until = Date::parse(v->value("until", std::string()));
        if (from && until) d.dates.validity = Validity{*from, *until};
      }
    }
    if (auto e = j.find("error"); e != j.end() && e->is_object())
      d.error = std::make_pair(e->value("code", std::string()), e->value("message", std::string()));
  } catch (const nlohmann::json::exception& e) {
    bad("", std::string("malformed decision: ") + e.what());
  }
  return d;
}

}  // namespace qualify
