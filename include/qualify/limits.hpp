// qualify: limits that keep untrusted input and untrusted packs from running away.
#pragma once

#include <cstddef>
#include <cstdint>

namespace qualify {

/// Bounds on input size and work. The defaults suit the 推荐表 with a wide margin; a
/// service that accepts bigger documents raises them. Every limit, when hit, gives a clear
/// error (for packs and `apply`) or a finding (for applications), never a crash. Each must
/// be 1 or more: `RulePack::load` refuses a 0 (`bad_limits`).
struct Limits {
  /// Largest application text accepted, in bytes (default 16 MiB).
  std::size_t max_document_bytes = std::size_t{16} << 20;
  /// Deepest nesting of arrays and objects in application data (default 64 levels).
  std::size_t max_data_depth = 64;
  /// Deepest nesting of operators in one expression (default 64 levels).
  std::size_t max_expression_depth = 64;
  /// Evaluation steps one rule may take (default 1,000,000): each of its operators once,
  /// whichever branch is taken; for each item a loop goes through, one more and its body's
  /// operators; and about one per 16 bytes of text or list entries an operator goes through.
  std::uint64_t max_steps = 1'000'000;
};

}  // namespace qualify
