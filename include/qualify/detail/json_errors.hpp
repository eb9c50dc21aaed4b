// qualify: nlohmann/json's parse errors worded for users, for packs and applications alike.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "qualify/detail/validators.hpp"

namespace qualify::detail {

// nlohmann's message without its "[json.exception…] " prefix. It quotes the token it last
// read, which may be megabytes long and may end inside a character: keep its last 40 bytes,
// and keep the message valid UTF-8.
inline std::string json_error_reason(const nlohmann::json::exception& e) {
  std::string what = e.what();
  if (auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
  for (std::string_view quote : {"last read: '", "parsing '"}) {
    std::size_t start = what.find(quote);
    if (start == std::string::npos) continue;
    start += quote.size();
    std::size_t end = what.rfind("'; expected ");
    if (end == std::string::npos || end < start) end = !what.empty() && what.back() == '\'' ? what.size() - 1 : what.size();
    if (end > start + 40) what.replace(start, end - start - 40, "…");
  }
  return utf8_scrub(what);
}

}  // namespace qualify::detail
