// The application form as data: schema.json compiled once into a tree of field specs, then
// used to check filled forms (every problem as a finding), to declare the fields rules may
// read, and to print a standard JSON Schema.
#include "qualify/schema.hpp"

#include <algorithm>
#include <bit>  // endian
#include <cmath>
#include <cstring>  // memcpy
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <simdjson.h>

#include "qualify/calendar.hpp"
#include "qualify/detail/validators.hpp"
#include "qualify/error.hpp"

namespace qualify {

namespace {

using detail::Field;
using detail::Kind;
using detail::Value;
using Type = Field::Type;

enum class Format { none, uscc, cn_id, phone, email, url };

// One compiled field of the form.
struct Spec {
  Type type = Type::any;
  Message label;
  Message description;
  bool required = false;
  bool nullable = false;
  std::string clause;
  std::string_view kept_clause;  // `clause` as findings name it (intern), set once compiled
  Severity severity = Severity::soft;
  // string
  std::optional<std::size_t> max_chars, min_chars;
  Format format = Format::none;
  std::string enum_from;
  std::shared_ptr<const std::unordered_set<std::string>> codes;
  // string, number, integer
  std::vector<nlohmann::json> enumeration;
  // number, integer
  std::optional<double> minimum, maximum;
  // array (items), map (items = values, keys)
  std::unique_ptr<Spec> items;
  std::unique_ptr<Spec> keys;
  std::optional<std::size_t> min_items, max_items;
  bool unique_items = false;
  std::string keys_match;  // map: JSON Pointer of an array in the application
  Message keys_match_label;
  // object
  std::vector<std::pair<std::string, std::unique_ptr<Spec>>> properties;
  bool additional = false;
};

constexpr std::string_view kTypeNames[] = {"any",  "string", "number", "integer", "boolean",
                                           "date", "object", "array",  "map"};

std::optional<Type> type_from_name(std::string_view s) {
  for (std::size_t i = 0; i < std::size(kTypeNames); ++i)
    if (kTypeNames[i] == s) return static_cast<Type>(i);
  return std::nullopt;
}

std::string_view type_name(Type t) { return kTypeNames[static_cast<std::size_t>(t)]; }

// Once the tree is built (nested fields inherit their clause): each clause kept for the
// findings that cite it, so that checking a form never adds to what intern keeps.
void keep_clauses(Spec& spec) {
  spec.kept_clause = intern(spec.clause);
  for (auto& [key, child] : spec.properties) keep_clauses(*child);
  if (spec.items) keep_clauses(*spec.items);
  if (spec.keys) keep_clauses(*spec.keys);
}

std::optional<Format> format_from_name(std::string_view s) {
  if (s == "uscc") return Format::uscc;
  if (s == "cn_id") return Format::cn_id;
  if (s == "phone") return Format::phone;
  if (s == "email") return Format::email;
  if (s == "url") return Format::url;
  return std::nullopt;
}

std::string_view format_name(Format f) {
  switch (f) {
    case Format::uscc: return "uscc";
    case Format::cn_id: return "cn_id";
    case Format::phone: return "phone";
    case Format::email: return "email";
    case Format::url: return "url";
    case Format::none: break;
  }
  return "";
}

std::optional<Severity> parse_severity(std::string_view s) {
  if (s == "hard") return Severity::hard;
  if (s == "soft") return Severity::soft;
  if (s == "info") return Severity::info;
  return std::nullopt;
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

// Keys and texts from an nlohmann document are not checked for UTF-8 on the way in; a
// finding must stay printable, so bytes that may be broken are replaced.
std::string printable(std::string_view s) {
  if (detail::utf8_valid(s)) return std::string(s);
  std::string out;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x80) out += c;
    else out += "\xEF\xBF\xBD";
  }
  return out;
}

// A user's text quoted in a message: at most 40 characters.
std::string excerpt(std::string_view s) {
  std::string text = printable(s);
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++chars > 40) return text.substr(0, i) + "…";
  }
  return text;
}

std::string number_text(double d) { return detail::js_number_to_string(d); }

const char* entries(std::size_t n) { return n == 1 ? " entry" : " entries"; }

// Code points of valid UTF-8 (detail::utf8_length, faster on the long texts of a form):
// every byte that is not a continuation byte (10xxxxxx, below -64 as a signed char) starts
// one. Sixteen bytes at a time in GCC's portable vectors (SSE2 on x86-64, NEON on ARM).
std::size_t code_points(std::string_view s) {
  using Bytes = signed char __attribute__((vector_size(16)));
  std::size_t continuation = 0, i = 0;
  while (i + 16 <= s.size()) {
    // Up to 127 blocks summed per byte lane (each adds 0 or -1) before the lanes are added up.
    Bytes lanes = {};
    for (std::size_t end = std::min(s.size() - 15, i + 16 * 127); i < end; i += 16) {
      Bytes b;
      std::memcpy(&b, s.data() + i, 16);
      lanes += b < -64;  // -1 where a continuation byte
    }
    Bytes counts = -lanes;  // 0 to 127 a lane
    std::uint64_t halves[2];
    std::memcpy(halves, &counts, 16);
    for (std::uint64_t w : halves) {  // pairs of lanes into 16 bits, then their sum
      w = (w & 0x00FF00FF00FF00FFull) + (w >> 8 & 0x00FF00FF00FF00FFull);
      continuation += (w * 0x0001000100010001ull) >> 48;
    }
  }
  if (i + 8 <= s.size()) {  // then eight bytes in one word: bit 6 shifted under bit 7
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    continuation += ((w & ~(w << 1) & 0x8080808080808080ull) >> 7) * 0x0101010101010101ull >> 56;
    i += 8;
  }
  // The last bytes: the final eight, with those counted already masked off.
  if (std::endian::native == std::endian::little && i < s.size() && s.size() >= 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + s.size() - 8, 8);
    w &= ~std::uint64_t{0} << 8 * (8 - (s.size() - i));  // little-endian: the first bytes are low
    continuation += ((w & ~(w << 1) & 0x8080808080808080ull) >> 7) * 0x0101010101010101ull >> 56;
    i = s.size();
  }
  for (; i < s.size(); ++i) continuation += (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
  return s.size() - continuation;
}

// ------------------------------------------------------------------------------- compiling

class Compiler {
 public:
  Compiler(const std::string& file, const CodeSets& sets) : file_(file), sets_(sets) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& reason) const {
    throw PackError("bad_schema", file_, pointer, reason);
  }

  Message message(const nlohmann::json& j, const std::string& pointer) const {
    if (!j.is_object() || !j.contains("zh") || !j.contains("en") || !j["zh"].is_string() ||
        !j["en"].is_string() || j.size() != 2)
      fail(pointer, "expected {\"zh\": text, \"en\": text}");
    return {j["zh"].get<std::string>(), j["en"].get<std::string>()};
  }

  std::size_t natural(const nlohmann::json& j, const std::string& pointer) const {
    // A literal written in C++ is a signed integer even when positive; both kinds count.
    if (!j.is_number_integer() || (!j.is_number_unsigned() && j.get<std::int64_t>() < 0))
      fail(pointer, "expected a whole number >= 0");
    return j.get<std::size_t>();
  }

  double number(const nlohmann::json& j, const std::string& pointer) const {
    if (!j.is_number() || !std::isfinite(j.get<double>())) fail(pointer, "expected a number");
    return j.get<double>();
  }

  bool boolean(const nlohmann::json& j, const std::string& pointer) const {
    if (!j.is_boolean()) fail(pointer, "expected true or false");
    return j.get<bool>();
  }

  const std::string& text(const nlohmann::json& j, const std::string& pointer) const {
    if (!j.is_string()) fail(pointer, "expected a string");
    return j.get_ref<const std::string&>();
  }

  // `j` is the field at `pointer` of schema.json; `path` is the field's place in the form
  // (array items and map values as "-"), its default clause. `parent` is set for array
  // items and map keys and values: they speak for their list or map, so they take its
  // label, clause and severity unless they give their own.
  std::unique_ptr<Spec> field(const nlohmann::json& j, const std::string& pointer,
                              const std::string& path, const Spec* parent) {
    if (!j.is_object()) fail(pointer, "a field must be an object with a \"type\"");
    auto spec = std::make_unique<Spec>();
    if (!j.contains("type")) fail(pointer, "a field needs a \"type\"");
    auto type = type_from_name(text(j["type"], pointer + "/type"));
    if (!type)
      fail(pointer + "/type", "unknown type \"" + j["type"].get<std::string>() +
                                  "\" (string, number, integer, boolean, date, object, array, map, any)");
    spec->type = *type;
    if (j.contains("label")) spec->label = message(j["label"], pointer + "/label");
    else if (parent) spec->label = parent->label;
    else fail(pointer, "a field needs a \"label\" {\"zh\", \"en\"}");
    spec->clause = parent ? parent->clause : "form:" + path;
    spec->severity = parent ? parent->severity : Severity::soft;
    // Common properties first: the nested fields read below inherit the clause and severity.
    for (const auto& [key, v] : j.items()) {
      std::string at = pointer + "/" + escape_token(key);
      if (key == "description") spec->description = message(v, at);
      else if (key == "required") spec->required = boolean(v, at);
      else if (key == "nullable") spec->nullable = boolean(v, at);
      else if (key == "clause") spec->clause = text(v, at);
      else if (key == "severity") {
        auto s = parse_severity(text(v, at));
        if (!s) fail(at, "severity must be \"hard\", \"soft\" or \"info\"");
        spec->severity = *s;
      }
    }
    for (const auto& [key, v] : j.items()) {
      if (key == "type" || key == "label" || key == "description" || key == "required" ||
          key == "nullable" || key == "clause" || key == "severity")
        continue;
      std::string at = pointer + "/" + escape_token(key);
      if (!constraint(*spec, key, v, at, path))
        fail(at, "\"" + key + "\" is not a property of a field of type \"" +
                     std::string(type_name(spec->type)) + "\"");
    }
    if (spec->min_chars && spec->max_chars && *spec->min_chars > *spec->max_chars)
      fail(pointer, "min_chars is larger than max_chars");
    if (spec->min_items && spec->max_items && *spec->min_items > *spec->max_items)
      fail(pointer, "min_items is larger than max_items");
    if (spec->minimum && spec->maximum && *spec->minimum > *spec->maximum)
      fail(pointer, "minimum is larger than maximum");
    if (spec->type == Type::map && !spec->items)
      fail(pointer, "a map needs \"values\" (the field its values follow)");
    if (spec->type == Type::array && !spec->items) {
      spec->items = std::make_unique<Spec>();
      spec->items->label = spec->label;
      spec->items->clause = spec->clause;
      spec->items->severity = spec->severity;
    }
    if (!spec->keys_match.empty()) pending_keys_match_.push_back({spec.get(), pointer});
    return spec;
  }

  // Reads one type-specific property; false when `key` does not belong to the type.
  bool constraint(Spec& spec, const std::string& key, const nlohmann::json& v, const std::string& at,
                  const std::string& path) {
    switch (spec.type) {
      case Type::string:
        if (key == "max_chars") spec.max_chars = natural(v, at);
        else if (key == "min_chars") spec.min_chars = natural(v, at);
        else if (key == "enum") spec.enumeration = enumeration(v, at, true);
        else if (key == "enum_from") {
          spec.enum_from = text(v, at);
          auto it = sets_.find(spec.enum_from);
          if (it == sets_.end() || !it->second)
            fail(at, "unknown code set \"" + spec.enum_from + "\" (none of the pack's data files provides it)");
          spec.codes = it->second;
        } else if (key == "format") {
          auto f = format_from_name(text(v, at));
          if (!f) fail(at, "unknown format \"" + v.get<std::string>() + "\" (uscc, cn_id, phone, email, url)");
          spec.format = *f;
        } else return false;
        return true;
      case Type::number:
      case Type::integer:
        if (key == "minimum") spec.minimum = number(v, at);
        else if (key == "maximum") spec.maximum = number(v, at);
        else if (key == "enum") spec.enumeration = enumeration(v, at, false);
        else return false;
        return true;
      case Type::array:
        if (key == "items") spec.items = field(v, at, path + "/-", &spec);
        else if (key == "min_items") spec.min_items = natural(v, at);
        else if (key == "max_items") spec.max_items = natural(v, at);
        else if (key == "unique_items") spec.unique_items = boolean(v, at);
        else return false;
        return true;
      case Type::object:
        if (key == "fields") properties(spec, v, at, path);
        else if (key == "additional") spec.additional = boolean(v, at);
        else return false;
        return true;
      case Type::map:
        if (key == "values") spec.items = field(v, at, path + "/-", &spec);
        else if (key == "keys") {
          spec.keys = field(v, at, path, &spec);
          if (spec.keys->type != Type::string) fail(at + "/type", "map keys are strings: use type \"string\"");
        } else if (key == "keys_match") {
          spec.keys_match = text(v, at);
          if (spec.keys_match.empty() || spec.keys_match[0] != '/')
            fail(at, "keys_match is a JSON Pointer into the application, such as \"/levels\"");
        } else return false;
        return true;
      default:
        return false;
    }
  }

  std::vector<nlohmann::json> enumeration(const nlohmann::json& v, const std::string& at, bool strings) const {
    if (!v.is_array() || v.empty()) fail(at, "enum must be a non-empty list");
    std::vector<nlohmann::json> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (strings ? !v[i].is_string() : !v[i].is_number())
        fail(at + "/" + std::to_string(i), strings ? "expected a string" : "expected a number");
      out.push_back(v[i]);
    }
    return out;
  }

  void properties(Spec& spec, const nlohmann::json& v, const std::string& at, const std::string& path) {
    if (!v.is_object()) fail(at, "\"fields\" must be an object of fields by key");
    for (const auto& [key, f] : v.items()) {
      if (key.empty()) fail(at, "a field key must not be empty");
      std::string token = escape_token(key);
      spec.properties.emplace_back(key, field(f, at + "/" + token, path + "/" + token, nullptr));
    }
  }

  // keys_match may name a field declared anywhere, so it is resolved once the tree is built.
  void resolve_keys_match(const Spec& root) const {
    for (const auto& [spec, pointer] : pending_keys_match_) {
      const Spec* target = &root;
      std::string_view rest = std::string_view(spec->keys_match).substr(1);
      while (target) {
        std::size_t slash = rest.find('/');
        std::string token = unescape(rest.substr(0, slash));
        const Spec* next = nullptr;
        for (const auto& [key, child] : target->properties)
          if (key == token) next = child.get();
        target = next;
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
      }
      if (!target || target->type != Type::array || !target->items || target->items->type != Type::string)
        fail(pointer + "/keys_match", "\"" + spec->keys_match + "\" is not a declared list of strings");
      spec->keys_match_label = target->label;
    }
  }

  static std::string unescape(std::string_view token) {
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
        out += token[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        out += token[i];
      }
    }
    return out;
  }

 private:
  const std::string& file_;
  const CodeSets& sets_;
  std::vector<std::pair<Spec*, std::string>> pending_keys_match_;
};

Field field_tree(const Spec& spec) {
  Field f;
  f.type = spec.type;
  if ((spec.type == Type::array || spec.type == Type::map) && spec.items)
    f.items = std::make_shared<Field>(field_tree(*spec.items));
  for (const auto& [key, child] : spec.properties) f.properties.emplace(key, field_tree(*child));
  return f;
}

// ------------------------------------------------------------------------------ validating

std::string_view type_zh(Type t) {
  switch (t) {
    case Type::string: return "文本";
    case Type::number: return "数字";
    case Type::integer: return "整数";
    case Type::boolean: return "是/否（true 或 false）";
    case Type::date: return "日期（YYYY-MM-DD）";
    case Type::object:
    case Type::map: return "对象";
    case Type::array: return "列表";
    case Type::any: break;
  }
  return "任意值";
}

std::string_view type_en(Type t) {
  switch (t) {
    case Type::string: return "a text";
    case Type::number: return "a number";
    case Type::integer: return "a whole number";
    case Type::boolean: return "true or false";
    case Type::date: return "a date (YYYY-MM-DD)";
    case Type::object:
    case Type::map: return "an object";
    case Type::array: return "a list";
    case Type::any: break;
  }
  return "any value";
}

std::string_view kind_zh(const Value& v) {
  switch (v.kind()) {
    case Kind::null: return "空值（null）";
    case Kind::boolean: return "是/否";
    case Kind::number: return std::isfinite(v.as_number()) ? "数字" : "非有限数";
    case Kind::string: return "文本";
    case Kind::array: return "列表";
    case Kind::object: return "对象";
    case Kind::date: return "日期";
  }
  return "";
}

std::string_view kind_en(const Value& v) {
  switch (v.kind()) {
    case Kind::null: return "null";
    case Kind::boolean: return "true/false";
    case Kind::number: return std::isfinite(v.as_number()) ? "a number" : "a non-finite number";
    case Kind::string: return "a text";
    case Kind::array: return "a list";
    case Kind::object: return "an object";
    case Kind::date: return "a date";
  }
  return "";
}

std::string format_zh(Format f) {
  switch (f) {
    case Format::uscc: return "统一社会信用代码（GB 32100-2015，18位，末位为校验码）";
    case Format::cn_id: return "居民身份证号码（GB 11643-1999，18位，末位为校验码）";
    case Format::phone: return "电话号码";
    case Format::email: return "电子邮箱地址";
    case Format::url: return "网址（以 http:// 或 https:// 开头）";
    case Format::none: break;
  }
  return "";
}

std::string format_en(Format f) {
  switch (f) {
    case Format::uscc: return "unified social credit code (GB 32100-2015: 18 characters ending in a check character)";
    case Format::cn_id: return "resident identity card number (GB 11643-1999: 18 characters ending in a check character)";
    case Format::phone: return "telephone number";
    case Format::email: return "e-mail address";
    case Format::url: return "web address (starting with http:// or https://)";
    case Format::none: break;
  }
  return "";
}

bool url_valid(std::string_view s) {
  std::size_t scheme = s.starts_with("https://") ? 8 : s.starts_with("http://") ? 7 : 0;
  if (scheme == 0 || s.size() == scheme) return false;
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7F) return false;
  std::string_view host = s.substr(scheme, s.find_first_of("/?#", scheme) - scheme);
  return !host.empty() && host.front() != '.' && host.front() != ':';
}

bool blank(std::string_view s) {
  // Most texts start with a letter, neither white space nor the first byte of U+3000:
  // settled by their first byte.
  if (!s.empty() && static_cast<unsigned char>(s[0]) > ' ' && s[0] != '\xE3') return false;
  // ASCII white space and the ideographic space U+3000 that Chinese input methods type.
  while (!s.empty()) {
    if (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r') s.remove_prefix(1);
    else if (s.starts_with("\xE3\x80\x80")) s.remove_prefix(3);
    else return false;
  }
  return true;
}

std::size_t count_nodes(const Value& v, std::size_t limit) {
  std::size_t n = 1;
  if (v.is_array()) {
    for (const Value& e : v) {
      n += count_nodes(e, limit);
      if (n > limit) return n;
    }
  } else if (v.is_object()) {
    for (const detail::Member* m = v.members(); m != v.members_end(); ++m) {
      if (!detail::utf8_valid(m->key)) return limit + 1;
      n += count_nodes(m->value, limit);
      if (n > limit) return n;
    }
  } else if (v.is_string() && !detail::utf8_valid(v.as_string())) {
    return limit + 1;
  }
  return n;
}

// The value a finding shows as evidence, kept small: a long text is replaced by its length
// in characters, a large or unprintable list or object is left out.
std::optional<nlohmann::json> brief(const Value& v) {
  if (v.is_string()) {
    auto chars = detail::utf8_length(v.as_string());
    if (!chars) return std::nullopt;
    if (*chars > 200) return *chars;
    return std::string(v.as_string());
  }
  if ((v.is_array() || v.is_object()) && count_nodes(v, 50) > 50) return std::nullopt;
  return detail::to_json(v);
}

// How a value is named in messages: its label, placed in the list entry it belongs to
// ("培训教师第3项的人员性质", "kind of teachers #3").
struct Name {
  std::string zh;
  std::string en;
};

std::string enum_list(const std::vector<nlohmann::json>& values, const char* separator) {
  std::string out;
  for (const nlohmann::json& e : values) {
    if (!out.empty()) out += separator;
    out += e.is_string() ? e.get<std::string>() : number_text(e.get<double>());
  }
  return out;
}

// Resolves a JSON Pointer in the application; nullptr when nothing is there.
const Value* locate(const Value& root, std::string_view pointer) {
  const Value* cur = &root;
  if (pointer.empty()) return cur;
  pointer.remove_prefix(1);
  while (cur) {
    std::size_t slash = pointer.find('/');
    std::string token = Compiler::unescape(pointer.substr(0, slash));
    if (cur->is_object()) {
      cur = cur->find(token);
    } else if (cur->is_array() && !token.empty() && token.size() < 10 &&
               token.find_first_not_of("0123456789") == std::string::npos &&
               std::stoul(token) < cur->size()) {
      cur = &(*cur)[std::stoul(token)];
    } else {
      return nullptr;
    }
    if (slash == std::string_view::npos) break;
    pointer.remove_prefix(slash + 1);
  }
  return cur;
}

// Where a checked value is: its JSON Pointer and its name in messages, both spelled out only
// when a finding needs them (most values pass, and building the texts for each cost more
// than checking it). Lives on the stack of the check that made it.
struct Loc {
  enum class Step { root, field, entry, map_entry, map_key, unknown_key };
  Step step = Step::root;
  const Loc* parent = nullptr;
  std::string_view key;       // field, map_entry, map_key, unknown_key
  std::size_t index = 0;      // entry
  const Spec* spec = nullptr; // field: the spec whose label names it
  // The list entry or map value whose fields this value's fields are, named in their names
  // ("培训教师第3项的人员性质"); null at the top level.
  const Loc* place = nullptr;
  const Message* title = nullptr;  // root

  // The place the fields of an object at this location are named by.
  const Loc* inner_place() const { return step == Step::entry || step == Step::map_entry ? this : place; }

  std::string pointer() const {
    if (step == Step::root) return {};
    std::string out = parent->pointer();
    out += '/';
    switch (step) {
      case Step::field: out += escape_token(key); break;
      case Step::entry: out += std::to_string(index); break;
      default: out += escape_token(printable(key)); break;
    }
    return out;
  }

  Name name() const {
    switch (step) {
      case Step::root:
        return {title->zh, title->en};
      case Step::field:
        if (!place) return {spec->label.zh, spec->label.en};
        {
          Name p = place->name();
          return {p.zh + "的" + spec->label.zh, spec->label.en + " of " + p.en};
        }
      case Step::entry: {
        Name p = parent->name();
        std::string nth = std::to_string(index + 1);
        return {p.zh + "第" + nth + "项", p.en + " #" + nth};
      }
      case Step::map_entry: {
        Name p = parent->name();
        std::string shown = excerpt(key);
        return {p.zh + "（" + shown + "）", p.en + " (" + shown + ")"};
      }
      case Step::map_key: {
        Name p = parent->name();
        return {p.zh + "的项目名", "entry name of " + p.en};
      }
      case Step::unknown_key:
        return parent->name();
    }
    return {};
  }
};

class Validator {
 public:
  Validator(std::vector<Finding>& out, const Value& root, bool utf8_checked)
      : out_(out), root_(root), utf8_checked_(utf8_checked) {}

  // Checks `v`, the value of `spec` at `at`.
  void value(const Spec& spec, const Value& v, const Loc& at) {
    if (v.is_null()) {
      if (!spec.nullable && spec.type != Type::any)
        add(spec, "schema.null", at, "不能为空值（null）", "must not be null", nlohmann::json());
      return;
    }
    switch (spec.type) {
      case Type::any:
        return;
      case Type::string:
        if (!v.is_string()) return wrong_type(spec, v, at);
        return string(spec, v.as_string(), at);
      case Type::date:
        if (v.is_date()) return;
        if (!v.is_string()) return wrong_type(spec, v, at);
        return date(spec, v.as_string(), at);
      case Type::number:
      case Type::integer:
        if (!v.is_number() || !std::isfinite(v.as_number()) ||
            (spec.type == Type::integer && v.as_number() != std::floor(v.as_number())))
          return wrong_type(spec, v, at);
        return number(spec, v.as_number(), at);
      case Type::boolean:
        if (!v.is_bool()) return wrong_type(spec, v, at);
        return;
      case Type::object:
        if (!v.is_object()) return wrong_type(spec, v, at);
        return object(spec, v, at);
      case Type::array:
        if (!v.is_array()) return wrong_type(spec, v, at);
        return array(spec, v, at);
      case Type::map:
        if (!v.is_object()) return wrong_type(spec, v, at);
        return map(spec, v, at);
    }
  }

 private:
  // `rule` is a literal: Finding::rule views it.
  void add(const Spec& spec, const char* rule, const Loc& at, const std::string& zh, const std::string& en,
           std::optional<nlohmann::json> evidence, std::optional<Severity> severity = std::nullopt) {
    add_at(spec, rule, at, at, zh, en, std::move(evidence), severity);
  }

  // A finding about the value at `at`, worded about the value `named`.
  void add_at(const Spec& spec, const char* rule, const Loc& at, const Loc& named, const std::string& zh,
              const std::string& en, std::optional<nlohmann::json> evidence,
              std::optional<Severity> severity = std::nullopt) {
    Name name = named.name();
    Finding f;
    f.rule = rule;
    f.clause = spec.kept_clause;
    f.outcome = Outcome::fail;
    f.severity = severity ? *severity : spec.severity;
    f.message.zh = name.zh + zh;
    f.message.en = name.zh + " (" + name.en + ") " + en;
    f.pointer = at.pointer();
    f.evidence = Evidence::object();
    if (evidence) f.evidence.set(f.pointer, *evidence);
    out_.push_back(std::move(f));
  }

  void wrong_type(const Spec& spec, const Value& v, const Loc& at) {
    if (spec.type == Type::integer && v.is_number() && std::isfinite(v.as_number())) {
      std::string n = number_text(v.as_number());
      add(spec, "schema.type", at, "应为整数，不是" + n, "should be a whole number, not " + n, v.as_number());
      return;
    }
    add(spec, "schema.type", at, "应为" + std::string(type_zh(spec.type)) + "，不是" + std::string(kind_zh(v)),
        "should be " + std::string(type_en(spec.type)) + ", not " + std::string(kind_en(v)), brief(v));
  }

  void invalid_utf8(const Spec& spec, const Loc& at) {
    add(spec, "schema.invalid_utf8", at, "含有无效的UTF-8编码", "is not valid UTF-8 text", std::nullopt);
  }

  void string(const Spec& spec, std::string_view s, const Loc& at) {
    if (!utf8(s)) return invalid_utf8(spec, at);
    if (blank(s)) return;  // not filled in: only `required` speaks about that
    // Valid UTF-8 of n bytes has from n/4 (rounded up) to n code points: most texts are
    // settled by their length in bytes, and only the others are counted.
    const bool may_be_long = spec.max_chars && s.size() > *spec.max_chars;
    const bool may_be_short = spec.min_chars && (s.size() + 3) / 4 < *spec.min_chars;
    const std::size_t chars = may_be_long || may_be_short ? code_points(s) : 0;
    if (may_be_long && chars > *spec.max_chars) {
      std::string max = std::to_string(*spec.max_chars), n = std::to_string(chars);
      // The count, not the text: evidence stays small and the count is what is wrong.
      add(spec, "schema.max_chars", at, "超过" + max + "字（" + n + "字）",
          "is longer than " + max + " characters (" + n + ")", nlohmann::json(chars));
    }
    if (may_be_short && chars < *spec.min_chars) {
      std::string min = std::to_string(*spec.min_chars), n = std::to_string(chars);
      add(spec, "schema.min_chars", at, "少于" + min + "字（" + n + "字）",
          "is shorter than " + min + " characters (" + n + ")", brief(Value::string(s)));
    }
    if (!spec.enumeration.empty()) {
      bool found = false;
      for (const nlohmann::json& e : spec.enumeration)
        if (e.get_ref<const std::string&>() == s) found = true;
      if (!found) {
        std::string q = excerpt(s);
        add(spec, "schema.enum", at, "“" + q + "”不是可选值（可选：" + enum_list(spec.enumeration, "、") + "）",
            "\"" + q + "\" is not one of: " + enum_list(spec.enumeration, ", "), brief(Value::string(s)));
      }
    }
    if (spec.codes && !spec.codes->contains(std::string(s))) {
      std::string q = excerpt(s);
      add(spec, "schema.enum", at, "“" + q + "”不在代码表“" + spec.enum_from + "”中",
          "\"" + q + "\" is not in the code list \"" + spec.enum_from + "\"", brief(Value::string(s)));
    }
    if (spec.format != Format::none) format(spec, s, at);
  }

  void format(const Spec& spec, std::string_view s, const Loc& at) {
    bool ok = true;
    switch (spec.format) {
      case Format::uscc: ok = detail::uscc_valid(s); break;
      case Format::cn_id: ok = detail::cn_id_valid(s); break;
      case Format::phone: ok = detail::phone_valid(s); break;
      case Format::email: ok = detail::email_valid(s); break;
      case Format::url: ok = url_valid(s); break;
      case Format::none: break;
    }
    if (!ok) {
      std::string q = excerpt(s);
      add(spec, "schema.format", at, "“" + q + "”不是有效的" + format_zh(spec.format),
          "\"" + q + "\" is not a valid " + format_en(spec.format), brief(Value::string(s)));
      return;
    }
    if (spec.format == Format::uscc && !detail::uscc_org_code_valid(s)) {
      // Codes converted from old registrations can carry an organisation code that fails its
      // own check and still be genuine, so this asks for a look and never rejects.
      std::string q = excerpt(s);
      Severity severity = spec.severity == Severity::info ? Severity::info : Severity::soft;
      add(spec, "schema.uscc_org_code", at,
          "“" + q + "”第9至17位的组织机构代码校验码不符合GB 11714-1997，请核对",
          "\"" + q + "\": the organization code in characters 9-17 fails its GB 11714-1997 check "
          "character; please verify it",
          brief(Value::string(s)), severity);
    }
  }

  void date(const Spec& spec, std::string_view s, const Loc& at) {
    if (!utf8(s)) return invalid_utf8(spec, at);
    if (blank(s) || Date::parse(s)) return;
    std::string q = excerpt(s);
    add(spec, "schema.date", at, "“" + q + "”不是有效日期（应为YYYY-MM-DD格式的真实日期）",
        "\"" + q + "\" is not a real date written YYYY-MM-DD", brief(Value::string(s)));
  }

  void number(const Spec& spec, double d, const Loc& at) {
    if (spec.minimum && d < *spec.minimum) {
      std::string m = number_text(*spec.minimum), n = number_text(d);
      add(spec, "schema.range", at, "应不小于" + m + "（填写为" + n + "）", "should be at least " + m + " (" + n + ")", d);
    }
    if (spec.maximum && d > *spec.maximum) {
      std::string m = number_text(*spec.maximum), n = number_text(d);
      add(spec, "schema.range", at, "应不大于" + m + "（填写为" + n + "）", "should be at most " + m + " (" + n + ")", d);
    }
    if (!spec.enumeration.empty()) {
      bool found = false;
      for (const nlohmann::json& e : spec.enumeration)
        if (e.get<double>() == d) found = true;
      if (!found) {
        std::string n = number_text(d);
        add(spec, "schema.enum", at, "为" + n + "，不是可选值（可选：" + enum_list(spec.enumeration, "、") + "）",
            "is " + n + ", not one of: " + enum_list(spec.enumeration, ", "), d);
      }
    }
  }

  void object(const Spec& spec, const Value& v, const Loc& at) {
    // Members matched by a declared field; the rest are unknown keys. A form has a few
    // dozen members at most per object.
    constexpr std::size_t kMarked = 64;
    bool marked[kMarked] = {};
    const Loc* place = at.inner_place();
    std::size_t next = 0, matched = 0;
    for (const auto& [key, child] : spec.properties) {
      Loc here{Loc::Step::field, &at, key, 0, child.get(), place, nullptr};
      // Forms usually list their keys in the schema's order: look after the last match first.
      const Value* member = nullptr;
      for (std::size_t k = 0, n = v.size(), i = next < n ? next : 0; k < n; ++k, i = i + 1 < n ? i + 1 : 0) {
        if (detail::value_detail::same_key(v.members()[i].key, key)) {
          member = &v.members()[i].value;
          if (i < kMarked) marked[i] = true;
          next = i + 1;
          ++matched;
          break;
        }
      }
      bool blank_text = member && member->is_string() &&
                        (child->type == Type::string || child->type == Type::date) &&
                        blank(member->as_string()) && utf8(member->as_string());
      if (!member || blank_text) {
        if (child->required)
          add(*child, "schema.required", here, member ? "未填写" : "缺失", member ? "is blank" : "is missing",
              member ? std::optional<nlohmann::json>(std::string(member->as_string())) : std::nullopt);
        continue;
      }
      // Most fields are texts: checked here, without a call to value() and its large frame.
      if (child->type == Type::string && member->is_string()) string(*child, member->as_string(), here);
      else value(*child, *member, here);
    }
    // Fields have distinct keys, so when as many members matched as there are, none is unknown.
    if (spec.additional || matched == v.size()) return;
    for (const detail::Member* m = v.members(); m != v.members_end(); ++m) {
      auto i = static_cast<std::size_t>(m - v.members());
      if (i < kMarked && marked[i]) continue;
      bool declared = false;
      for (const auto& [key, child] : spec.properties)
        if (key == m->key) declared = true;
      if (declared) continue;
      std::string key = excerpt(m->key);
      Loc here{Loc::Step::unknown_key, &at, m->key, 0, nullptr, nullptr, nullptr};
      add(spec, "schema.unknown_key", here, "中有表单未定义的字段“" + key + "”",
          "has a key the form does not define: \"" + key + "\"", brief(m->value), Severity::info);
    }
  }

  void array(const Spec& spec, const Value& v, const Loc& at) {
    if (spec.min_items && v.size() < *spec.min_items) {
      std::string m = std::to_string(*spec.min_items), n = std::to_string(v.size());
      add(spec, "schema.items", at, "应至少有" + m + "项（填写了" + n + "项）",
          "should have at least " + m + entries(*spec.min_items) + " (" + n + ")", nlohmann::json(v.size()));
    }
    if (spec.max_items && v.size() > *spec.max_items) {
      std::string m = std::to_string(*spec.max_items), n = std::to_string(v.size());
      add(spec, "schema.items", at, "应至多有" + m + "项（填写了" + n + "项）",
          "should have at most " + m + entries(*spec.max_items) + " (" + n + ")", nlohmann::json(v.size()));
    }
    // Keyed by canonical JSON text, so a hostile list of a million entries stays linear.
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < v.size(); ++i) {
      Loc here{Loc::Step::entry, &at, {}, i, nullptr, nullptr, nullptr};
      value(*spec.items, v[i], here);
      if (!spec.unique_items) continue;
      std::string canonical =
          detail::to_json(v[i]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      auto [it, fresh] = seen.emplace(std::move(canonical), i);
      if (!fresh) {
        std::string nth = std::to_string(i + 1), first = std::to_string(it->second + 1);
        // Placed at the entry, worded about the list.
        add_at(spec, "schema.unique", here, at, "第" + nth + "项与第" + first + "项重复",
               "entry #" + nth + " repeats entry #" + first, brief(v[i]));
      }
    }
  }

  void map(const Spec& spec, const Value& v, const Loc& at) {
    for (const detail::Member* m = v.members(); m != v.members_end(); ++m) {
      if (spec.keys) {
        Loc key_loc{Loc::Step::map_key, &at, m->key, 0, nullptr, nullptr, nullptr};
        if (!utf8(m->key)) invalid_utf8(*spec.keys, key_loc);
        else string(*spec.keys, m->key, key_loc);
      }
      Loc here{Loc::Step::map_entry, &at, m->key, 0, nullptr, nullptr, nullptr};
      value(*spec.items, m->value, here);
    }
    if (!spec.keys_match.empty()) keys_match(spec, v, at);
  }

  // The map's keys must be exactly the strings of the list at `spec.keys_match`.
  void keys_match(const Spec& spec, const Value& v, const Loc& at) {
    const Value* target = locate(root_, spec.keys_match);
    if (!target || !target->is_array()) return;  // that field's own checks report it
    std::vector<std::string_view> want;
    for (const Value& e : *target)
      if (e.is_string() && std::find(want.begin(), want.end(), e.as_string()) == want.end())
        want.push_back(e.as_string());
    std::string absent, extra;
    for (std::string_view w : want)
      if (!v.find(w)) absent += (absent.empty() ? "" : "、") + excerpt(w);
    for (const detail::Member* m = v.members(); m != v.members_end(); ++m)
      if (std::find(want.begin(), want.end(), m->key) == want.end())
        extra += (extra.empty() ? "" : "、") + excerpt(m->key);
    if (absent.empty() && extra.empty()) return;
    const Message& other = spec.keys_match_label;
    std::string zh = "应与" + other.zh + "一一对应";
    std::string en = "must have one entry for each of " + other.zh + " (" + other.en + ") and no other";
    if (!absent.empty()) {
      zh += "：缺少" + absent;
      en += ": missing " + absent;
    }
    if (!extra.empty()) {
      zh += (absent.empty() ? "：多出" : "，多出") + extra;
      en += (absent.empty() ? ": extra " : "; extra ") + extra;
    }
    add(spec, "schema.keys", at, zh, en, brief(v));
    if (auto e = brief(*target)) out_.back().evidence.set(spec.keys_match, *e);
  }

  // simdjson validates by the rules of detail::utf8_valid (no overlong forms, surrogates or
  // code points above U+10FFFF), faster on long texts; a document checked as a whole is not
  // checked again.
  bool utf8(std::string_view s) const { return utf8_checked_ || simdjson::validate_utf8(s.data(), s.size()); }

  std::vector<Finding>& out_;
  const Value& root_;
  bool utf8_checked_;
};

// ----------------------------------------------------------------------------- JSON Schema

nlohmann::json json_schema_of(const Spec& spec) {
  nlohmann::json out = nlohmann::json::object();
  out["title"] = spec.label.zh;
  out["x-title-en"] = spec.label.en;
  if (!spec.description.zh.empty()) out["description"] = spec.description.zh;
  if (!spec.description.en.empty()) out["x-description-en"] = spec.description.en;
  out["x-clause"] = spec.clause;
  if (spec.severity != Severity::soft)
    out["x-severity"] = spec.severity == Severity::hard ? "hard" : "info";
  std::string type;
  switch (spec.type) {
    case Type::any:
      return out;
    case Type::string: {
      type = "string";
      if (spec.max_chars) out["maxLength"] = *spec.max_chars;  // JSON Schema counts code points too
      if (spec.min_chars) out["minLength"] = *spec.min_chars;
      else if (spec.required) out["minLength"] = 1;
      if (!spec.enumeration.empty()) out["enum"] = spec.enumeration;
      if (spec.codes) {
        std::vector<std::string> codes(spec.codes->begin(), spec.codes->end());
        std::sort(codes.begin(), codes.end());
        out["enum"] = codes;
        out["x-code-set"] = spec.enum_from;
      }
      switch (spec.format) {
        case Format::uscc:
          out["pattern"] = "^[0-9A-HJ-NP-RTUW-Y]{18}$";
          break;
        case Format::cn_id:
          out["pattern"] = "^[1-8][0-9]{5}(19|[2-9][0-9])[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]$";
          break;
        case Format::phone:
          out["pattern"] =
              "^((\\+86 ?|86)?1[3-9][0-9]{9}|(\\(0[1-9][0-9]{1,2}\\) ?|0[1-9][0-9]{1,2}[- ]?)[2-9][0-9]{6,7}"
              "((-|转)[0-9]{1,6})?)$";
          break;
        case Format::email:
          out["format"] = "email";
          break;
        case Format::url:
          out["format"] = "uri";
          out["pattern"] = "^https?://";
          break;
        default:
          break;
      }
      if (spec.format != Format::none) out["x-format"] = format_name(spec.format);
      break;
    }
    case Type::date:
      type = "string";
      out["format"] = "date";
      if (spec.required) out["minLength"] = 1;
      break;
    case Type::number:
    case Type::integer:
      type = spec.type == Type::number ? "number" : "integer";
      if (spec.minimum) out["minimum"] = *spec.minimum;
      if (spec.maximum) out["maximum"] = *spec.maximum;
      if (!spec.enumeration.empty()) out["enum"] = spec.enumeration;
      break;
    case Type::boolean:
      type = "boolean";
      break;
    case Type::array:
      type = "array";
      out["items"] = json_schema_of(*spec.items);
      if (spec.min_items) out["minItems"] = *spec.min_items;
      if (spec.max_items) out["maxItems"] = *spec.max_items;
      if (spec.unique_items) out["uniqueItems"] = true;
      break;
    case Type::object: {
      type = "object";
      nlohmann::json properties = nlohmann::json::object(), required = nlohmann::json::array();
      for (const auto& [key, child] : spec.properties) {
        properties[key] = json_schema_of(*child);
        if (child->required) required.push_back(key);
      }
      out["properties"] = std::move(properties);
      if (!required.empty()) out["required"] = std::move(required);
      out["additionalProperties"] = spec.additional;
      break;
    }
    case Type::map:
      type = "object";
      if (spec.keys) {
        nlohmann::json keys = json_schema_of(*spec.keys);
        keys["type"] = "string";
        out["propertyNames"] = std::move(keys);
      }
      out["additionalProperties"] = json_schema_of(*spec.items);
      if (!spec.keys_match.empty()) out["x-keys-match"] = spec.keys_match;
      break;
  }
  if (spec.nullable) {
    out["type"] = nlohmann::json::array({type, "null"});
    if (out.contains("enum")) out["enum"].push_back(nullptr);
  } else {
    out["type"] = type;
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------- Schema

struct Schema::Impl {
  Message title;
  Spec root;
  Field fields;
  nlohmann::json checks = nlohmann::json::array();
};

Schema::Schema() : impl_(std::make_shared<const Impl>()) {}

Schema Schema::from_json(const nlohmann::json& j, const std::string& file, const CodeSets& sets) {
  Compiler compiler(file, sets);
  if (!j.is_object()) compiler.fail("", "schema.json must be an object with \"title\" and \"fields\"");
  auto impl = std::make_shared<Impl>();
  impl->root.type = Type::object;
  impl->root.clause = "form:";
  for (const auto& [key, v] : j.items()) {
    // Not `"/" + escape_token(key)`: GCC 12 warns falsely about it at -O2 (-Wrestrict).
    std::string at = std::string("/").append(escape_token(key));
    if (key == "title") impl->title = compiler.message(v, at);
    else if (key == "description") impl->root.description = compiler.message(v, at);
    else if (key == "fields") compiler.properties(impl->root, v, at, "");
    else if (key == "additional") impl->root.additional = compiler.boolean(v, at);
    else if (key == "checks") {
      if (!v.is_array()) compiler.fail(at, "\"checks\" must be a list of rules");
      for (std::size_t i = 0; i < v.size(); ++i)
        if (!v[i].is_object()) compiler.fail(at + "/" + std::to_string(i), "a check must be a rule object");
      impl->checks = v;
    } else {
      compiler.fail(at, "unknown key \"" + key + "\" (title, description, fields, additional, checks)");
    }
  }
  if (!j.contains("title")) compiler.fail("", "schema.json needs a \"title\" {\"zh\", \"en\"}");
  if (!j.contains("fields")) compiler.fail("", "schema.json needs \"fields\"");
  compiler.resolve_keys_match(impl->root);
  keep_clauses(impl->root);
  impl->root.label = impl->title;
  impl->fields = field_tree(impl->root);
  Schema s;
  s.impl_ = std::move(impl);
  return s;
}

const detail::Field& Schema::fields() const noexcept { return impl_->fields; }

const nlohmann::json& Schema::checks() const noexcept { return impl_->checks; }

void Schema::validate(const detail::Value& application, std::vector<Finding>& out, bool utf8_checked) const {
  if (impl_->root.type == Type::any) return;  // no schema
  Validator validator(out, application, utf8_checked);
  Loc root;
  root.title = &impl_->title;
  validator.value(impl_->root, application, root);
}

nlohmann::json Schema::json_schema() const {
  nlohmann::json out = nlohmann::json::object();
  out["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  if (impl_->root.type == Type::any) return out;
  nlohmann::json body = json_schema_of(impl_->root);
  for (auto& [key, v] : body.items()) out[key] = v;
  return out;
}

}  // namespace qualify
