// qualify: the compiled contents of a rule pack (internal).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "qualify/calendar.hpp"
#include "qualify/decision.hpp"
#include "qualify/expression.hpp"
#include "qualify/limits.hpp"
#include "qualify/pack.hpp"
#include "qualify/schema.hpp"

namespace qualify::detail {

struct Scoring;  // the compiled rubric: detail/scoring.hpp

// A rule's composition: a JsonLogic condition, or a Kleene combination of other rules
// (by id) and inline conditions.
enum class Body { condition, all, any, none, at_least };

struct RuleItem {
  int rule = -1;                        // index into PackData::rules, or -1
  std::optional<Expression> condition;  // an inline condition
};

struct MessageSet {
  std::optional<Message> pass, fail, unknown, not_applicable;
};

struct Rule {
  std::string id;
  std::string clause;
  // id and clause as its findings name them: kept for the process (intern), not copied.
  std::string_view kept_id, kept_clause;
  Severity severity = Severity::hard;
  Message title;
  Body body = Body::condition;
  std::optional<Expression> condition;
  std::vector<RuleItem> items;
  int at_least = 0;
  std::optional<Expression> applies_when;
  std::string pointer;  // the field the finding is about; empty: the first field read
  std::vector<std::pair<std::string, Expression>> values;
  MessageSet messages;
  std::string file;          // where it was defined, for lint messages
  std::string json_pointer;  // e.g. /rules/4
  bool from_schema = false;  // a cross-field check of schema.json
};

struct Parameter {
  nlohmann::json value;
  Message description;
  std::string file;
  std::string json_pointer;
};

struct DateSettings {
  std::optional<Date> deadline;
  std::string deadline_field = "submitted_on";
  bool deadline_extends_past_rest_days = false;
  int publicity_days = 5;
  int validity_years = 3;
  int validity_months = 0;
  PeriodEnd validity_end = PeriodEnd::civil_code;
  std::string validity_from_field = "review.online_approval_date";
  nlohmann::json raw = nlohmann::json::object();
};

struct PackData {
  PackInfo info;
  Message title;
  Message authority;
  std::string document;
  std::filesystem::path directory;
  Limits limits;
  nlohmann::json manifest;
  std::map<std::string, Parameter> parameters;
  nlohmann::json parameter_values = nlohmann::json::object();  // name -> value, for `param`
  Schema schema;
  CodeSets sets;
  Calendar calendar;
  Environment environment;  // calendar and code lists; as_of set per call
  std::vector<Rule> rules;  // schema checks and eligibility rules, dependencies first
  std::vector<std::string> extends_chain;  // folders of the packs this one extends
  DateSettings dates;
  nlohmann::json scoring = nlohmann::json::object();
  std::string scoring_file;
  std::shared_ptr<const Scoring> scoring_model;  // null when the pack has no scoring.json
  std::map<std::string, std::string> sources;  // relative file name -> text, for the digest
  std::vector<LintMessage> lint;  // found while loading
};

}  // namespace qualify::detail
