// qualify: `RulePack::lint`, what `qualify check` reports about a pack that loads but is
// not fit to publish: rules without a clause, messages in one language, rules that can
// never apply, parameters never used (found at load, in pack_load.cpp).
#include "qualify/detail/evaluator.hpp"
#include "qualify/detail/pack_data.hpp"
#include "qualify/error.hpp"
#include "qualify/pack.hpp"

namespace qualify {
namespace {

// True when the expression reads nothing of the application nor of the day, so its value
// is fixed when the pack is written.
bool is_constant(const detail::Node& n) {
  using detail::Op;
  switch (n.op) {
    case Op::var:
    case Op::var_dynamic:
    case Op::missing:
    case Op::missing_some:
    case Op::as_of:
      return false;
    default:
      for (const auto& a : n.args)
        if (!is_constant(a)) return false;
      return true;
  }
}

// JsonLogic's truthiness of a result: null, false, 0, "" and [] are false.
bool truthy(const nlohmann::json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string() || v.is_array()) return !v.empty();
  return true;
}

// An `applies_when` that is false whatever the application: a literal false, an `and` with
// a literal false part, or a constant expression such as {"==": [{"param": "x"}, "y"]} once
// its parameter is set.
bool never_true(const Expression& e, const Environment& env) {
  const detail::Node& root = e.root();
  if (root.op == detail::Op::literal) return !detail::truthy(root.literal);
  if (root.op == detail::Op::and_)
    for (const auto& part : root.args)
      if (part.op == detail::Op::literal && !detail::truthy(part.literal)) return true;
  if (!is_constant(root)) return false;
  try {
    return !truthy(e.apply(nlohmann::json(), env));
  } catch (const Error&) {
    return false;  // a constant that fails to evaluate is reported when the rule runs
  }
}

}  // namespace

std::vector<LintMessage> RulePack::lint() const {
  std::vector<LintMessage> out = impl_->lint;
  for (const auto& r : impl_->rules) {
    if (r.clause.empty())
      out.push_back({"error", "missing_clause", r.file, r.json_pointer, "rule \"" + r.id + "\" cites no clause of the notice"});
    if (r.title.zh.empty() || r.title.en.empty())
      out.push_back({"error", "missing_language", r.file, r.json_pointer + "/title", "rule \"" + r.id + "\" needs a title in both zh and en"});
    for (const auto* m : {&r.messages.pass, &r.messages.fail, &r.messages.unknown, &r.messages.not_applicable})
      if (*m && ((*m)->zh.empty() || (*m)->en.empty()))
        out.push_back({"error", "missing_language", r.file, r.json_pointer + "/messages", "rule \"" + r.id + "\" has a message without both zh and en"});
    if (r.applies_when && never_true(*r.applies_when, impl_->environment))
      out.push_back({"error", "unreachable_rule", r.file, r.json_pointer + "/applies_when", "rule \"" + r.id + "\" never applies: applies_when is always false"});
  }
  return out;
}

}  // namespace qualify
