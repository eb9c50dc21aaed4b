// qualify: writing a JSON string, for the Decision JSON and the Python module's dict-to-text.
#pragma once

#include <cstdint>
#include <cstring>  // memcpy
#include <string>
#include <string_view>

namespace qualify::detail {

/// Appends `s`, which must be valid UTF-8, as a JSON string the way nlohmann::json writes
/// it without ensure_ascii: UTF-8 passes through; quote, backslash and control characters
/// are escaped (\b \f \n \r \t, else \u00xx in lower case).
inline void append_json_string(std::string& out, std::string_view s) {
  // Eight bytes at a time to the first word that may hold a byte to escape: most texts
  // hold none. A word's byte is zero after the mask (below 0x20) or the XOR (quote, backslash).
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto has_zero_byte = [](std::uint64_t x) { return ((x - kOnes) & ~x & kHigh) != 0; };
  std::size_t clean = 0;
  for (; clean + 8 <= s.size(); clean += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + clean, 8);
    if (has_zero_byte(w & 0xE0E0E0E0E0E0E0E0ull) || has_zero_byte(w ^ (kOnes * '"')) ||
        has_zero_byte(w ^ (kOnes * '\\')))
      break;
  }
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet appended
  for (std::size_t i = clean; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof escape);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

/// The same for text that may not be UTF-8: invalid bytes become U+FFFD, as nlohmann's
/// error_handler_t::replace writes them (decision.cpp).
void append_json_string_checked(std::string& out, std::string_view s);

}  // namespace qualify::detail
