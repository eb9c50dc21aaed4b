// qualify: errors thrown for faults of a pack or of a call.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace qualify {

/// The base of every exception qualify throws. A fault in a rule pack or in a call
/// (unreadable file, unknown operator, date outside the calendar) throws an Error; a fault
/// in an application's data never does: it becomes a finding. `what()` reads
/// "file: pointer: reason"; the parts are available on their own, with a short stable
/// `code()` listed in rules/README.md.
class Error : public std::runtime_error {
 public:
  Error(std::string code, std::string file, std::string pointer, std::string reason)
      : std::runtime_error(compose(file, pointer, reason)),
        code_(std::move(code)),
        file_(std::move(file)),
        pointer_(std::move(pointer)),
        reason_(std::move(reason)) {}

  /// Short stable code such as "unknown_operator" (see rules/README.md, "Error codes").
  const std::string& code() const noexcept { return code_; }
  /// The file at fault, or empty when the fault is not in a file (an in-memory expression).
  const std::string& file() const noexcept { return file_; }
  /// JSON Pointer of the offending value inside `file()`, or empty.
  const std::string& pointer() const noexcept { return pointer_; }
  /// What is wrong, in one sentence.
  const std::string& reason() const noexcept { return reason_; }

 private:
  static std::string compose(const std::string& file, const std::string& pointer,
                             const std::string& reason) {
    std::string out;
    if (!file.empty()) out += file + ": ";
    if (!pointer.empty()) out += pointer + ": ";
    out += reason;
    return out;
  }

  std::string code_, file_, pointer_, reason_;
};

/// A rule pack cannot be read, parsed or checked (bad manifest, undeclared field, cycle).
class PackError : public Error {
 public:
  using Error::Error;
};

/// An expression is malformed (unknown operator, wrong arity, bad literal), exceeds a
/// limit, or fails while it is applied with `qualify::apply`.
class ExpressionError : public Error {
 public:
  using Error::Error;
};

/// A date question the calendar cannot answer: a year outside the calendar's data, or a
/// date that does not exist.
class CalendarError : public Error {
 public:
  using Error::Error;
};

}  // namespace qualify
