// Evaluating compiled expressions: JsonLogic's JavaScript semantics (truthiness, loose
// equality, coercions), qualify's extension operators, and Kleene bookkeeping of unknowns.
#include <algorithm>
#include <charconv>  // to_chars
#include <cmath>
#include <cstdlib>  // strtod
#include <cstring>  // memmem

#include "qualify/calendar.hpp"
#include "qualify/detail/evaluator.hpp"
#include "qualify/detail/validators.hpp"
#include "qualify/error.hpp"

namespace qualify::detail {

namespace {

// Bytes of text (and list items) the helpers below went through since the evaluator's last
// checkpoint. Evaluator::checkpoint() folds them into the step count, so work on big values,
// not only the number of operators, counts against the budget: a rule cannot double a string
// forty times or scan a 16 MB text a million times. Per thread, like the Evaluator.
thread_local std::uint64_t t_work = 0;
constexpr std::uint64_t kWorkPerStep = 16;

}  // namespace

// ---------------------------------------------------------------- JavaScript coercions

namespace {

void append_js_string(const Value& v, std::string& out, bool in_array) {
  switch (v.kind()) {
    case Kind::null:
      if (!in_array) out += "null";
      return;
    case Kind::boolean:
      out += v.as_bool() ? "true" : "false";
      return;
    case Kind::number:
      out += js_number_to_string(v.as_number());
      return;
    case Kind::string:
      t_work += v.size();
      out += v.as_string();
      return;
    case Kind::date:
      out += iso_from_days(v.as_date());
      return;
    case Kind::array:
      t_work += v.size();
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ',';
        append_js_string(v[i], out, true);
      }
      return;
    case Kind::object:
      out += "[object Object]";
      return;
  }
}

// ECMAScript StringToNumber: surrounding white space ignored, "" is 0, else a decimal
// literal (or Infinity, or 0x/0o/0b integers); anything else is NaN.
double string_to_number(std::string_view s) {
  t_work += s.size();
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  if (s.empty()) return 0;
  if (s.size() > 2 && s[0] == '0' && std::string_view("xob").find(static_cast<char>(s[1] | 0x20)) != std::string_view::npos) {
    int base = (s[1] | 0x20) == 'x' ? 16 : (s[1] | 0x20) == 'o' ? 8 : 2;
    double r = 0;
    for (char c : s.substr(2)) {
      int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : 99;
      if (d >= base) return std::nan("");
      r = r * base + d;
    }
    return r;
  }
  std::string_view body = s;
  if (body[0] == '+' || body[0] == '-') body.remove_prefix(1);
  if (body == "Infinity") return s[0] == '-' ? -INFINITY : INFINITY;
  // Only decimal literals: strtod would also take "nan", "inf" and hex floats.
  bool digits = false, only_digits = true;
  for (char c : body) {
    if (c >= '0' && c <= '9') digits = true;
    else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') return std::nan("");
    else only_digits = false;
  }
  if (!digits) return std::nan("");
  // Whole numbers of up to 15 digits (a year cut from a date) are exact without strtod.
  if (only_digits && body.size() <= 15) {
    std::int64_t n = 0;
    for (char c : body) n = n * 10 + (c - '0');
    return s[0] == '-' ? -static_cast<double>(n) : static_cast<double>(n);
  }
  std::string text(s);
  char* end = nullptr;
  double r = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nan("");
  return r;
}

// JavaScript's parseFloat: the longest decimal prefix after leading white space, else NaN.
double parse_float_text(const Value& v);

// Inline for numbers, what `+` and `*` add up almost always; parseFloat of text out of line.
[[gnu::always_inline]] inline double parse_float(const Value& v) {
  return v.is_number() ? v.as_number() : parse_float_text(v);
}

double parse_float_text(const Value& v) {
  std::string s = to_js_string(v);
  std::size_t i = s.find_first_not_of(" \t\n\r\v\f");
  if (i == std::string::npos) return std::nan("");
  std::string_view rest = std::string_view(s).substr(i);
  std::string_view sign_less = rest;
  if (!sign_less.empty() && (sign_less[0] == '+' || sign_less[0] == '-')) sign_less.remove_prefix(1);
  if (sign_less.substr(0, 8) == "Infinity") return rest[0] == '-' ? -INFINITY : INFINITY;
  if (sign_less.empty() || !((sign_less[0] >= '0' && sign_less[0] <= '9') || sign_less[0] == '.'))
    return std::nan("");
  std::string text(rest);
  char* end = nullptr;
  double r = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return std::nan("");
  return r;
}

std::optional<std::int32_t> as_date(const Value& v) {
  if (v.is_date()) return v.as_date();
  if (v.is_string())
    if (auto d = Date::parse(v.as_string())) return d->days();
  return std::nullopt;
}

// ToPrimitive for arrays and objects; other values are their own primitive.
bool is_primitive(const Value& v) { return !v.is_array() && !v.is_object(); }

// Inline: every ==, ===, != and !== asks it, most often of two texts or two booleans.
[[gnu::always_inline]] inline bool strict_equal(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::null:
      return true;
    case Kind::boolean:
      return a.as_bool() == b.as_bool();
    case Kind::number:
      return a.as_number() == b.as_number();
    case Kind::string:
      if (a.size() == b.size()) t_work += a.size();
      return value_detail::same_key(a.as_string(), b.as_string());  // inline, no call to memcmp
    case Kind::date:
      return a.as_date() == b.as_date();
    case Kind::array:
    case Kind::object:
      return a.same_storage(b);
  }
  return false;
}

// Values of one kind compare as strict_equal does, inline where this is called; the
// coercions of JavaScript's == are out of line.
bool loose_equal_coerced(const Value& a, const Value& b);

[[gnu::always_inline]] inline bool loose_equal(const Value& a, const Value& b) {
  if (a.kind() == b.kind()) return strict_equal(a, b);
  return loose_equal_coerced(a, b);
}

bool loose_equal_coerced(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return false;
  if (a.is_date() || b.is_date()) {
    auto da = as_date(a), db = as_date(b);
    if (da && db) return *da == *db;
    return to_js_string(a) == to_js_string(b);
  }
  if (a.is_bool()) return loose_equal(Value::number(a.as_bool() ? 1 : 0), b);
  if (b.is_bool()) return loose_equal(a, Value::number(b.as_bool() ? 1 : 0));
  if (a.is_number() && b.is_string()) return a.as_number() == string_to_number(b.as_string());
  if (a.is_string() && b.is_number()) return string_to_number(a.as_string()) == b.as_number();
  // One side is an array or object, the other a number or string: compare primitives.
  if (!is_primitive(a) && !is_primitive(b)) return false;
  std::string pa = to_js_string(a), pb = to_js_string(b);
  Value va = is_primitive(a) ? a : Value::string(pa);
  Value vb = is_primitive(b) ? b : Value::string(pb);
  return loose_equal(va, vb);
}

// JavaScript's a < b (or a <= b): strings compare as strings, everything else as numbers;
// qualify's dates compare as dates against dates or ISO text.
bool less(const Value& a, const Value& b, bool or_equal) {
  if (a.is_date() || b.is_date()) {
    auto da = as_date(a), db = as_date(b);
    if (!da || !db) return false;
    return or_equal ? *da <= *db : *da < *db;
  }
  bool a_text = a.is_string() || !is_primitive(a);
  bool b_text = b.is_string() || !is_primitive(b);
  if (a_text && b_text) {
    if (a.is_string() && b.is_string()) {
      t_work += std::min(a.size(), b.size());
      return or_equal ? a.as_string() <= b.as_string() : a.as_string() < b.as_string();
    }
    // A list or an object compares by its JavaScript text ("1,2", "[object Object]").
    std::string sa = to_js_string(a), sb = to_js_string(b);
    return or_equal ? sa <= sb : sa < sb;
  }
  double x = to_number(a), y = to_number(b);
  if (std::isnan(x) || std::isnan(y)) return false;
  return or_equal ? x <= y : x < y;
}

// Appends `key` to a JSON Pointer, escaped (RFC 6901), without a temporary string.
void append_token(std::string& pointer, std::string_view key) {
  std::size_t plain = 0;  // most keys need no escape: append them whole
  while (plain < key.size() && key[plain] != '~' && key[plain] != '/') ++plain;
  pointer.append(key.data(), plain);
  for (char c : key.substr(plain)) {
    if (c == '~') pointer += "~0";
    else if (c == '/') pointer += "~1";
    else pointer += c;
  }
}

// Appends "/i" to a JSON Pointer.
void append_index(std::string& pointer, std::size_t i) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, i);
  (void)ec;  // 24 digits hold any size_t
  pointer += '/';
  pointer.append(digits, end);
}

// The byte length of the code point that starts at s[i] (substr); invalid input counts
// byte by byte.
std::size_t code_point_length(std::string_view s, std::size_t i) noexcept {
  unsigned char c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  return std::min(len, s.size() - i);
}

// The byte offset `count` code points after byte offset `from` (or the end).
std::size_t skip_code_points(std::string_view s, std::size_t from, std::int64_t count) noexcept {
  for (; count > 0 && from < s.size(); --count) from += code_point_length(s, from);
  return from;
}

}  // namespace

std::string to_js_string(const Value& v) {
  std::string out;
  append_js_string(v, out, false);
  return out;
}

namespace {

// A value as text: a text where it is, anything else as its JavaScript text in `buffer`.
std::string_view text_of(const Value& v, std::string& buffer) {
  if (v.is_string()) return v.as_string();
  buffer = to_js_string(v);
  return buffer;
}

}  // namespace

double to_number(const Value& v) {
  switch (v.kind()) {
    case Kind::null:
      return 0;
    case Kind::boolean:
      return v.as_bool() ? 1 : 0;
    case Kind::number:
      return v.as_number();
    case Kind::string:
      return string_to_number(v.as_string());
    case Kind::array:
      return string_to_number(to_js_string(v));
    case Kind::object:
    case Kind::date:
      return std::nan("");
  }
  return std::nan("");
}

// ---------------------------------------------------------------- evaluator

// Inline: it runs once per run and per item of a loop, so it only counts; checkpoint() does
// the rest.
inline void Evaluator::spend(std::uint64_t steps) {
  steps_ += steps;
  if (steps_ > check_at_) [[unlikely]] checkpoint();
}

// Adds the work noted since the last checkpoint (a step per kWorkPerStep units) and checks
// the budget. A checkpoint falls at least every kCheckEvery steps, and whenever the steps
// spent pass the budget.
[[gnu::noinline]] void Evaluator::checkpoint() {
  steps_ += t_work / kWorkPerStep;
  t_work = 0;
  if (steps_ > max_steps_) over_budget();
  check_at_ = std::min(max_steps_, steps_ + kCheckEvery);
}

[[gnu::cold, gnu::noinline]] void Evaluator::over_budget() const {
  throw EvalError{"budget_exceeded", "evaluation took more than " + std::to_string(max_steps_) + " steps"};
}

void Evaluator::note_read(const std::string& pointer, const Value& v) {
  // Evidence stays small: a rule that reads a whole list shows the list's size.
  constexpr std::size_t kMaxReads = 64;
  if (n_reads_ >= kMaxReads) return;
  // Pointers of one rule often differ only in a list index: compare hashes first.
  std::uint64_t hash = pointer.size();  // eight bytes at a time; the tail zero-padded
  for (std::size_t i = 0; i < pointer.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, pointer.data() + i, std::min<std::size_t>(8, pointer.size() - i));
    hash = (hash ^ word) * 0x9E3779B97F4A7C15ull;
    hash ^= hash >> 29;
  }
  for (std::size_t i = 0; i < n_reads_; ++i)
    if (reads_[i].hash == hash && reads_[i].pointer == pointer) return;
  if (n_reads_ == reads_.size()) reads_.emplace_back();
  Read& r = reads_[n_reads_++];
  r.pointer.assign(pointer);
  r.value = v;
  r.hash = hash;
}

Value Evaluator::run(const Node& node, const Value& data, std::string_view prefix) {
  t_work = 0;
  depth_ = 0;
  Scope& root = push();
  root.data = data;
  if (!prefix.empty()) root.prefix.assign(prefix);  // push() left it empty
  root.located = true;
  // Every operator of the expression once, up front; loops add their bodies' per item.
  spend(node.weight);
  return eval(node);
}

namespace {

// The scan when the hint missed: finds `step`'s key and remembers where.
[[gnu::noinline]] const Value* scan_member(const Value& object, const PathStep& step) noexcept {
  for (std::uint32_t i = 0; i < object.size(); ++i)
    if (value_detail::same_key(object.members()[i].key, step.key)) {
      step.hint.at.store(i, std::memory_order_relaxed);
      return &object.members()[i].value;
    }
  return nullptr;
}

// The member of `object` that `step` names, tried first where this step found its key last
// time. Only a scan (a missed hint) goes through the members, so only a scan counts them as
// work.
[[gnu::always_inline]] inline const Value* find_member(const Value& object, const PathStep& step,
                                                       std::uint64_t& work) noexcept {
  std::uint32_t at = step.hint.at.load(std::memory_order_relaxed);
  if (at < object.size() && value_detail::same_key(object.members()[at].key, step.key))
    return &object.members()[at].value;
  work += object.size();
  return scan_member(object, step);
}

}  // namespace

Evaluator::Lookup Evaluator::lookup(const Scope& scope, const std::vector<PathStep>& path, std::string* pointer) const {
  Lookup r{scope.data, true, scope.located};
  std::size_t i = 0;
  if (pointer) *pointer = scope.prefix;
  if (scope.reduce && !path.empty()) {
    // {current, accumulator}: only `current` stands for a place in the document.
    if (path[0].reduce_slot < 0) return {Value(), false, false};
    r.value = scope.data.members()[path[0].reduce_slot].value;
    r.located = scope.current_located && path[0].reduce_slot == 0;  // `current`
    if (pointer) *pointer = scope.current_prefix;
    i = 1;
  }
  for (; i < path.size(); ++i) {
    const PathStep& step = path[i];
    // The pointer names the step that failed too: the first absent field.
    if (pointer) {
      *pointer += '/';
      append_token(*pointer, step.key);
    }
    if (r.value.is_object()) {
      std::uint64_t work = 0;
      const Value* v = find_member(r.value, step, work);
      t_work += work;
      if (!v) return {Value(), false, r.located};
      r.value = *v;
    } else if (r.value.is_array() && step.index >= 0 && static_cast<std::size_t>(step.index) < r.value.size()) {
      r.value = r.value[static_cast<std::size_t>(step.index)];
    } else {
      return {Value(), false, r.located};
    }
  }
  return r;
}

void Evaluator::locate(Scope& scope, const std::string& base, std::size_t i) {
  append_index(scope.prefix.assign(base), i);
  scope.located = true;
}

// lookup() without the bookkeeping of pointers: what a `var` reads when not explaining.
// Inlined where `var`s are evaluated, the most common node.
[[gnu::always_inline]] inline const Value* Evaluator::find_path(const Scope& scope,
                                                                const std::vector<PathStep>& path) const noexcept {
  const Value* v = &scope.data;
  const PathStep* step = path.data();
  const PathStep* end = step + path.size();  // by pointer: size() divides by sizeof(PathStep)
  if (scope.reduce && step != end) {  // the frame eval_reduce built: {current, accumulator}
    if (step->reduce_slot < 0) return nullptr;
    v = &scope.data.members()[step->reduce_slot].value;
    ++step;
  }
  std::uint64_t work = 0;  // as lookup() counts, added to t_work once
  for (; step != end; ++step) {
    if (v->is_object()) {
      v = find_member(*v, *step, work);
      if (!v) break;
    } else if (v->is_array() && step->index >= 0 && static_cast<std::size_t>(step->index) < v->size()) {
      v = &(*v)[static_cast<std::size_t>(step->index)];
    } else {
      v = nullptr;
      break;
    }
  }
  t_work += work;
  return v;
}

// A `var` that found nothing when not explaining: its default, else an unknown.
Value Evaluator::var_absent(const Node& node) {
  if (node.has_default) return node.args.empty() ? node.literal : eval(node.args[0]);
  missing_.emplace_back();
  return Value();
}

Value Evaluator::eval_var(const Node& node) {
  const Scope& scope = top();
  if (!explain_) {
    const Value* v = find_path(scope, node.path);
    return v ? *v : var_absent(node);
  }
  // Explaining: the pointer is built in last_pointer_, whose buffer is kept from var to var,
  // and stays there only when it names the place of a value found.
  std::string& pointer = last_pointer_;
  Lookup found = lookup(scope, node.path, &pointer);
  last_located_ = found.found && found.located;
  if (found.found) {
    if (found.located && !node.path.empty() && record_reads_) note_read(pointer, found.value);
    if (!last_located_) pointer.clear();
    return found.value;
  }
  if (node.has_default) {
    pointer.clear();
    return node.args.empty() ? node.literal : eval(node.args[0]);
  }
  // Where the place is unknown (an element of a computed list), name the path as written.
  missing_.push_back(found.located ? (pointer.empty() ? "/" : pointer) : node.text);
  pointer.clear();
  return Value();
}

// Explaining without reads (scoring): a found value needs no pointer, only an absent one
// does, for `missing`. Lists of quantifiers go through eval_list, which builds theirs.
Value Evaluator::eval_var_quiet(const Node& node) {
  std::uint64_t work = t_work;
  if (const Value* v = find_path(top(), node.path)) return *v;
  t_work = work;  // eval_var counts the same lookup again
  return eval_var(node);
}

Value Evaluator::eval_missing(const Node& node, bool some) {
  // `missing` asks about absence on purpose, so what it finds absent is not unknown.
  Value need;
  std::vector<Value> keys;
  auto collect = [&](const Value& v) {
    if (v.is_array())
      for (const Value& k : v) keys.push_back(k);
    else
      keys.push_back(v);
  };
  if (some) {
    need = eval(node.args[0]);
    collect(eval(node.args[1]));
  } else if (node.args.size() == 1) {
    collect(eval(node.args[0]));
  } else {
    for (const Node& a : node.args) keys.push_back(eval(a));
  }
  std::vector<Value> absent;
  for (const Value& key : keys) {
    spend(1);
    Lookup found = lookup(top(), split_path(to_js_string(key)), nullptr);
    const Value& v = found.value;
    if (!found.found || v.is_null() || (v.is_string() && v.size() == 0)) absent.push_back(key);
  }
  if (some && static_cast<double>(keys.size() - absent.size()) >= to_number(need)) absent.clear();
  Value* items = temp_.make_array<Value>(absent.size());
  std::copy(absent.begin(), absent.end(), items);
  return Value::array(items, absent.size());
}

Value Evaluator::eval_quantifier(const Node& node) {
  Value list = eval_list(node.args[0]);
  bool located = explain_ && node.args[0].op == Op::var && last_located_;
  std::string base = located ? last_pointer_ : std::string();
  std::size_t n = list.is_array() ? list.size() : 0;
  Value* out = (node.op == Op::map || node.op == Op::filter) ? temp_.make_array<Value>(n) : nullptr;
  std::size_t kept = 0;
  std::size_t entry = missing_.size();
  bool decided = false;   // a Kleene-decisive item was found (all: a sure false; some/none: a sure true)
  bool first_hit = false;
  const std::uint64_t per_item = 1 + node.args[1].weight;
  for (std::size_t i = 0; i < n; ++i) {
    spend(per_item);
    push_scope(list[i], located ? &base : nullptr, i);
    std::size_t mark = missing_.size();
    Value r = eval(node.args[1]);
    pop();
    bool sure = missing_.size() == mark;
    switch (node.op) {
      case Op::map:
        out[kept++] = r;
        break;
      case Op::filter:
        if (truthy(r)) out[kept++] = list[i];
        break;
      case Op::all:
        if (!truthy(r)) {
          first_hit = true;
          if (sure) decided = true;
        }
        break;
      default:  // some, none
        if (truthy(r)) {
          first_hit = true;
          if (sure) decided = true;
        }
        break;
    }
    if (decided) break;
  }
  switch (node.op) {
    case Op::map:
    case Op::filter:
      return Value::array(out, kept);
    case Op::all:
      if (decided) missing_.resize(entry);
      return Value::boolean(n > 0 && !first_hit);
    case Op::some:
      if (decided) missing_.resize(entry);
      return Value::boolean(first_hit);
    default:  // none
      if (decided) missing_.resize(entry);
      return Value::boolean(!first_hit);
  }
}

namespace {

// How deeply `v` nests (a scalar 0, [] 1, [[1]] 2), failing beyond `max` levels. `known`, the
// previous accumulator, counts as `known_depth` without being walked again, so a reduce that
// wraps its accumulator pays for the new level only. Only `reduce` carries a value from one
// step to the next, so only it can build a value nested without bound.
std::size_t nesting(const Value& v, const Value& known, std::size_t known_depth, std::size_t level,
                    std::size_t max) {
  if (!v.is_array() && !v.is_object()) return 0;
  std::size_t deepest = 0;
  if (v.kind() == known.kind() && v.same_storage(known)) {
    deepest = known_depth;
  } else if (level < max) {
    t_work += v.size();
    if (v.is_array()) {
      for (const Value& e : v) deepest = std::max(deepest, nesting(e, known, known_depth, level + 1, max));
    } else {
      for (const Member* m = v.members(); m != v.members_end(); ++m)
        deepest = std::max(deepest, nesting(m->value, known, known_depth, level + 1, max));
    }
    ++deepest;
  } else {
    deepest = max;  // one more level than allowed
  }
  if (level + deepest > max)
    throw EvalError{"too_deep", "reduce: the accumulator nests deeper than " + std::to_string(max) + " levels"};
  return deepest;
}

}  // namespace

Value Evaluator::eval_reduce(const Node& node) {
  Value list = eval_list(node.args[0]);
  bool located = explain_ && node.args[0].op == Op::var && last_located_;
  std::string base = located ? last_pointer_ : std::string();
  Value acc = node.args.size() > 2 ? eval(node.args[2]) : Value();
  if (!list.is_array()) return acc;
  // Each item spends one step and its body's weight, on every path below.
  const std::uint64_t per_item = 1 + node.args[1].weight;
  if (node.counts && acc.is_number()) {
    // What the loop below computes for {"+": [{"var": "accumulator"}, n]}, with the same
    // additions in the same order and the same steps per item.
    const Node& body = node.args[1];
    bool acc_first = is_accumulator_var(body.args[0]);
    double n = (acc_first ? body.args[1] : body.args[0]).literal.as_number();
    double a = acc.as_number();
    for (std::size_t i = 0; i < list.size(); ++i) {
      spend(per_item);
      double sum = 0;
      sum += acc_first ? a : n;
      sum += acc_first ? n : a;
      a = sum;
    }
    return Value::number(a);
  }
  std::size_t acc_depth = nesting(acc, Value(), 0, 0, max_value_depth_);
  if (node.sums && !explain_ && list.size() > 0) {
    // What the loop below computes for {"+": [{"var": "accumulator"}, x]} when x cannot read
    // the accumulator: the same additions in the same order and the same steps per item, in
    // one frame whose accumulator is never read.
    const Node& body = node.args[1];
    bool acc_first = is_accumulator_var(body.args[0]);
    const Node& x = body.args[acc_first ? 1 : 0];
    Member* frame = temp_.make_array<Member>(2);
    new (&frame[0]) Member{"current", Value()};
    new (&frame[1]) Member{"accumulator", Value()};
    double a = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      spend(per_item);
      frame[0].value = list[i];
      Scope& scope = push();
      scope.data = Value::object(frame, 2);
      scope.reduce = true;
      double sum = 0;
      if (acc_first) {
        sum += i ? a : parse_float(acc);
        sum += parse_float(eval(x));
      } else {
        sum += parse_float(eval(x));
        sum += i ? a : parse_float(acc);
      }
      pop();
      a = sum;
    }
    return Value::number(a);
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    spend(per_item);
    Member* frame = temp_.make_array<Member>(2);
    // In this order: PathStep::reduce_slot finds them by position.
    new (&frame[0]) Member{"current", list[i]};
    new (&frame[1]) Member{"accumulator", acc};
    Scope& scope = push();
    scope.data = Value::object(frame, 2);
    scope.reduce = true;
    if (located) {
      append_index(scope.current_prefix.assign(base), i);
      scope.current_located = true;
    }
    Value next = eval(node.args[1]);
    pop();
    acc_depth = next.is_array() || next.is_object() ? nesting(next, acc, acc_depth, 0, max_value_depth_) : 0;
    // Only reduce carries a value from one item to the next, so only here can the work grow
    // each time (a list merged with itself doubles): the work on a text or list built so is
    // counted against the budget at once, not at the next checkpoint. A number (the sums and
    // counts of the fast paths above) cannot grow so.
    if (next.is_string() || next.is_array() || next.is_object()) checkpoint();
    acc = next;
  }
  return acc;
}

Value Evaluator::eval_aggregate(const Node& node) {
  Value list = eval_list(node.args[0]);
  if (list.is_null()) return Value();  // a missing list: unknown already recorded
  bool located = explain_ && node.args[0].op == Op::var && last_located_;
  std::string base = located ? last_pointer_ : std::string();
  std::size_t n = list.is_array() ? list.size() : 0;
  const Node* body = node.args.size() > 1 ? &node.args[1] : nullptr;
  double total = 0;
  const std::uint64_t per_item = 1 + (body ? body->weight : 0);
  if (node.op == Op::count && !body) {
    spend(n);
    return Value::number(static_cast<double>(n));
  }
  for (std::size_t i = 0; i < n; ++i) {
    spend(per_item);
    Value item = list[i];
    if (body) {
      push_scope(list[i], located ? &base : nullptr, i);
      item = eval(*body);
      pop();
    }
    if (node.op == Op::count) total += truthy(item) ? 1 : 0;
    else total += to_number(item);
  }
  return Value::number(total);
}

Value Evaluator::eval_extension(const Node& node) {
  auto need_date = [&](const Value& v, const char* what) -> std::optional<std::int32_t> {
    if (v.is_null()) return std::nullopt;
    auto d = as_date(v);
    if (!d)
      throw EvalError{"invalid_date", std::string(what) + ": \"" + to_js_string(v) +
                                          "\" is not a date (YYYY-MM-DD)"};
    return d;
  };
  switch (node.op) {
    case Op::date: {
      auto d = need_date(eval(node.args[0]), "date");
      return d ? Value::date(*d) : Value();
    }
    case Op::add_days:
    case Op::add_months:
    case Op::add_years: {
      auto d = need_date(eval(node.args[0]), "add_days");
      Value n = eval(node.args[1]);
      if (!d || n.is_null()) return Value();
      double count = to_number(n);
      if (!std::isfinite(count) || count != std::floor(count) || std::fabs(count) > 1e6)
        throw EvalError{"invalid_argument", "the count must be a whole number, not \"" + to_js_string(n) + "\""};
      Date start = Date::from_days(*d);
      auto k = static_cast<std::int64_t>(count);
      auto rule = static_cast<PeriodEnd>(node.period_end);
      Date r = node.op == Op::add_days ? add_days(start, k)
               : node.op == Op::add_months ? add_months(start, k, rule)
                                           : add_years(start, k, rule);
      return Value::date(r.days());
    }
    case Op::days_between: {
      auto a = need_date(eval(node.args[0]), "days_between");
      auto b = need_date(eval(node.args[1]), "days_between");
      if (!a || !b) return Value();
      return Value::number(static_cast<double>(*b - *a));
    }
    case Op::workdays_end: {
      auto d = need_date(eval(node.args[0]), "workdays_end");
      Value n = eval(node.args[1]);
      if (!d || n.is_null()) return Value();
      if (!env_.calendar)
        throw EvalError{"no_calendar", "workdays_end needs a rule pack's holiday calendar"};
      double count = to_number(n);
      if (!std::isfinite(count) || count < 1 || count != std::floor(count) || count > 1e5)
        throw EvalError{"invalid_argument", "workdays_end needs a whole number of days >= 1"};
      return Value::date(env_.calendar->workdays_end(Date::from_days(*d), static_cast<std::int64_t>(count)).days());
    }
    case Op::chars: {
      Value v = eval(node.args[0]);
      if (v.is_null()) return Value();
      std::string js;
      std::string_view text = text_of(v, js);
      auto n = utf8_length(text);
      t_work += text.size();
      if (!n) throw EvalError{"invalid_utf8", "chars: the text is not valid UTF-8"};
      return Value::number(static_cast<double>(*n));
    }
    case Op::uscc_valid: {
      Value v = eval(node.args[0]);
      return Value::boolean(v.is_string() && uscc_valid(v.as_string()));
    }
    case Op::cn_id_valid: {
      Value v = eval(node.args[0]);
      return Value::boolean(v.is_string() && cn_id_valid(v.as_string()));
    }
    case Op::gbt4754_valid: {
      Value v = eval(node.args[0]);
      if (!env_.gbt4754)
        throw EvalError{"no_data", "gbt4754_valid needs a rule pack's GB/T 4754-2017 code list"};
      if (v.is_string()) t_work += v.size();
      return Value::boolean(v.is_string() && env_.gbt4754->count(std::string(v.as_string())) > 0);
    }
    case Op::as_of:
      if (!env_.as_of) throw EvalError{"no_as_of", "as_of: the evaluation was given no as-of date"};
      return Value::date(env_.as_of->days());
    default:
      break;
  }
  return Value();
}

// Inlined where it is called: literals and `var`s, most of the nodes, then cost no call.
[[gnu::always_inline]] inline Value Evaluator::eval(const Node& node) {
  // Literals and found `var`s, most of the nodes, return without a call to the operators'
  // functions.
  if (node.op == Op::literal) return node.literal;
  if (node.op == Op::var) {
    if (explain_) return record_reads_ ? eval_var(node) : eval_var_quiet(node);
    const Value* v = find_path(top(), node.path);
    return v ? *v : var_absent(node);
  }
  return eval_operator(node);
}

// A quantifier's list: when explaining, a `var` there names the place of the items.
[[gnu::always_inline]] inline Value Evaluator::eval_list(const Node& node) {
  if (explain_ && node.op == Op::var) return eval_var(node);
  return eval(node);
}

// `and` and `or`.
[[gnu::noinline]] Value Evaluator::eval_logic(const Node& node) {
  // JsonLogic returns the first truthy (or) / falsy (and) operand, else the last. Kleene:
  // a decisive operand that did not depend on missing data makes the result known.
  bool want = node.op == Op::or_;
  std::size_t entry = missing_.size();
  Value first;
  bool have_first = false;
  Value last;
  for (const Node& a : node.args) {
    std::size_t mark = missing_.size();
    last = eval(a);
    if (truthy(last) == want) {
      if (!have_first) {
        first = last;
        have_first = true;
      }
      if (missing_.size() == mark) {
        missing_.resize(entry);
        return first;
      }
    }
  }
  return have_first ? first : last;
}

// The common operators, each kind in a function of its own with a small frame
// (eval_operator, below, only dispatches to them).
[[gnu::noinline]] Value Evaluator::eval_if(const Node& node) {
  const Node* arg = node.args.data();
  const Node* end = arg + node.args.size();
  for (; end - arg >= 2; arg += 2)
    if (truthy(eval(arg[0]))) return eval(arg[1]);
  if (arg != end) return eval(*arg);
  return Value();
}

[[gnu::noinline]] Value Evaluator::eval_compare(const Node& node) {
  Value a = eval(node.args[0]), b = eval(node.args[1]);
  switch (node.op) {
    case Op::eq:
      return Value::boolean(loose_equal(a, b));
    case Op::ne:
      return Value::boolean(!loose_equal(a, b));
    case Op::strict_eq:
      return Value::boolean(strict_equal(a, b));
    case Op::strict_ne:
      return Value::boolean(!strict_equal(a, b));
    case Op::gt:
      return Value::boolean(less(b, a, false));
    case Op::ge:
      return Value::boolean(less(b, a, true));
    default: {  // lt, le: a < b, or a < b < c
      bool eq = node.op == Op::le;
      if (node.args.size() == 2) return Value::boolean(less(a, b, eq));
      Value c = eval(node.args[2]);
      return Value::boolean(less(a, b, eq) && less(b, c, eq));
    }
  }
}

[[gnu::noinline]] Value Evaluator::eval_in(const Node& node) {
  Value needle = eval(node.args[0]);
  Value hay = eval(node.args[1]);
  if (hay.is_string()) {
    std::string js;
    std::string_view n = text_of(needle, js);
    std::string_view h = hay.as_string();
    t_work += h.size() + n.size();
    // glibc's memmem is linear in the text (two-way), where a naive search is not; but it
    // costs hundreds of instructions to set up, so short texts (a title, a name) are
    // searched naively, at most 64 x 64 byte comparisons.
    if (n.empty()) return Value::boolean(true);
    if (h.size() < n.size()) return Value::boolean(false);
    if (h.size() <= 64) return Value::boolean(h.find(n) != std::string_view::npos);
    return Value::boolean(::memmem(h.data(), h.size(), n.data(), n.size()) != nullptr);
  }
  if (hay.is_array()) {
    t_work += hay.size();
    if (needle.is_string()) {  // a text among texts, the usual case: strict_equal inline
      std::string_view n = needle.as_string();
      for (const Value& e : hay) {
        if (!e.is_string() || e.size() != n.size()) continue;
        t_work += n.size();
        if (value_detail::same_key(e.as_string(), n)) return Value::boolean(true);
      }
      return Value::boolean(false);
    }
    for (const Value& e : hay)
      if (strict_equal(e, needle)) return Value::boolean(true);
  }
  return Value::boolean(false);
}

[[gnu::noinline]] Value Evaluator::eval_truth(const Node& node) {
  const bool value = truthy(eval(node.args[0]));
  return Value::boolean(node.op == Op::not_ ? !value : value);
}

[[gnu::noinline]] Value Evaluator::eval_add(const Node& node) {
  double sum = 0;
  for (const Node& a : node.args) sum += parse_float(eval(a));
  return Value::number(sum);
}

[[gnu::noinline]] Value Evaluator::eval_operator(const Node& node) {
  switch (node.op) {
    case Op::if_:
      return eval_if(node);
    case Op::eq:
    case Op::ne:
    case Op::strict_eq:
    case Op::strict_ne:
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge:
      return eval_compare(node);
    case Op::not_:
    case Op::truthy:
      return eval_truth(node);
    case Op::add:
      return eval_add(node);
    case Op::or_:
    case Op::and_:
      return eval_logic(node);
    case Op::in:
      return eval_in(node);
    case Op::map:
    case Op::filter:
    case Op::all:
    case Op::some:
    case Op::none:
      return eval_quantifier(node);
    case Op::reduce:
      return eval_reduce(node);
    case Op::sum:
    case Op::count:
      return eval_aggregate(node);
    default:
      return eval_other(node);
  }
}

Value Evaluator::eval_other(const Node& node) {
  switch (node.op) {
    case Op::array: {
      Value* items = temp_.make_array<Value>(node.args.size());
      for (std::size_t i = 0; i < node.args.size(); ++i) items[i] = eval(node.args[i]);
      return Value::array(items, node.args.size());
    }
    case Op::var_dynamic: {
      std::string text = to_js_string(eval(node.args[0]));
      Node dynamic;
      dynamic.op = Op::var;
      dynamic.text = text;
      if (node.args.size() > 1) {
        dynamic.has_default = true;
        dynamic.literal = eval(node.args[1]);
      }
      dynamic.path = split_path(text);
      return eval_var(dynamic);
    }
    case Op::missing:
      return eval_missing(node, false);
    case Op::missing_some:
      return eval_missing(node, true);
    case Op::mul: {
      if (node.args.size() == 1) return eval(node.args[0]);  // JavaScript's reduce without a seed
      double product = parse_float(eval(node.args[0]));
      for (std::size_t i = 1; i < node.args.size(); ++i) product *= parse_float(eval(node.args[i]));
      return Value::number(product);
    }
    case Op::sub: {
      double a = to_number(eval(node.args[0]));
      if (node.args.size() == 1) return Value::number(-a);
      return Value::number(a - to_number(eval(node.args[1])));
    }
    case Op::div: {
      double a = to_number(eval(node.args[0]));
      return Value::number(a / to_number(eval(node.args[1])));
    }
    case Op::mod: {
      double a = to_number(eval(node.args[0]));
      return Value::number(std::fmod(a, to_number(eval(node.args[1]))));
    }
    case Op::min:
    case Op::max: {
      bool is_min = node.op == Op::min;
      double r = is_min ? INFINITY : -INFINITY;
      for (const Node& a : node.args) {
        double x = to_number(eval(a));
        if (std::isnan(x)) r = x;
        else if (!std::isnan(r)) r = is_min ? std::min(r, x) : std::max(r, x);
      }
      return Value::number(r);
    }
    case Op::cat: {
      std::string out;
      for (const Node& a : node.args) {
        Value v = eval(a);
        // One text is its own result, uncopied: its storage outlives the evaluation.
        if (node.args.size() == 1 && v.is_string()) return v;
        if (!v.is_null()) append_js_string(v, out, false);
      }
      return Value::string(temp_.copy(out));
    }
    case Op::substr: {
      // A string source is cut in place (its storage outlives the evaluation); anything
      // else is first turned into its JavaScript text.
      Value src = eval(node.args[0]);
      std::string_view text;
      if (src.is_string()) text = src.as_string();
      else text = temp_.copy(to_js_string(src));
      double start = to_number(eval(node.args[1]));
      bool has_len = node.args.size() > 2;
      double len = has_len ? to_number(eval(node.args[2])) : 0;
      t_work += text.size();
      std::int64_t n = 0;  // code points
      for (std::size_t i = 0; i < text.size(); i += code_point_length(text, i)) ++n;
      std::int64_t s = std::isnan(start) ? 0 : static_cast<std::int64_t>(std::clamp(start, -1e12, 1e12));
      if (s < 0) s = std::max<std::int64_t>(0, n + s);
      s = std::min(s, n);
      std::int64_t e = n;
      if (has_len) {
        std::int64_t l = std::isnan(len) ? 0 : static_cast<std::int64_t>(std::clamp(len, -1e12, 1e12));
        e = l < 0 ? std::max(s, n + l) : std::min(n, s + l);
      }
      std::size_t from = skip_code_points(text, 0, s);
      std::size_t to = e > s ? skip_code_points(text, from, e - s) : from;
      return Value::string(text.substr(from, to - from));
    }
    case Op::merge: {
      // The operands first, then the list in one block of the arena: a reduce that merges
      // an item into its accumulator at each step no longer grows a vector on the heap.
      constexpr std::size_t kOnStack = 8;
      Value on_stack[kOnStack];
      std::vector<Value> on_heap;
      Value* parts = on_stack;
      if (node.args.size() > kOnStack) {
        on_heap.resize(node.args.size());
        parts = on_heap.data();
      }
      std::size_t total = 0;
      for (std::size_t i = 0; i < node.args.size(); ++i) {
        parts[i] = eval(node.args[i]);
        total += parts[i].is_array() ? parts[i].size() : 1;
      }
      t_work += total * sizeof(Value);
      Value* items = temp_.make_array<Value>(total);
      Value* out = items;
      for (std::size_t i = 0; i < node.args.size(); ++i) {
        if (parts[i].is_array()) out = std::copy(parts[i].begin(), parts[i].end(), out);
        else *out++ = parts[i];
      }
      return Value::array(items, total);
    }
    case Op::log:
      return eval(node.args[0]);
    default:
      return eval_extension(node);
  }
}

}  // namespace qualify::detail
