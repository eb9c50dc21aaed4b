// Evaluating an application: schema checks, then every rule in dependency order with
// three-valued outcomes, each finding explained from the values it read.
#include <algorithm>
#include <atomic>
#include <iterator>  // back_inserter
#include <optional>
#include <thread>

#include "qualify/detail/document_access.hpp"
#include "qualify/detail/evaluator.hpp"
#include "qualify/detail/evidence_access.hpp"
#include "qualify/detail/pack_data.hpp"
#include "qualify/detail/scoring.hpp"
#include "qualify/error.hpp"
#include "qualify/pack.hpp"

namespace qualify {

namespace detail {
namespace {

struct RuleResult {
  Outcome outcome = Outcome::unknown;
  bool applicable = true;
  std::string error;
};

// A value as it reads inside a sentence.
std::string format_value(const Value& v, bool zh) {
  switch (v.kind()) {
    case Kind::null:
      return zh ? "（无）" : "(none)";
    case Kind::boolean:
      return v.as_bool() ? (zh ? "是" : "yes") : (zh ? "否" : "no");
    case Kind::array: {
      std::string out;
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += zh ? "、" : ", ";
        out += format_value(v[i], zh);
      }
      return out;
    }
    case Kind::object:
      return to_json(v).dump();
    default:
      return to_js_string(v);
  }
}

// `text` with each "{name}" that `find(name)` knows (a non-null std::string*) replaced,
// written in `out`.
template <class Find>
const std::string& fill(std::string& out, const std::string& text, Find&& find) {
  out.clear();
  std::string_view t = text;
  std::size_t i = 0;
  while (i < t.size()) {
    std::size_t open = t.find('{', i);
    if (open == std::string_view::npos) {
      out.append(t.substr(i));
      break;
    }
    out.append(t.substr(i, open - i));
    std::size_t close = t.find('}', open);
    if (close != std::string_view::npos) {
      if (const std::string* value = find(t.substr(open + 1, close - open - 1))) {
        out += *value;
        i = close + 1;
        continue;
      }
    }
    out += '{';
    i = open + 1;
  }
  return out;
}

// A rule's named value for its messages, worded in each language only when a message uses it.
struct Named {
  std::string_view name;
  Value value;
  bool failed = false;  // its evaluation threw: shown as "?"
  std::optional<std::string> zh, en;

  const std::string& text(bool in_zh) {
    std::optional<std::string>& t = in_zh ? zh : en;
    if (!t) t = failed ? std::string("?") : format_value(value, in_zh);
    return *t;
  }
};

Message default_message(const Rule& rule, const RuleResult& r) {
  const Message& t = rule.title;
  if (!r.applicable) return {"不适用：" + t.zh, "Not applicable: " + t.en};
  switch (r.outcome) {
    case Outcome::pass:
      return {"符合：" + t.zh, "Met: " + t.en};
    case Outcome::fail:
      return {"不符合：" + t.zh, "Not met: " + t.en};
    case Outcome::unknown:
      if (!r.error.empty()) return {"无法判断（{error}）：" + t.zh, "Cannot decide ({error}): " + t.en};
      return {"无法判断，缺少：{missing}：" + t.zh, "Cannot decide, missing {missing}: " + t.en};
  }
  return t;
}

// How many parts of a composite rule passed, failed and could not be decided.
struct Tally {
  int pass = 0, fail = 0, unknown = 0;
  void add(Outcome o) { (o == Outcome::pass ? pass : o == Outcome::fail ? fail : unknown)++; }
};

Outcome combine(Body body, int at_least, Tally parts) {
  const auto [pass, fail, unknown] = parts;
  switch (body) {
    case Body::all:
      return fail ? Outcome::fail : unknown ? Outcome::unknown : Outcome::pass;
    case Body::any:
      return pass ? Outcome::pass : unknown ? Outcome::unknown : Outcome::fail;
    case Body::none:
      return pass ? Outcome::fail : unknown ? Outcome::unknown : Outcome::pass;
    case Body::at_least:
      return pass >= at_least ? Outcome::pass : pass + unknown < at_least ? Outcome::fail : Outcome::unknown;
    default:
      return Outcome::unknown;
  }
}

Outcome outcome_of(const Value& v, const Evaluator& ev) {
  if (!ev.missing().empty()) return Outcome::unknown;
  return truthy(v) ? Outcome::pass : Outcome::fail;
}

class RuleRunner {
 public:
  RuleRunner(const PackData& pack, const EvaluateOptions& options) : env_(pack.environment) {
    env_.as_of = options.as_of;
  }

  RuleResult run(const Rule& rule, const Value& root, const std::vector<Outcome>& done, Evaluator& ev) {
    RuleResult r;
    ev.clear();
    try {
      if (rule.applies_when) {
        Value a = ev.run(rule.applies_when->root(), root);
        if (ev.missing().empty() && !truthy(a)) {
          r.applicable = false;
          r.outcome = Outcome::pass;
          return r;
        }
        if (!ev.missing().empty()) {
          r.outcome = Outcome::unknown;
          return r;
        }
      }
      if (rule.body == Body::condition) {
        Value v = ev.run(rule.condition->root(), root);
        r.outcome = outcome_of(v, ev);
        return r;
      }
      Tally parts;
      for (const RuleItem& item : rule.items) {
        if (item.rule >= 0) {
          parts.add(done[static_cast<std::size_t>(item.rule)]);
        } else {
          std::size_t before = ev.missing().size();
          Value v = ev.run(item.condition->root(), root);
          parts.add(ev.missing().size() > before ? Outcome::unknown : truthy(v) ? Outcome::pass : Outcome::fail);
        }
      }
      r.outcome = combine(rule.body, rule.at_least, parts);
    } catch (const EvalError& e) {
      r.outcome = Outcome::unknown;
      r.error = e.message;
    } catch (const Error& e) {
      r.outcome = Outcome::unknown;
      r.error = e.reason();
    }
    return r;
  }

  Environment env_;
};

// An application parsed a while ago is out of cache, and a tree interpreter asks for its
// values one at a time, each waiting for memory. This asks for them all at once, so that
// the rules then find them in cache. A document evaluate(text) has just parsed is in cache
// already.
//
// A parsed document's values and texts lie in one block (Document::parse sizes it for
// them): asked for line by line, in order, the first 64 KiB. That costs a fraction of
// walking the tree (a tenth of the 27 rules' time in cache) and leaves the hardware one
// stream to fetch. Otherwise (a document built from nlohmann JSON grows several blocks) the
// walk asks for the first three levels (member lists, items and keys) level by level, not
// the texts: at most kMaxNodes containers a level, the first kMaxEntries entries and 1 KiB
// of each.
void prefetch_document(const Document& doc) noexcept {
  if (DocumentAccess::just_parsed(doc)) return;
  if (const std::basic_string_view<std::byte> block = DocumentAccess::span(doc); !block.empty()) {
    const char* p = reinterpret_cast<const char*>(block.data());
    for (std::size_t at = 0; at < std::min<std::size_t>(block.size(), 64 * 1024); at += 64) __builtin_prefetch(p + at);
    return;
  }
  const Value& root = doc.root();
  constexpr std::size_t kMaxNodes = 128, kLevels = 3, kMaxEntries = 64;
  auto lines = [](const void* p, std::size_t bytes) {
    const char* c = static_cast<const char*>(p);
    for (std::size_t off = 0; off < std::min<std::size_t>(bytes, 1024); off += 64) __builtin_prefetch(c + off);
  };
  const Value* level[kMaxNodes];
  const Value* below[kMaxNodes];
  std::size_t n = 0, m = 0;
  auto visit = [&](const Value& v) {
    if (v.is_object()) lines(v.members(), v.size() * sizeof(Member));
    else if (v.is_array()) lines(v.begin(), v.size() * sizeof(Value));
    if ((v.is_object() || v.is_array()) && v.size() && m < kMaxNodes) below[m++] = &v;
  };
  visit(root);
  for (std::size_t depth = 0; depth < kLevels && m; ++depth) {
    std::copy(below, below + m, level);
    n = m;
    m = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const Value& v = *level[i];
      std::size_t entries = std::min(v.size(), kMaxEntries);
      if (v.is_object()) {
        for (const Member* p = v.members(); p != v.members() + entries; ++p) {
          __builtin_prefetch(p->key.data());
          visit(p->value);
        }
      } else {
        for (const Value* item = v.begin(); item != v.begin() + entries; ++item) visit(*item);
      }
    }
  }
}

Status aggregate(const std::vector<Finding>& findings) {
  bool review = false;
  for (const Finding& f : findings) {
    if (f.severity == Severity::info) continue;
    if (f.outcome == Outcome::fail && f.severity == Severity::hard) return Status::ineligible;
    if (f.outcome == Outcome::unknown || f.outcome == Outcome::fail) review = true;
  }
  return review ? Status::needs_review : Status::eligible;
}

std::optional<Date> date_at(const Value& root, const std::string& dotted) {
  Value cur = root;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = dotted.find('.', start);
    const Value* next = cur.find(std::string_view(dotted).substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (!next) return std::nullopt;
    cur = *next;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (!cur.is_string()) return std::nullopt;
  return Date::parse(cur.as_string());
}

void add_date_facts(const PackData& pack, const Value& root, Decision& d) {
  const DateSettings& s = pack.dates;
  try {
    if (s.deadline) {
      if (auto submitted = date_at(root, s.deadline_field)) {
        Date last = *s.deadline;
        // Outside the calendar this throws: the fact stays unknown rather than guessed.
        if (s.deadline_extends_past_rest_days) last = pack.calendar.next_working_day_on_or_after(last);
        d.dates.deadline_met = *submitted <= last;
      }
    }
    if (s.validity_years || s.validity_months) {
      if (auto approved = date_at(root, s.validity_from_field)) {
        Date until = add_months(*approved, s.validity_years * 12 + s.validity_months, s.validity_end);
        d.dates.validity = Validity{*approved, until};
      }
    }
  } catch (const Error&) {
    // An application date the calendar cannot place leaves the fact unknown; the rules say why.
  }
}

}  // namespace

}  // namespace detail

Decision RulePack::evaluate(const Document& application, const EvaluateOptions& options) const {
  using namespace detail;
  const PackData& pack = *impl_;
  Decision d;
  d.pack = pack.info;
  d.as_of = options.as_of;
  if (!application.ok()) {
    d.error = std::make_pair(application.error_code(), application.error_message());
    Finding f;
    f.rule = "input.readable";
    f.clause = "form";
    f.outcome = Outcome::unknown;
    f.severity = Severity::hard;
    f.message = {"无法读取申报材料（" + application.error_code() + "）：" + application.error_message(),
                 "The application cannot be read (" + application.error_code() + "): " + application.error_message()};
    f.evidence = Evidence::object();
    d.findings.push_back(std::move(f));
    d.status = Status::needs_review;
    return d;
  }
  const Value& root = application.root();
  prefetch_document(application);
  if (const Value* id = root.find("id"); id && id->is_string()) d.application = std::string(id->as_string());
  if (const Value* occ = root.find("occupation"); occ && occ->is_string()) d.occupation = std::string(occ->as_string());
  if (const Value* org = root.find("organization"))
    if (const Value* uscc = org->find("uscc"); uscc && uscc->is_string()) d.institution = std::string(uscc->as_string());
  // A decision's findings, and below their messages and evidence, are allocated at the size
  // they end with, built first in buffers the thread keeps: a batch keeps every decision it
  // returns, and the slack of a reservation is memory it holds too (on a VM whose first touch
  // of a page costs microseconds, that time showed as much as the evaluation's own).
  thread_local std::vector<Finding> t_form;
  t_form.clear();
  pack.schema.validate(root, t_form, DocumentAccess::utf8_checked(application));
  d.findings.reserve(t_form.size() + pack.rules.size() + 1);  // + scoring's experts finding
  std::move(t_form.begin(), t_form.end(), std::back_inserter(d.findings));

  thread_local Arena temp;
  temp.reset();
  thread_local std::vector<Named> t_named;  // kept from rule to rule for its capacity
  RuleRunner runner(pack, options);
  thread_local Evaluator::Buffers t_buffers;
  Evaluator ev(runner.env_, temp, pack.limits, options.explain, &t_buffers);
  std::vector<Outcome> done(pack.rules.size(), Outcome::unknown);
  thread_local Evidence t_evidence;
  thread_local std::string t_message;
  for (std::size_t i = 0; i < pack.rules.size(); ++i) {
    const Rule& rule = pack.rules[i];
    RuleResult r = runner.run(rule, root, done, ev);
    done[i] = r.outcome;
    // Built in place: a Finding is eight members to move and destroy.
    Finding& f = d.findings.emplace_back();
    f.rule = rule.kept_id;
    f.clause = rule.kept_clause;
    f.outcome = r.outcome;
    f.severity = rule.severity;
    f.error = r.error;
    if (options.explain) {
      Evidence& evidence = t_evidence;
      EvidenceAccess::clear(evidence);
      // What the rule read: the values below only add to the end of these lists.
      const std::size_t n_reads = ev.reads().size(), n_missing = ev.missing().size();
      std::vector<Named>& named = t_named;
      named.clear();
      // The named values' own reads and missing fields are not shown: run them plainly.
      ev.set_explaining(false);
      for (const auto& [name, expr] : rule.values) {
        Named& n = named.emplace_back();
        n.name = name;
        try {
          n.value = ev.run(expr.root(), root);
        } catch (const EvalError&) {
          n.failed = true;
        } catch (const Error&) {
          n.failed = true;
        }
      }
      ev.set_explaining(true);
      std::span<const Read> reads = ev.reads();
      const std::vector<std::string>& missing = ev.missing();
      for (std::size_t k = 0; k < n_reads; ++k) {
        const Read& read = reads[k];
        const Value& v = read.value;
        // A list or object read whole shows its size, unless it is a short list of plain
        // values: the fields a rule read inside it are listed by their own pointers.
        if (v.is_array() && (v.size() > 12 || std::any_of(v.begin(), v.end(), [](const Value& e) {
                               return e.is_array() || e.is_object();
                             })))
          EvidenceAccess::set_size(evidence, read.pointer, "items", v.size());
        else if (v.is_object()) EvidenceAccess::set_size(evidence, read.pointer, "fields", v.size());
        else EvidenceAccess::set(evidence, read.pointer, v);
      }
      for (const Named& n : named)
        if (!n.failed) EvidenceAccess::set_if_absent(evidence, n.name, n.value);
      if (!r.applicable) evidence.set("applicable", false);
      f.evidence = evidence;  // a copy of its size
      std::string missing_list;
      for (std::size_t k = 0; k < n_missing; ++k) {
        const std::string& m = missing[k];
        if (std::find(missing.begin(), missing.begin() + static_cast<std::ptrdiff_t>(k), m) !=
            missing.begin() + static_cast<std::ptrdiff_t>(k))
          continue;  // listed already
        missing_list += (missing_list.empty() ? "" : ", ") + m;
        if (r.outcome == Outcome::unknown &&
            std::find(d.missing.begin(), d.missing.end(), m) == d.missing.end())
          d.missing.push_back(m);
      }
      f.pointer = !rule.pointer.empty() ? rule.pointer
                  : n_reads > 0         ? reads.front().pointer
                  : n_missing > 0       ? missing.front()
                                        : std::string();
      const std::optional<Message>& chosen = !r.applicable ? rule.messages.not_applicable
                                             : r.outcome == Outcome::pass ? rule.messages.pass
                                             : r.outcome == Outcome::fail ? rule.messages.fail
                                                                          : rule.messages.unknown;
      Message fallback;
      const Message* m = &fallback;
      if (chosen && (r.outcome != Outcome::unknown || r.error.empty())) m = &*chosen;
      else fallback = default_message(rule, r);
      // "missing" and "error" win over values of the same name.
      auto find = [&](bool in_zh) {
        return [&, in_zh](std::string_view name) -> const std::string* {
          if (name == "missing") return &missing_list;
          if (name == "error") return &r.error;
          for (Named& n : named)
            if (n.name == name) return &n.text(in_zh);
          return nullptr;
        };
      };
      f.message.zh = fill(t_message, m->zh, find(true));  // copies of their size
      f.message.en = fill(t_message, m->en, find(false));
    }
  }
  if (options.explain) {
    // A rule that read a huge text leaves these buffers huge: not kept for the thread's life.
    constexpr std::size_t kKept = std::size_t{1} << 20;
    if (t_message.capacity() > kKept) t_message = std::string();
    EvidenceAccess::release_if_over(t_evidence, kKept);
  }
  d.status = aggregate(d.findings);
  add_date_facts(pack, root, d);
  if (pack.scoring_model) detail::score_application(*pack.scoring_model, pack, root, d, temp, options.explain);
  return d;
}

namespace {

// evaluate(text): the document lives only for this call, so its values go in a block kept
// by the thread (unless a huge document made it too big to keep).
Decision evaluate_text(const RulePack& pack, std::string_view text, bool padded, const EvaluateOptions& options) {
  thread_local detail::Arena text_arena(64 * 1024);
  Decision d = pack.evaluate(detail::DocumentAccess::parse(text, pack.limits(), &text_arena, padded), options);
  if (text_arena.bytes_reserved() > (std::size_t{4} << 20)) text_arena = detail::Arena(64 * 1024);
  return d;
}

}  // namespace

Decision RulePack::evaluate(std::string_view json_text, const EvaluateOptions& options) const {
  return evaluate_text(*this, json_text, false, options);
}

Decision RulePack::evaluate(const std::string& json_text, const EvaluateOptions& options) const {
  return evaluate_text(*this, json_text, detail::DocumentAccess::padded(json_text), options);
}

Decision RulePack::evaluate(const nlohmann::json& application, const EvaluateOptions& options) const {
  return evaluate(Document::from_json(application, impl_->limits), options);
}

std::vector<Outcome> RulePack::outcomes(const Document& application, const EvaluateOptions& options) const {
  using namespace detail;
  const PackData& pack = *impl_;
  std::vector<Outcome> done(pack.rules.size(), Outcome::unknown);
  if (!application.ok()) return done;
  prefetch_document(application);
  thread_local Arena temp;
  temp.reset();
  EvaluateOptions quiet = options;
  quiet.explain = false;
  RuleRunner runner(pack, quiet);
  thread_local Evaluator::Buffers t_buffers;
  Evaluator ev(runner.env_, temp, pack.limits, false, &t_buffers);
  for (std::size_t i = 0; i < pack.rules.size(); ++i) done[i] = runner.run(pack.rules[i], application.root(), done, ev).outcome;
  return done;
}

namespace {

template <class Input, class Fn>
std::vector<Decision> run_parallel(std::span<const Input> inputs, unsigned threads, Fn evaluate_one) {
  std::vector<Decision> out(inputs.size());
  unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  n = std::min<unsigned>(n, static_cast<unsigned>(std::max<std::size_t>(inputs.size(), 1)));
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < inputs.size();) out[i] = evaluate_one(inputs[i]);
  };
  if (n <= 1) {
    worker();
    return out;
  }
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return out;
}

}  // namespace

std::vector<Decision> RulePack::evaluate_many(std::span<const std::string> json_texts, unsigned threads,
                                              const EvaluateOptions& options) const {
  return run_parallel(json_texts, threads, [&](const std::string& text) { return evaluate(text, options); });
}

std::vector<Decision> RulePack::evaluate_many(std::span<const Document> applications, unsigned threads,
                                              const EvaluateOptions& options) const {
  return run_parallel(applications, threads, [&](const Document& doc) { return evaluate(doc, options); });
}

Validity RulePack::validity(Date approved) const {
  const auto& s = impl_->dates;
  int months = s.validity_years * 12 + s.validity_months;
  if (months == 0) months = 36;
  return {approved, add_months(approved, months, s.validity_end)};
}

Date RulePack::publicity_end(Date start, int days) const { return impl_->calendar.workdays_end(start, days); }

nlohmann::json RulePack::apply(const nlohmann::json& logic, const nlohmann::json& data, std::optional<Date> as_of) const {
  CompileOptions options;
  options.limits = impl_->limits;
  options.parameters = &impl_->parameter_values;
  Environment env = impl_->environment;
  env.as_of = as_of;
  return Expression::compile(logic, options).apply(data, env);
}

nlohmann::json RulePack::json_schema() const { return impl_->schema.json_schema(); }

}  // namespace qualify
