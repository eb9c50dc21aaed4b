// qualify: a bump allocator for documents and evaluation temporaries.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>  // unique_ptr
#include <string_view>
#include <vector>

namespace qualify::detail {

// Values are views into memory owned by an Arena, so copying a value never allocates and
// a whole document is freed at once. Not thread-safe: one arena per document or thread.
class Arena {
 public:
  explicit Arena(std::size_t first_block = 16 * 1024) : next_block_(first_block) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;

  void* allocate(std::size_t bytes, std::size_t align = alignof(std::max_align_t)) {
    std::size_t at = (used_ + align - 1) & ~(align - 1);
    if (blocks_.empty() || at + bytes > capacity_) {
      grow(bytes + align);
      at = (used_ + align - 1) & ~(align - 1);
    }
    used_ = at + bytes;
    return blocks_[current_].get() + at;
  }

  template <class T>
  T* make_array(std::size_t n) {
    return n == 0 ? nullptr : static_cast<T*>(allocate(n * sizeof(T), alignof(T)));
  }

  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = static_cast<char*>(allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  /// Forget everything allocated but keep the blocks for reuse.
  void reset() noexcept {
    current_ = 0;
    used_ = 0;
    capacity_ = blocks_.empty() ? 0 : sizes_[0];
  }

  /// The bytes allocated so far, when they are all in one block (else empty).
  std::basic_string_view<std::byte> used_span() const noexcept {
    if (blocks_.empty() || current_ != 0) return {};
    return {blocks_[0].get(), used_};
  }

  std::size_t bytes_reserved() const noexcept {
    std::size_t total = 0;
    for (std::size_t s : sizes_) total += s;
    return total;
  }

 private:
  // Out of line, so that allocate() stays small enough to inline.
  [[gnu::noinline]] void grow(std::size_t at_least) {
    // Reuse a kept block after reset() when it is large enough.
    while (current_ + 1 < blocks_.size() && !blocks_.empty()) {
      ++current_;
      used_ = 0;
      capacity_ = sizes_[current_];
      if (capacity_ >= at_least) return;
    }
    std::size_t size = next_block_ > at_least ? next_block_ : at_least;
    // Not zeroed (a parse pays for every block): each byte is written before it is read.
    blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(size));
    sizes_.push_back(size);
    current_ = blocks_.size() - 1;
    used_ = 0;
    capacity_ = size;
    if (next_block_ < (std::size_t{1} << 24)) next_block_ *= 2;
  }

  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::vector<std::size_t> sizes_;
  std::size_t current_ = 0;
  std::size_t used_ = 0;
  std::size_t capacity_ = 0;
  std::size_t next_block_;
};

}  // namespace qualify::detail
