// qualify: recording evidence straight from the engine's values, without nlohmann JSON.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "qualify/decision.hpp"
#include "qualify/detail/value.hpp"

namespace qualify::detail {

struct EvidenceAccess {
  /// Makes `e` an empty object and keeps its buffers: the engine builds a finding's evidence
  /// in one kept by the thread and gives the finding a copy of its size.
  static void clear(Evidence& e) noexcept {
    e.text_.clear();
    e.slots_.clear();
    e.recorded_ = true;
  }
  /// Frees `e`'s buffers when they hold more than `bytes`.
  static void release_if_over(Evidence& e, std::size_t bytes) {
    if (e.text_.capacity() + e.slots_.capacity() * sizeof(Evidence::Slot) > bytes) e = Evidence();
  }
  /// `v` under `key`, written as the JSON text to_json(v) would print.
  static void set(Evidence& e, std::string_view key, const Value& v) {
    e.put(key, [&](std::string& out) { append_json(out, v); });
  }
  /// `v` under `key` unless `key` holds a value already. A rule's named values are filed
  /// after its reads with this, so that a read of the same key wins as if it came later;
  /// names mostly sort after the reads' pointers ('/' sorts before letters) and so go to the
  /// end for one compare, where filed first they would make each read a search and an insert.
  static void set_if_absent(Evidence& e, std::string_view key, const Value& v) {
    if (!e.goes_last(key) && e.contains(key)) return;
    set(e, key, v);
  }
  /// {"<what>": n} under `key`: what a list or object read whole shows of itself.
  static void set_size(Evidence& e, std::string_view key, std::string_view what, std::size_t n) {
    e.put(key, [&](std::string& out) {
      out += "{\"";
      out += what;
      out += "\":";
      out += std::to_string(n);
      out += '}';
    });
  }
};

}  // namespace qualify::detail
