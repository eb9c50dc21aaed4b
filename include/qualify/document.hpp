// qualify: an application parsed once into the engine's compact form.
#pragma once

#include <cstddef>
#include <memory>  // shared_ptr
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "qualify/detail/value.hpp"
#include "qualify/limits.hpp"

namespace qualify {

namespace detail {
struct DocumentAccess;  // the engine's parse into a reused arena (src/document.cpp)
}  // namespace detail

/// A std::string given to RulePack::evaluate with at least this many bytes to spare after
/// its text (capacity() - size()) is parsed where it is, without first being copied: the
/// parser may read that far past the text. Reserve it when building texts to evaluate.
inline constexpr std::size_t kParsePadding = 64;

/// A parsed JSON document (an application) in the engine's own form. Parsing never throws:
/// text that is not valid JSON, is too large or too deep gives a Document whose `ok()` is
/// false and whose `error_code()` / `error_message()` say why, so a batch keeps going.
/// Immutable once made; cheap to copy (shared storage); safe to read from many threads.
class Document {
 public:
  Document();

  /// Parses UTF-8 JSON text (a leading UTF-8 byte-order mark is skipped). Invalid UTF-8,
  /// duplicate keys, numbers out of range and nesting deeper than `limits.max_data_depth`
  /// are errors.
  static Document parse(std::string_view text, const Limits& limits = {});
  /// Copies an nlohmann value; nesting deeper than `limits.max_data_depth` is an error.
  static Document from_json(const nlohmann::json& j, const Limits& limits = {});

  bool ok() const noexcept { return error_code_.empty(); }
  /// "parse_error", "invalid_utf8", "duplicate_key", "too_large", "too_deep",
  /// "number_out_of_range"; empty when ok().
  const std::string& error_code() const noexcept { return error_code_; }
  const std::string& error_message() const noexcept { return error_message_; }
  /// True when the text began with a UTF-8 byte-order mark (skipped).
  bool had_bom() const noexcept { return had_bom_; }

  /// The document as nlohmann JSON (null when !ok()).
  nlohmann::json to_json() const;

  const detail::Value& root() const noexcept { return root_; }

 private:
  friend struct detail::DocumentAccess;
  std::shared_ptr<detail::Arena> arena_;
  detail::Value root_;
  std::string error_code_, error_message_;
  bool had_bom_ = false;
  bool utf8_checked_ = false;  // parsed from text that was checked as a whole: every string is UTF-8
  bool just_parsed_ = false;   // made by evaluate(text) for itself: its values are still in cache
};

}  // namespace qualify
