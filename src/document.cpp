// Parsing application text into the engine's compact form. simdjson does the parsing
// (validating UTF-8 at several GB/s); we copy its tape into arena-backed values.
#include "qualify/document.hpp"

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "qualify/detail/document_access.hpp"
#include "qualify/detail/json_errors.hpp"
#include "qualify/detail/validators.hpp"
#include "qualify/error.hpp"

namespace qualify {

namespace {

using detail::Arena;
using detail::Member;
using detail::Value;

// "line L, column C" (1-based; the column counts bytes) of byte `offset` of `text`.
std::string where(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

struct Failure {
  std::string code, message;
};

std::string escape_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

class Builder {
 public:
  // `borrow`: strings and keys stay in the parser's buffer instead of being copied, for a
  // document that is gone before the thread parses again.
  Builder(Arena& arena, std::size_t max_depth, bool borrow) : arena_(arena), max_depth_(max_depth), borrow_(borrow) {}

  // Returns false and fills failure_ on a semantic problem (duplicate key, depth).
  // The path to the current value, kept on the stack and spelled out only on failure.
  struct Frame {
    const Frame* parent;
    std::string_view key;
    std::size_t index;
    bool is_index;
  };

  static std::string pointer(const Frame* f) {
    std::vector<const Frame*> chain;
    for (; f; f = f->parent) chain.push_back(f);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      out += '/';
      out += (*it)->is_index ? std::to_string((*it)->index) : escape_pointer_token((*it)->key);
    }
    return out.empty() ? "/" : out;
  }

  bool build(simdjson::dom::element e, Value& out, std::size_t depth, const Frame* where) {
    using T = simdjson::dom::element_type;
    switch (e.type()) {
      case T::NULL_VALUE:
        out = Value();
        return true;
      case T::BOOL:
        out = Value::boolean(e.get_bool().value_unsafe());
        return true;
      case T::INT64:
        out = Value::number(static_cast<double>(e.get_int64().value_unsafe()));
        return true;
      case T::UINT64:
        out = Value::number(static_cast<double>(e.get_uint64().value_unsafe()));
        return true;
      case T::DOUBLE:
        out = Value::number(e.get_double().value_unsafe());
        return true;
      case T::STRING:
        out = Value::string(text(e.get_string().value_unsafe()));
        return true;
      case T::ARRAY: {
        if (depth >= max_depth_) return too_deep(where);
        simdjson::dom::array a = e.get_array().value_unsafe();
        std::size_t n = entries(a);
        Value* items = arena_.make_array<Value>(n);
        std::size_t i = 0;
        for (simdjson::dom::element item : a) {
          Frame here{where, {}, i, true};
          new (&items[i]) Value();
          if (!build(item, items[i], depth + 1, &here)) return false;
          ++i;
        }
        out = Value::array(items, n);
        return true;
      }
      case T::OBJECT: {
        if (depth >= max_depth_) return too_deep(where);
        simdjson::dom::object o = e.get_object().value_unsafe();
        std::size_t n = entries(o);
        Member* members = arena_.make_array<Member>(n);
        std::size_t i = 0;
        for (simdjson::dom::key_value_pair kv : o) {
          new (&members[i]) Member{text(kv.key), Value()};
          Frame here{where, members[i].key, 0, false};
          if (!build(kv.value, members[i].value, depth + 1, &here)) return false;
          ++i;
        }
        if (std::string_view dup = duplicate_key(members, n); dup.data()) {
          failure_ = {"duplicate_key",
                      pointer(where) + ": duplicate key \"" + std::string(dup) + "\""};
          return false;
        }
        out = Value::object(members, n);
        return true;
      }
    }
    out = Value();
    return true;
  }

  Failure failure_;

 private:
  // simdjson's size() saturates at 2^24 - 1 ("that many or more"): a scope that large is
  // counted, so that the array built for it holds every entry.
  template <class Scope>
  static std::size_t entries(const Scope& scope) {
    constexpr std::size_t kSaturated = 0xFFFFFF;  // where dom::array/object::size() stop
    std::size_t n = scope.size();
    if (n < kSaturated) return n;
    n = 0;
    for (auto it = scope.begin(); it != scope.end(); ++it) ++n;
    return n;
  }

  std::string_view text(std::string_view s) { return borrow_ ? s : arena_.copy(s); }

  bool too_deep(const Frame* where) {
    failure_ = {"too_deep", pointer(where) + ": nesting deeper than " +
                                std::to_string(max_depth_) + " levels"};
    return false;
  }

  static std::string_view duplicate_key(const Member* m, std::size_t n) {
    if (n < 2) return {};
    if (n <= 32) {
      // A key is compared with the earlier ones only when its length and end bytes fall on
      // a bit an earlier key set: in a form's objects that is rare.
      std::uint64_t seen = 0;
      for (std::size_t i = 0; i < n; ++i) {
        std::string_view k = m[i].key;
        unsigned mix = static_cast<unsigned>(k.size()) * 7u;
        if (!k.empty()) mix += static_cast<unsigned char>(k.front()) * 3u + static_cast<unsigned char>(k.back());
        std::uint64_t bit = std::uint64_t{1} << (mix & 63u);
        if (seen & bit)
          for (std::size_t j = 0; j < i; ++j)
            if (detail::value_detail::same_key(k, m[j].key)) return k.empty() ? std::string_view("", 0) : k;
        seen |= bit;
      }
      return {};
    }
    std::vector<std::string_view> keys;
    keys.reserve(n);
    for (std::size_t i = 0; i < n; ++i) keys.push_back(m[i].key);
    std::sort(keys.begin(), keys.end());
    for (std::size_t i = 1; i < n; ++i)
      if (keys[i] == keys[i - 1]) return keys[i].empty() ? std::string_view("", 0) : keys[i];
    return {};
  }

  Arena& arena_;
  std::size_t max_depth_;
  bool borrow_;
};

// simdjson says what failed but not where; nlohmann's parser names line and column, so it
// words the message for the (rare) failing document.
std::string describe_syntax_error(std::string_view text, const char* fallback) {
  try {
    auto parsed = nlohmann::json::parse(text.begin(), text.end());
    (void)parsed;
  } catch (const nlohmann::json::exception& e) {
    return detail::json_error_reason(e);
  }
  // nlohmann reads a NUL byte as the end of the text, so it may accept what simdjson refused.
  if (std::size_t nul = text.find('\0'); nul != std::string_view::npos)
    return where(text, nul) + ": a NUL byte where JSON allows none";
  return fallback;
}

}  // namespace

// No arena until there are values to keep: parse() and from_json() make one sized for the input.
Document::Document() = default;

Document Document::parse(std::string_view text, const Limits& limits) {
  return detail::DocumentAccess::parse(text, limits, nullptr);
}

namespace detail {

static_assert(kParsePadding >= simdjson::SIMDJSON_PADDING);

Document DocumentAccess::parse(std::string_view text, const Limits& limits, Arena* reuse, bool padded) {
  Document doc;
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    text.remove_prefix(3);
    doc.had_bom_ = true;
  }
  if (text.size() > limits.max_document_bytes) {
    doc.error_code_ = "too_large";
    doc.error_message_ = "document of " + std::to_string(text.size()) +
                         " bytes is larger than the limit of " +
                         std::to_string(limits.max_document_bytes) + " bytes";
    return doc;
  }
  thread_local simdjson::dom::parser parser;
  // simdjson counts the root as a level; one spare lets our own check name the pointer.
  std::size_t depth = limits.max_data_depth + 2;
  if (parser.max_depth() != depth || parser.capacity() < text.size()) {
    if (parser.allocate(std::max<std::size_t>(text.size(), 4096), depth) != simdjson::SUCCESS) {
      doc.error_code_ = "too_large";
      doc.error_message_ = "cannot allocate a parser for " + std::to_string(text.size()) + " bytes";
      return doc;
    }
  }
  simdjson::dom::element root;
  auto err = parser.parse(text.data(), text.size(), /*realloc_if_needed=*/!padded).get(root);
  if (err) {
    // simdjson may stop at a structural fault before it meets bad UTF-8: bad UTF-8 decides.
    std::size_t bad_byte = detail::utf8_error_offset(text);
    if (bad_byte < text.size()) err = simdjson::UTF8_ERROR;
    switch (err) {
      case simdjson::UTF8_ERROR:
        doc.error_code_ = "invalid_utf8";
        doc.error_message_ = "the text is not valid UTF-8";
        if (bad_byte < text.size()) doc.error_message_ += " (" + where(text, bad_byte) + ")";
        break;
      case simdjson::DEPTH_ERROR:
        doc.error_code_ = "too_deep";
        doc.error_message_ = "nesting deeper than " + std::to_string(limits.max_data_depth) + " levels";
        break;
      case simdjson::NUMBER_ERROR:
        doc.error_code_ = "number_out_of_range";
        doc.error_message_ = describe_syntax_error(text, "a number is out of range or malformed");
        break;
      case simdjson::EMPTY:
        doc.error_code_ = "parse_error";
        doc.error_message_ = "the document is empty";
        break;
      default:
        doc.error_code_ = "parse_error";
        doc.error_message_ = describe_syntax_error(text, simdjson::error_message(err));
    }
    return doc;
  }
  // Values, members and unescaped strings take 1.3 to 1.9 times the text for applications:
  // one block holds them all.
  if (reuse) {
    reuse->reset();
    doc.arena_ = std::shared_ptr<Arena>(std::shared_ptr<Arena>(), reuse);  // not owned
  } else {
    doc.arena_ = std::make_shared<Arena>(2 * text.size() + 1024);
  }
  Builder builder(*doc.arena_, limits.max_data_depth, reuse != nullptr);
  if (!builder.build(root, doc.root_, 0, nullptr)) {
    doc.error_code_ = builder.failure_.code;
    doc.error_message_ = builder.failure_.message;
    doc.root_ = Value();
  }
  doc.utf8_checked_ = true;  // simdjson checked the whole text
  doc.just_parsed_ = reuse != nullptr;
  return doc;
}

}  // namespace detail

Document Document::from_json(const nlohmann::json& j, const Limits& limits) {
  Document doc;
  doc.arena_ = std::make_shared<Arena>(4096);
  try {
    doc.root_ = detail::from_json(j, *doc.arena_, limits.max_data_depth);
  } catch (const Error& e) {
    doc.error_code_ = e.code();
    doc.error_message_ = e.reason();
    doc.root_ = Value();
  }
  return doc;
}

nlohmann::json Document::to_json() const { return detail::to_json(root_); }

}  // namespace qualify
