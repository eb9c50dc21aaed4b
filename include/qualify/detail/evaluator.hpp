// qualify: the evaluator of compiled expressions, with three-valued bookkeeping.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "qualify/detail/arena.hpp"
#include "qualify/detail/node.hpp"
#include "qualify/detail/value.hpp"
#include "qualify/expression.hpp"
#include "qualify/limits.hpp"

namespace qualify::detail {

// Thrown inside evaluation for a runtime failure; the rule engine turns it into an
// `unknown` finding, `Expression::apply` into ExpressionError.
struct EvalError {
  std::string code;
  std::string message;
};

// One value a rule read, by JSON Pointer (only recorded when explaining).
struct Read {
  std::string pointer;
  Value value;
  std::uint64_t hash = 0;  // of the pointer, to tell reads apart quickly
};

// Evaluates nodes against one document. A `var` that finds nothing (and has no default)
// is recorded in `missing`; `and`, `or` and the quantifiers drop those records when the
// result did not depend on them (Kleene logic), so a non-empty `missing` after evaluation
// means the result is unknown. Not thread-safe: one Evaluator per thread.
class Evaluator {
  struct Scope;

 public:
  /// What an Evaluator can keep between evaluations on a thread: its scope stack and the
  /// values it read, with the capacity of their pointers' strings (explaining builds a
  /// pointer for each read). Taken when an Evaluator is made with it and given back when
  /// that Evaluator ends, so one made while another holds them starts without.
  struct Buffers {
    std::vector<Scope> scopes;
    std::vector<Read> reads;
  };

  Evaluator(const Environment& env, Arena& temp, const Limits& limits, bool explain, Buffers* kept = nullptr)
      : env_(env),
        temp_(temp),
        max_steps_(limits.max_steps),
        max_value_depth_(limits.max_data_depth + limits.max_expression_depth),
        explain_(explain),
        kept_(kept) {
    if (kept_) {
      scopes_.swap(kept_->scopes);
      reads_.swap(kept_->reads);
    }
    if (scopes_.capacity() < 8) scopes_.reserve(8);  // one small block, not a regrowth (and moved scopes) per call
  }
  ~Evaluator() {
    if (kept_) {
      scopes_.swap(kept_->scopes);
      reads_.swap(kept_->reads);
    }
  }
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  /// Evaluates `node` with `data` as the root scope, whose pointer is `prefix`.
  Value run(const Node& node, const Value& data, std::string_view prefix = {});

  /// Starts a fresh account of steps, missing fields and reads (kept: the arena).
  void clear() {
    steps_ = 0;
    check_at_ = std::min<std::uint64_t>(max_steps_, kCheckEvery);
    missing_.clear();
    n_reads_ = 0;
  }

  const std::vector<std::string>& missing() const noexcept { return missing_; }
  std::span<const Read> reads() const noexcept { return {reads_.data(), n_reads_}; }
  /// Turns the bookkeeping of pointers and reads off or on between runs; results, steps and
  /// the number of missing fields are the same either way.
  void set_explaining(bool on) noexcept { explain_ = on; }
  /// When explaining only for the pointers of missing fields (scoring): keep no reads.
  void skip_reads() noexcept { record_reads_ = false; }
  bool explaining() const noexcept { return explain_; }

  Value eval(const Node& node);

 private:
  struct Scope {
    Value data;
    std::string prefix;      // JSON Pointer of `data` (explaining only)
    bool located = false;    // prefix names a place in the document (not a computed value)
    bool reduce = false;     // data is {current, accumulator}
    std::string current_prefix;
    bool current_located = false;
  };

  struct Lookup {
    Value value;
    bool found;
    bool located;  // the pointer built on the way names a place in the document
  };

  // The scope stack. Scopes above the top are kept, so their strings keep their buffers.
  Scope& push() {
    if (depth_ == scopes_.size()) scopes_.emplace_back();
    Scope& s = scopes_[depth_++];
    s.data = Value();
    s.reduce = false;
    if (explain_) {  // only explaining reads the pointers
      s.prefix.clear();
      s.located = false;
      s.current_prefix.clear();
      s.current_located = false;
    }
    return s;
  }
  void pop() noexcept { --depth_; }
  const Scope& top() const noexcept { return scopes_[depth_ - 1]; }
  // Enters `item` of a list; `base` is the list's pointer when explaining, else nullptr.
  // Inline: a loop enters a scope per item, and only explaining needs the pointer.
  void push_scope(const Value& item, const std::string* base, std::size_t i) {
    Scope& scope = push();
    scope.data = item;
    if (base) locate(scope, *base, i);
  }
  // Names the scope's place: item `i` of the list at `base`.
  void locate(Scope& scope, const std::string& base, std::size_t i);
  // What a `var` reads when not explaining (lookup() without pointers), or nullptr.
  const Value* find_path(const Scope& scope, const std::vector<PathStep>& path) const noexcept;
  Value eval_var(const Node& node);
  Value eval_var_quiet(const Node& node);
  Value eval_list(const Node& node);
  Value var_absent(const Node& node);
  // eval() handles literals and `var`s itself; eval_operator dispatches the others, by tail
  // calls, to a function per kind (the rare ones to eval_other), so that each frame stays small.
  Value eval_operator(const Node& node);
  Value eval_other(const Node& node);
  Value eval_logic(const Node& node);
  Value eval_if(const Node& node);
  Value eval_compare(const Node& node);
  Value eval_in(const Node& node);
  Value eval_truth(const Node& node);
  Value eval_add(const Node& node);
  Lookup lookup(const Scope& scope, const std::vector<PathStep>& path, std::string* pointer) const;
  Value eval_missing(const Node& node, bool some);
  Value eval_quantifier(const Node& node);
  Value eval_reduce(const Node& node);
  Value eval_aggregate(const Node& node);
  Value eval_extension(const Node& node);
  void spend(std::uint64_t steps);
  void checkpoint();
  [[noreturn]] void over_budget() const;
  void note_read(const std::string& pointer, const Value& v);

  const Environment& env_;
  Arena& temp_;
  std::uint64_t max_steps_;
  std::size_t max_value_depth_;  // deepest value `reduce` may build (data + expression depth)
  std::uint64_t steps_ = 0;
  // Steps are counted by the weight of what is evaluated (Node::weight): a run spends its
  // expression's, and each item of a loop its body's, whichever branches are taken. spend()
  // only counts; every kCheckEvery steps (and at the budget) checkpoint() adds the work the
  // helpers noted and checks the budget.
  static constexpr std::uint64_t kCheckEvery = 32;
  std::uint64_t check_at_ = 0;
  bool explain_;
  Buffers* kept_;
  bool record_reads_ = true;
  std::vector<Scope> scopes_;
  std::size_t depth_ = 0;  // scopes in use
  std::vector<std::string> missing_;
  std::vector<Read> reads_;  // the first n_reads_; the rest keep their buffers for the next rule
  std::size_t n_reads_ = 0;
  std::string last_pointer_;  // pointer of the last `var` result (explaining only)
  bool last_located_ = false;
};

// JavaScript's coercions, as JsonLogic uses them.
// Inline: every condition, quantifier and `if` asks it.
inline bool truthy(const Value& v) noexcept {
  switch (v.kind()) {
    case Kind::null:
      return false;
    case Kind::boolean:
      return v.as_bool();
    case Kind::number:
      return v.as_number() != 0 && !std::isnan(v.as_number());
    case Kind::string:
      return v.size() != 0;
    case Kind::array:
      return v.size() != 0;  // JsonLogic: an empty array is falsy
    case Kind::object:
    case Kind::date:
      return true;
  }
  return false;
}
double to_number(const Value& v);
std::string to_js_string(const Value& v);

}  // namespace qualify::detail
