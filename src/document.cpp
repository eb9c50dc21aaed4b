// Parsing application text into the engine's compact form. simdjson does the parsing
// (validating UTF-8 at several GB/s); we copy its tape into arena-backed values.
#include "qualify/document.hpp"

#include <algorithm>
#include <cstring>  // memcpy
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

// Copies simdjson's tape into values. The tape is walked directly rather than through
// dom::element: each word is read once, in order, and a scope's size and end come from its
// opening word (the format is simdjson's documented tape, doc/tape.md).
class Builder {
 public:
  // `borrow`: strings and keys stay in the parser's buffer, for a document that is gone
  // before the thread parses again. Otherwise they are built as views into that buffer too,
  // then moved into the arena at the end by one copy of the buffer's used part: cheaper
  // than a copy per string (an application has hundreds of short ones).
  Builder(const simdjson::dom::document& doc, Arena& arena, std::size_t max_depth, bool borrow)
      : tape_(doc.tape.get()), strings_(doc.string_buf.get()), arena_(arena), max_depth_(max_depth), borrow_(borrow) {}

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

  // The root value: word 0 is the root marker.
  bool build_root(Value& out) {
    if (!build(1, out, 0, nullptr)) return false;
    if (!borrow_ && strings_used_) {
      char* copy = static_cast<char*>(arena_.allocate(strings_used_, 1));
      std::memcpy(copy, strings_, strings_used_);
      move_strings(out, copy - reinterpret_cast<const char*>(strings_));
    }
    return true;
  }

  Failure failure_;

 private:
  // Builds the value at tape word `i` into `out`; returns the index of the word after it, or 0
  // and fills failure_ on a semantic problem (duplicate key, depth).
  std::size_t build(std::size_t i, Value& out, std::size_t depth, const Frame* where) {
    if (scalar(i, out)) return i;
    const std::uint64_t word = tape_[i];
    switch (static_cast<char>(word >> 56)) {
      case '[': {
        if (depth >= max_depth_) return too_deep(where);
        const std::size_t end = after_scope(word);
        const std::size_t n = entries(word, i, end, 1);
        Value* items = arena_.make_array<Value>(n);
        std::size_t at = i + 1;
        for (std::size_t k = 0; k < n; ++k) {
          new (&items[k]) Value();
          if (scalar(at, items[k])) continue;
          Frame here{where, {}, k, true};
          if (!(at = build(at, items[k], depth + 1, &here))) return 0;
        }
        out = Value::array(items, n);
        return end;
      }
      case '{': {
        if (depth >= max_depth_) return too_deep(where);
        const std::size_t end = after_scope(word);
        const std::size_t n = entries(word, i, end, 2);
        Member* members = arena_.make_array<Member>(n);
        std::size_t at = i + 1;
        for (std::size_t k = 0; k < n; ++k) {
          // A key is always a string word. The frame takes the key from the register, not
          // from the member just stored: reading that back stalled on store forwarding.
          const std::string_view key = text(tape_[at]);
          new (&members[k]) Member{key, Value()};
          ++at;  // the value, after its key
          if (scalar(at, members[k].value)) continue;
          Frame here{where, key, 0, false};
          if (!(at = build(at, members[k].value, depth + 1, &here))) return 0;
        }
        if (std::string_view dup = duplicate_key(members, n); dup.data()) {
          failure_ = {"duplicate_key",
                      pointer(where) + ": duplicate key \"" + std::string(dup) + "\""};
          return 0;
        }
        out = Value::object(members, n);
        return end;
      }
    }
    out = Value();  // no other word starts a value on a tape simdjson accepted
    return i + 1;
  }

  // Builds the value at tape word `i` into `out` and moves `i` past it if it is a scalar;
  // false, with nothing done, for a list or an object. Most of a form's values are scalars:
  // the loops above build them inline, without a call to build() for each.
  [[gnu::always_inline]] bool scalar(std::size_t& i, Value& out) {
    const std::uint64_t word = tape_[i];
    switch (static_cast<char>(word >> 56)) {
      case '"':
        out = Value::string(text(word));
        i += 1;
        return true;
      case 'n':
        out = Value();
        i += 1;
        return true;
      case 't':
      case 'f':
        out = Value::boolean(static_cast<char>(word >> 56) == 't');
        i += 1;
        return true;
      case 'l':
        out = Value::number(static_cast<double>(next_word<std::int64_t>(i)));
        i += 2;
        return true;
      case 'u':
        out = Value::number(static_cast<double>(next_word<std::uint64_t>(i)));
        i += 2;
        return true;
      case 'd':
        out = Value::number(next_word<double>(i));
        i += 2;
        return true;
      default:
        return false;
    }
  }

  template <class T>
  T next_word(std::size_t i) const {
    T x;
    std::memcpy(&x, &tape_[i + 1], sizeof x);
    return x;
  }

  // A scope's opening word holds the index of the word after its closing one (low 32 bits)
  // and its count of entries (the next 24).
  static std::size_t after_scope(std::uint64_t word) { return static_cast<std::uint32_t>(word); }

  // The count saturates at 2^24 - 1 ("that many or more"): a scope that large is counted, so
  // that the array built for it holds every entry. `words_per_entry`: 1 for a list, 2 for an
  // object (key and value).
  std::size_t entries(std::uint64_t word, std::size_t open, std::size_t end, int words_per_entry) const {
    constexpr std::size_t kSaturated = 0xFFFFFF;
    std::size_t n = (word >> 32) & kSaturated;
    if (n < kSaturated) return n;
    n = 0;
    for (std::size_t at = open + 1; at + 1 < end; ++n)
      for (int w = 0; w < words_per_entry; ++w) at = skip(at);
    return n;
  }

  // The index of the word after the value at `at`.
  std::size_t skip(std::size_t at) const {
    switch (static_cast<char>(tape_[at] >> 56)) {
      case '[':
      case '{': return after_scope(tape_[at]);
      case 'l':
      case 'u':
      case 'd': return at + 2;
      default: return at + 1;
    }
  }

  // A string word holds an offset into the string buffer: a 32-bit length, then the bytes.
  std::string_view text(std::uint64_t word) {
    const std::uint8_t* at = strings_ + (word & simdjson::internal::JSON_VALUE_MASK);
    std::uint32_t length;
    std::memcpy(&length, at, sizeof length);
    // The end of the used part; max, not last, so that nothing depends on the order
    // simdjson writes strings in.
    strings_used_ = std::max<std::size_t>(strings_used_, at + sizeof length + length - strings_);
    return {reinterpret_cast<const char*>(at + sizeof length), length};
  }

  // Points every string and key built into the parser's buffer at its copy, `by` bytes away.
  static void move_strings(Value& v, std::ptrdiff_t by) {
    auto moved = [by](std::string_view s) { return std::string_view(s.data() + by, s.size()); };
    if (v.is_string()) {
      v = Value::string(moved(v.as_string()));
    } else if (v.is_array()) {
      // The arena's memory, written by this builder: const only in the view.
      for (Value* e = const_cast<Value*>(v.begin()), *end = e + v.size(); e != end; ++e) move_strings(*e, by);
    } else if (v.is_object()) {
      for (Member* m = const_cast<Member*>(v.members()), *end = m + v.size(); m != end; ++m) {
        m->key = moved(m->key);
        move_strings(m->value, by);
      }
    }
  }

  std::size_t too_deep(const Frame* where) {
    failure_ = {"too_deep", pointer(where) + ": nesting deeper than " +
                                std::to_string(max_depth_) + " levels"};
    return 0;
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

  const std::uint64_t* tape_;
  const std::uint8_t* strings_;
  Arena& arena_;
  std::size_t max_depth_;
  bool borrow_;
  std::size_t strings_used_ = 0;  // bytes of the string buffer the values point into
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
  // Values, members and unescaped strings take 1.3 to 2.1 times the text for applications:
  // one block holds them all.
  if (reuse) {
    reuse->reset();
    doc.arena_ = std::shared_ptr<Arena>(std::shared_ptr<Arena>(), reuse);  // not owned
  } else {
    doc.arena_ = std::make_shared<Arena>(2 * text.size() + 1024);
  }
  Builder builder(parser.doc, *doc.arena_, limits.max_data_depth, reuse != nullptr);
  if (!builder.build_root(doc.root_)) {
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
