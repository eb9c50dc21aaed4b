// qualify: the store behind qualify::intern (internal).
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace qualify::detail {

// One copy of each distinct text, never freed while the store lives, so the views it hands
// out stay valid. A deque never moves its strings. Thread-safe. Past `max_bytes` of text it
// throws qualify::Error("too_many_names").
class TextStore {
 public:
  explicit TextStore(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  TextStore(const TextStore&) = delete;
  TextStore& operator=(const TextStore&) = delete;

  std::string_view keep(std::string_view text);
  std::size_t bytes() const;

 private:
  mutable std::mutex mutex_;
  std::deque<std::string> kept_;
  std::unordered_set<std::string_view> index_;
  std::size_t bytes_ = 0;
  std::size_t max_bytes_;
};

}  // namespace qualify::detail
