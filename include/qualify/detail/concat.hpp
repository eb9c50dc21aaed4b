// qualify: joining the pieces of a message (internal).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace qualify::detail {

// The pieces joined with one allocation. Explanations are built from many short pieces,
// and a chain of `+` regrows its string several times on the way to a sentence.
inline std::string concat(std::initializer_list<std::string_view> pieces) {
  std::size_t size = 0;
  for (std::string_view p : pieces) size += p.size();
  std::string out;
  out.reserve(size);
  for (std::string_view p : pieces) out.append(p);
  return out;
}

}  // namespace qualify::detail
