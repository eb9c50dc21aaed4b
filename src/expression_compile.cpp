// Compiling JsonLogic: operators resolved, arities and literals checked, `var` paths split
// and checked against the declared fields, parameters substituted. Runs once per pack load.
#include <algorithm>
#include <array>
#include <cmath>  // isfinite
#include <string_view>

#include "qualify/detail/evaluator.hpp"
#include "qualify/detail/field.hpp"
#include "qualify/detail/node.hpp"
#include "qualify/error.hpp"
#include "qualify/expression.hpp"

namespace qualify {

struct Expression::Impl {
  std::shared_ptr<detail::Arena> arena;  // literal strings and arrays
  detail::Node root;
  Limits limits;
};

namespace detail {

std::vector<PathStep> split_path(std::string_view dotted) {
  std::vector<PathStep> path;
  if (dotted.empty()) return path;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = dotted.find('.', start);
    const std::string_view key = dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    const bool index = !key.empty() && key.size() < 10 && key.find_first_not_of("0123456789") == std::string_view::npos &&
                       (key.size() == 1 || key[0] != '0');
    std::int64_t n = 0;
    if (index)
      for (char c : key) n = n * 10 + (c - '0');
    path.push_back({std::string(key), index ? n : -1});
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return path;
}

namespace {

constexpr int kMany = 1 << 20;

struct OpInfo {
  std::string_view name;
  Op op;
  int min_args;
  int max_args;
};

constexpr std::array kOperators = {
    OpInfo{"var", Op::var, 0, 2},
    OpInfo{"missing", Op::missing, 0, kMany},
    OpInfo{"missing_some", Op::missing_some, 2, 2},
    OpInfo{"if", Op::if_, 0, kMany},
    OpInfo{"?:", Op::if_, 3, 3},
    OpInfo{"==", Op::eq, 2, 2},
    OpInfo{"===", Op::strict_eq, 2, 2},
    OpInfo{"!=", Op::ne, 2, 2},
    OpInfo{"!==", Op::strict_ne, 2, 2},
    OpInfo{"<", Op::lt, 2, 3},
    OpInfo{"<=", Op::le, 2, 3},
    OpInfo{">", Op::gt, 2, 2},
    OpInfo{">=", Op::ge, 2, 2},
    OpInfo{"!", Op::not_, 1, 1},
    OpInfo{"!!", Op::truthy, 1, 1},
    OpInfo{"or", Op::or_, 1, kMany},
    OpInfo{"and", Op::and_, 1, kMany},
    OpInfo{"+", Op::add, 0, kMany},
    OpInfo{"-", Op::sub, 1, 2},
    OpInfo{"*", Op::mul, 1, kMany},
    OpInfo{"/", Op::div, 2, 2},
    OpInfo{"%", Op::mod, 2, 2},
    OpInfo{"min", Op::min, 0, kMany},
    OpInfo{"max", Op::max, 0, kMany},
    OpInfo{"cat", Op::cat, 0, kMany},
    OpInfo{"substr", Op::substr, 2, 3},
    OpInfo{"in", Op::in, 2, 2},
    OpInfo{"merge", Op::merge, 0, kMany},
    OpInfo{"map", Op::map, 2, 2},
    OpInfo{"filter", Op::filter, 2, 2},
    OpInfo{"reduce", Op::reduce, 2, 3},
    OpInfo{"all", Op::all, 2, 2},
    OpInfo{"some", Op::some, 2, 2},
    OpInfo{"none", Op::none, 2, 2},
    OpInfo{"log", Op::log, 1, 1},
    OpInfo{"date", Op::date, 1, 1},
    OpInfo{"add_days", Op::add_days, 2, 2},
    OpInfo{"add_months", Op::add_months, 2, 3},
    OpInfo{"add_years", Op::add_years, 2, 3},
    OpInfo{"days_between", Op::days_between, 2, 2},
    OpInfo{"workdays_end", Op::workdays_end, 2, 2},
    OpInfo{"chars", Op::chars, 1, 1},
    OpInfo{"sum", Op::sum, 1, 2},
    OpInfo{"count", Op::count, 1, 2},
    OpInfo{"uscc_valid", Op::uscc_valid, 1, 1},
    OpInfo{"cn_id_valid", Op::cn_id_valid, 1, 1},
    OpInfo{"gbt4754_valid", Op::gbt4754_valid, 1, 1},
    OpInfo{"as_of", Op::as_of, 0, 0},
};

const OpInfo* find_operator(std::string_view name) {
  for (const OpInfo& info : kOperators)
    if (info.name == name) return &info;
  return nullptr;
}

std::string escape_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

const Field& any_field() {
  static const Field any{};
  return any;
}

class Compiler {
 public:
  Compiler(const CompileOptions& options, Arena& arena) : options_(options), arena_(arena) {}

  // Compiles `j` found at `pointer`; `scope` is the declared field the data root stands for
  // (nullptr when unchecked). Returns the declared field of the result where it is known.
  const Field* compile(const nlohmann::json& j, const std::string& pointer, const Field* scope,
                       std::size_t depth, Node& out) {
    if (depth > options_.limits.max_expression_depth)
      fail("too_deep", pointer,
           "expression nested deeper than " +
               std::to_string(options_.limits.max_expression_depth) + " levels");
    if (j.is_array()) {
      out.op = Op::array;
      out.args.resize(j.size());
      bool constant = true;
      for (std::size_t i = 0; i < j.size(); ++i) {
        compile(j[i], pointer + "/" + std::to_string(i), scope, depth + 1, out.args[i]);
        constant = constant && out.args[i].op == Op::literal;
      }
      if (constant) {
        Value* items = arena_.make_array<Value>(out.args.size());
        for (std::size_t i = 0; i < out.args.size(); ++i) new (&items[i]) Value(out.args[i].literal);
        out.literal = Value::array(items, out.args.size());
        out.op = Op::literal;
        out.args.clear();
      }
      return nullptr;
    }
    if (!j.is_object() || j.size() != 1) {
      // Scalars, and objects that are not one-key operator calls, are data (JsonLogic).
      out.op = Op::literal;
      out.literal = literal(j, pointer, depth);
      return nullptr;
    }
    const std::string& name = j.begin().key();
    const nlohmann::json& raw = j.begin().value();
    std::string op_pointer = pointer + "/" + escape_token(name);
    if (name == "param") return compile_param(raw, op_pointer, out);
    const OpInfo* info = find_operator(name);
    if (!info) fail("unknown_operator", pointer, "unknown operator \"" + name + "\"");
    // JsonLogic lets a single argument stand without its array.
    bool wrapped = raw.is_array();
    std::size_t count = wrapped ? raw.size() : 1;
    if (static_cast<int>(count) < info->min_args || static_cast<int>(count) > info->max_args)
      fail("wrong_arity", op_pointer, arity_message(*info, count));
    auto arg_json = [&](std::size_t i) -> const nlohmann::json& { return wrapped ? raw[i] : raw; };
    auto arg_pointer = [&](std::size_t i) {
      return wrapped ? op_pointer + "/" + std::to_string(i) : op_pointer;
    };
    out.op = info->op;
    switch (info->op) {
      case Op::var:
        return compile_var(raw, wrapped, op_pointer, scope, depth, out);
      case Op::missing:
      case Op::missing_some:
        check_missing_keys(raw, wrapped, info->op, op_pointer, scope);
        break;
      case Op::map:
      case Op::filter:
      case Op::all:
      case Op::some:
      case Op::none:
      case Op::sum:
      case Op::count: {
        out.args.resize(count);
        const Field* array_field = compile(arg_json(0), arg_pointer(0), scope, depth + 1, out.args[0]);
        if (count > 1)
          compile(arg_json(1), arg_pointer(1), items_of(array_field, scope), depth + 1, out.args[1]);
        return info->op == Op::filter ? array_field : nullptr;
      }
      case Op::reduce: {
        out.args.resize(count);
        const Field* array_field = compile(arg_json(0), arg_pointer(0), scope, depth + 1, out.args[0]);
        Field reduce_scope;
        reduce_scope.type = Field::Type::object;
        if (const Field* items = items_of(array_field, scope)) {
          reduce_scope.properties["current"] = *items;
          reduce_scope.properties["accumulator"] = Field{};
        }
        const Field* inner = scope ? &reduce_scope : nullptr;
        compile(arg_json(1), arg_pointer(1), inner, depth + 1, out.args[1]);
        if (count > 2) compile(arg_json(2), arg_pointer(2), scope, depth + 1, out.args[2]);
        out.counts = counts_idiom(out.args[1]);
        out.sums = !out.counts && sums_idiom(out.args[1]);
        return nullptr;
      }
      case Op::add_months:
      case Op::add_years:
        if (count == 3) {
          const nlohmann::json& rule = arg_json(2);
          auto end = rule.is_string() ? period_end_from_name(rule.get<std::string>()) : std::nullopt;
          if (!end)
            fail("bad_literal", arg_pointer(2),
                 "the period end rule must be one of \"civil_code\", \"day_before\", "
                 "\"next_day_if_missing\"");
          out.period_end = static_cast<std::uint8_t>(*end);
          count = 2;
        }
        break;
      default:
        break;
    }
    out.args.resize(count);
    for (std::size_t i = 0; i < count; ++i)
      compile(arg_json(i), arg_pointer(i), scope, depth + 1, out.args[i]);
    return nullptr;
  }

 private:
  // JsonLogic has no length operator, so packs count with a reduce whose body adds a number
  // to the accumulator; the evaluator runs that body without entering a scope per item.
  static bool counts_idiom(const Node& body) {
    if (body.op != Op::add || body.args.size() != 2) return false;
    auto number = [](const Node& n) { return n.op == Op::literal && n.literal.is_number(); };
    return (is_accumulator_var(body.args[0]) && number(body.args[1])) || (number(body.args[0]) && is_accumulator_var(body.args[1]));
  }

  // Sums: {"+": [{"var": "accumulator"}, x]} where nothing in x can read the accumulator
  // (no var of it or of the whole frame, no computed var or missing), so the evaluator adds
  // x of each item without building the accumulator into a frame for it.
  static bool sums_idiom(const Node& body) {
    if (body.op != Op::add || body.args.size() != 2) return false;
    if (is_accumulator_var(body.args[0])) return !reads_accumulator(body.args[1]);
    if (is_accumulator_var(body.args[1])) return !reads_accumulator(body.args[0]);
    return false;
  }

  // Conservative: also inside nested scopes, where these names mean something else.
  static bool reads_accumulator(const Node& n) {
    if (n.op == Op::var_dynamic || n.op == Op::missing || n.op == Op::missing_some) return true;
    if (n.op == Op::var && (n.path.empty() || n.path[0].key == "accumulator" || n.path[0].key.empty())) return true;
    return std::any_of(n.args.begin(), n.args.end(), [](const Node& a) { return reads_accumulator(a); });
  }

  [[noreturn]] void fail(const std::string& code, const std::string& pointer,
                         const std::string& reason) const {
    throw ExpressionError(code, options_.file, options_.pointer + pointer, reason);
  }

  static std::string arity_message(const OpInfo& info, std::size_t count) {
    std::string want;
    if (info.min_args == info.max_args) want = std::to_string(info.min_args);
    else if (info.max_args == kMany) want = "at least " + std::to_string(info.min_args);
    else want = std::to_string(info.min_args) + " to " + std::to_string(info.max_args);
    return "\"" + std::string(info.name) + "\" takes " + want + " argument" +
           (want == "1" ? "" : "s") + ", not " + std::to_string(count);
  }

  Value literal(const nlohmann::json& j, const std::string& pointer, std::size_t depth) {
    if (j.is_number_float() && !std::isfinite(j.get<double>()))
      fail("bad_literal", pointer, "a number literal must be finite");
    try {
      (void)depth;
      return from_json(j, arena_, options_.limits.max_expression_depth);
    } catch (const Error&) {
      fail("too_deep", pointer,
           "literal nested deeper than " + std::to_string(options_.limits.max_expression_depth) +
               " levels");
    }
  }

  const Field* compile_param(const nlohmann::json& raw, const std::string& pointer, Node& out) {
    const nlohmann::json* name = raw.is_array() && raw.size() == 1 ? &raw[0] : &raw;
    if (!name->is_string()) fail("bad_literal", pointer, "\"param\" takes a parameter name");
    const std::string& key = name->get_ref<const std::string&>();
    if (!options_.parameters) fail("unknown_parameter", pointer, "no parameters are defined here");
    auto it = options_.parameters->find(key);
    if (it == options_.parameters->end())
      fail("unknown_parameter", pointer, "unknown parameter \"" + key + "\"");
    if (options_.used_parameters) options_.used_parameters->insert(key);
    out.op = Op::literal;
    out.literal = literal(*it, pointer, 0);
    return nullptr;
  }

  // Resolves a dotted path against the declared fields; throws "undeclared_field".
  const Field* resolve(const Field* scope, const std::vector<PathStep>& path, const std::string& text,
                       const std::string& pointer) const {
    if (!scope) return nullptr;
    const Field* f = scope;
    std::string walked;
    for (const PathStep& step : path) {
      switch (f->type) {
        case Field::Type::any:
          return f;
        case Field::Type::object: {
          auto it = f->properties.find(step.key);
          if (it == f->properties.end())
            fail("undeclared_field", pointer,
                 "\"" + text + "\" reads a field the schema does not declare (no \"" + step.key +
                     "\" in " + (walked.empty() ? std::string("the application") : "\"" + walked + "\"") + ")");
          f = &it->second;
          break;
        }
        case Field::Type::array:
          if (step.index < 0)
            fail("undeclared_field", pointer,
                 "\"" + text + "\": \"" + walked + "\" is a list, so \"" + step.key +
                     "\" must be an index");
          f = f->items ? f->items.get() : &any_field();
          break;
        case Field::Type::map:
          f = f->items ? f->items.get() : &any_field();
          break;
        default:
          fail("undeclared_field", pointer,
               "\"" + text + "\": \"" + walked + "\" is a single value with no field \"" + step.key + "\"");
      }
      walked += (walked.empty() ? "" : ".") + step.key;
    }
    return f;
  }

  const Field* items_of(const Field* array_field, const Field* scope) const {
    if (!scope) return nullptr;
    if (array_field && (array_field->type == Field::Type::array || array_field->type == Field::Type::map))
      return array_field->items ? array_field->items.get() : &any_field();
    return &any_field();
  }

  const Field* compile_var(const nlohmann::json& raw, bool wrapped, const std::string& pointer,
                           const Field* scope, std::size_t depth, Node& out) {
    const nlohmann::json null_path;
    const nlohmann::json& path = wrapped ? (raw.empty() ? null_path : raw[0]) : raw;
    std::string path_pointer = wrapped ? pointer + "/0" : pointer;
    if (wrapped && raw.size() == 2) {
      out.has_default = true;
      Node def;
      compile(raw[1], pointer + "/1", scope, depth + 1, def);
      if (def.op == Op::literal) out.literal = def.literal;
      else out.args.push_back(std::move(def));
    }
    if (path.is_null() || path.is_string() || path.is_number()) {
      std::string text = path.is_null() ? "" : path.is_string() ? path.get<std::string>() : path.dump();
      out.op = Op::var;
      out.text = text;
      out.path = split_path(text);
      return resolve(scope, out.path, text, path_pointer);
    }
    // A computed path: split when it is known, at evaluation time.
    Node path_node;
    compile(path, path_pointer, scope, depth + 1, path_node);
    out.op = Op::var_dynamic;
    out.args.insert(out.args.begin(), std::move(path_node));
    return nullptr;
  }

  void check_missing_keys(const nlohmann::json& raw, bool wrapped, Op op, const std::string& pointer,
                          const Field* scope) const {
    if (!scope) return;
    const nlohmann::json* keys = &raw;
    std::string keys_pointer = pointer;
    if (op == Op::missing_some) {
      keys = &raw[1];
      keys_pointer += "/1";
    } else if (wrapped && raw.size() == 1 && raw[0].is_array()) {
      keys = &raw[0];
      keys_pointer += "/0";
    }
    if (keys->is_string()) {
      resolve(scope, split_path(keys->get<std::string>()), keys->get<std::string>(), keys_pointer);
      return;
    }
    if (!keys->is_array()) return;
    for (std::size_t i = 0; i < keys->size(); ++i)
      if ((*keys)[i].is_string())
        resolve(scope, split_path((*keys)[i].get<std::string>()), (*keys)[i].get<std::string>(),
                keys_pointer + "/" + std::to_string(i));
  }

  const CompileOptions& options_;
  Arena& arena_;
};

// Node::weight for `n` and everything below it (saturating: a budget is far smaller).
void weigh(Node& n) {
  std::uint64_t w = 1;
  for (Node& a : n.args) {
    weigh(a);
    w += a.weight;
  }
  n.weight = static_cast<std::uint32_t>(std::min<std::uint64_t>(w, UINT32_MAX));
}

}  // namespace
}  // namespace detail

Expression Expression::compile(const nlohmann::json& logic, const CompileOptions& options) {
  auto impl = std::make_shared<Impl>();
  impl->arena = std::make_shared<detail::Arena>(1024);
  impl->limits = options.limits;
  detail::Compiler compiler(options, *impl->arena);
  compiler.compile(logic, "", options.fields, 0, impl->root);
  detail::weigh(impl->root);
  Expression e;
  e.impl_ = std::move(impl);
  return e;
}

const detail::Node& Expression::root() const noexcept { return impl_->root; }

nlohmann::json Expression::apply(const nlohmann::json& data, const Environment& env) const {
  detail::Arena temp;
  detail::Value root;
  try {
    root = detail::from_json(data, temp, impl_->limits.max_data_depth);
  } catch (const Error& e) {
    throw ExpressionError(e.code(), "", "", "data: " + e.reason());
  }
  detail::Evaluator evaluator(env, temp, impl_->limits, false);
  try {
    return detail::to_json(evaluator.run(impl_->root, root));
  } catch (const detail::EvalError& e) {
    throw ExpressionError(e.code, "", "", e.message);
  }
}

nlohmann::json apply(const nlohmann::json& logic, const nlohmann::json& data, const Environment& env) {
  return Expression::compile(logic).apply(data, env);
}

}  // namespace qualify
