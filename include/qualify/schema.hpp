// qualify: the application form as data: fields, types, constraints, and the checks that
// turn a filled form into findings.
#pragma once

#include <map>
#include <memory>  // shared_ptr
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "qualify/decision.hpp"
#include "qualify/detail/field.hpp"
#include "qualify/detail/value.hpp"

namespace qualify {

/// Named lists of codes a schema may refer to (`"enum_from": "districts"`), from the pack's
/// data files.
using CodeSets = std::map<std::string, std::shared_ptr<const std::unordered_set<std::string>>>;

/// A compiled form schema (a pack's schema.json). Immutable and thread-safe.
class Schema {
 public:
  Schema();
  /// Compiles schema.json. Throws PackError naming `file`, the JSON Pointer and the reason
  /// for an unknown type, constraint or format, or an `enum_from` not in `sets`.
  static Schema from_json(const nlohmann::json& j, const std::string& file, const CodeSets& sets);

  /// The declared field tree: the rule compiler checks every `var` against it.
  const detail::Field& fields() const noexcept;

  /// Appends one finding per problem in `application` (all of them, not the first):
  /// missing required fields, wrong types, enumerations, character limits, formats,
  /// ranges, item counts, impossible dates; unknown keys as `info`. Never throws.
  /// `utf8_checked`: every string and key is known to be UTF-8 (the document was parsed
  /// from checked text), so they are not checked one by one again.
  void validate(const detail::Value& application, std::vector<Finding>& out, bool utf8_checked = false) const;

  /// The application's JSON Schema (draft 2020-12) with Chinese titles.
  nlohmann::json json_schema() const;

  /// The raw `checks` array of schema.json (cross-field checks in the rule format), which
  /// the pack loader compiles with the eligibility rules.
  const nlohmann::json& checks() const noexcept;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace qualify
