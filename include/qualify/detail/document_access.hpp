// qualify: parsing an application into a caller's arena (internal).
#pragma once

#include <string>
#include <string_view>

#include "qualify/document.hpp"

namespace qualify::detail {

struct DocumentAccess {
  // Document::parse, with the values in `reuse` (reset first) when it is not null: the
  // Document then borrows the arena, and its strings stay in the thread's parser, so it
  // must not outlive the arena's next reuse or the thread's next parse. evaluate(text)
  // parses this way, so an application costs no fresh block of memory and no copies.
  //
  // `padded`: at least kParsePadding allocated bytes follow the text (their content does not
  // matter), so the parser reads it where it is instead of copying it first.
  static Document parse(std::string_view text, const Limits& limits, Arena* reuse, bool padded = false);
  static bool padded(const std::string& text) noexcept { return text.capacity() - text.size() >= kParsePadding; }
  // True when the document came from text whose UTF-8 was checked as a whole, so the
  // schema need not check each string again.
  static bool utf8_checked(const Document& doc) noexcept { return doc.utf8_checked_; }
  // True for a document parsed into `reuse` a moment ago (evaluate(text)): still in cache.
  static bool just_parsed(const Document& doc) noexcept { return doc.just_parsed_; }
  // The memory holding the document's values and texts, when it is one block (else empty).
  static std::basic_string_view<std::byte> span(const Document& doc) noexcept {
    return doc.arena_ ? doc.arena_->used_span() : std::basic_string_view<std::byte>();
  }
};

}  // namespace qualify::detail
