// Text kept for the whole process, once per distinct text: the rule ids and clauses that
// findings name (qualify::intern).
#include "qualify/detail/text_store.hpp"

#include <string>
#include <string_view>

#include "qualify/decision.hpp"
#include "qualify/error.hpp"

namespace qualify {

namespace detail {

std::string_view TextStore::keep(std::string_view text) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = index_.find(text); it != index_.end()) return *it;
  if (text.size() > max_bytes_ - bytes_)
    throw Error("too_many_names", "", "",
                "more than " + std::to_string(max_bytes_) + " bytes of distinct rule ids and clauses");
  bytes_ += text.size();
  std::string_view view = kept_.emplace_back(text);
  index_.insert(view);
  return view;
}

std::size_t TextStore::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

}  // namespace detail

std::string_view intern(std::string_view text) {
  // Never destroyed, so the views stay valid through the end of the process.
  static detail::TextStore* const store = new detail::TextStore(std::size_t{64} << 20);
  return store->keep(text);
}

}  // namespace qualify
