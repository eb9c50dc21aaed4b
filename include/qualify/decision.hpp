// qualify: what an evaluation says about one application, and why.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>  // length_error
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "qualify/calendar.hpp"

namespace qualify {

/// What one rule or schema check found: `unknown` when the application lacks what it needs.
enum class Outcome { pass, fail, unknown };
/// `hard` failures make an application ineligible, `soft` ones need review, `info` informs.
enum class Severity { hard, soft, info };
/// The verdict: `ineligible` if any hard rule fails; otherwise `needs_review` if any soft
/// rule fails or any hard or soft rule is unknown; otherwise `eligible`.
enum class Status { eligible, needs_review, ineligible };

std::string_view to_string(Outcome o) noexcept;
std::string_view to_string(Severity s) noexcept;
std::string_view to_string(Status s) noexcept;
std::optional<Outcome> outcome_from_string(std::string_view s) noexcept;
std::optional<Severity> severity_from_string(std::string_view s) noexcept;
std::optional<Status> status_from_string(std::string_view s) noexcept;

/// A text in Chinese and English.
struct Message {
  std::string zh;
  std::string en;
};

/// Keeps a copy of `text` for the rest of the process, one per distinct text, and returns a
/// view of it: what `Finding::rule` and `Finding::clause` hold. Packs keep their rule ids and
/// clauses this way when they load, and `Decision::from_json` those it reads. Thread-safe.
/// Throws qualify::Error("too_many_names") past 64 MiB of distinct texts, which no set of
/// packs comes near, so that decisions read from untrusted JSON cannot grow it without end.
std::string_view intern(std::string_view text);

namespace detail {
struct EvidenceAccess;
}

/// The values a finding read, by JSON Pointer or by name: a JSON object, or null when
/// nothing was recorded (rule findings of a screening evaluation). Entries come in key order,
/// the order the object prints in; setting a key again replaces its value.
///
/// Each value is kept as its JSON text (one line, as `nlohmann::json::dump()` writes it),
/// keys and texts in one buffer: an explained evaluation records a few values for each of
/// forty-odd findings, and as a map of JSON values each value cost four allocations.
class Evidence {
 public:
  struct Entry {
    std::string_view key;
    std::string_view json_text;  ///< the value as one line of JSON
    nlohmann::json value() const { return nlohmann::json::parse(json_text); }
  };

  Evidence() = default;  ///< null: nothing recorded
  /// {}: recorded, with no values (yet).
  static Evidence object() {
    Evidence e;
    e.recorded_ = true;
    return e;
  }
  /// null or an object (a Decision JSON's "evidence"); throws qualify::Error("bad_decision")
  /// for anything else.
  static Evidence from_json(const nlohmann::json& j);

  bool is_null() const noexcept { return !recorded_; }
  bool is_object() const noexcept { return recorded_; }
  bool empty() const noexcept { return slots_.empty(); }
  std::size_t size() const noexcept { return slots_.size(); }
  /// The i-th entry in key order, i < size().
  Entry operator[](std::size_t i) const noexcept {
    const Slot& s = slots_[i];
    return {std::string_view(text_).substr(s.key_at, s.key_size), std::string_view(text_).substr(s.value_at(), s.value_size)};
  }
  bool contains(std::string_view key) const noexcept { return index_of(key) < size(); }
  /// The value under `key`, or nullopt when there is none.
  std::optional<nlohmann::json> find(std::string_view key) const;

  /// Records `value` under `key` (replacing what the key held) and makes this an object.
  /// Throws std::length_error past 4 GiB of evidence text.
  void set(std::string_view key, const nlohmann::json& value);

  /// null, or the object of the entries.
  nlohmann::json to_json() const;

  /// Equal keys and equal texts: 2400 and 2400.0 differ here though JSON holds them equal
  /// (compare to_json() for that).
  friend bool operator==(const Evidence& a, const Evidence& b) noexcept;

 private:
  friend struct detail::EvidenceAccess;
  // Where an entry's key is in text_, its value's text right after it. 32-bit: 12 bytes an
  // entry, and a decision keeps about two hundred of them (put() refuses text past 4 GiB).
  struct Slot {
    std::uint32_t key_at, key_size, value_size;
    std::size_t value_at() const noexcept { return std::size_t{key_at} + key_size; }
  };

  // The first slot whose key is not below `key` (size() when none).
  std::size_t find_slot(std::string_view key) const noexcept;
  // The slot of `key`, or size() when it has none.
  std::size_t index_of(std::string_view key) const noexcept {
    const std::size_t i = find_slot(key);
    return i < size() && (*this)[i].key == key ? i : size();
  }
  // Appends `key`, then lets `write` append the value's JSON text, and files the entry
  // (replacing an entry of the same key).
  template <class Write>
  void put(std::string_view key, Write&& write) {
    const std::size_t key_at = text_.size();
    text_.append(key);
    const std::size_t value_at = text_.size();
    write(text_);
    if (text_.size() > UINT32_MAX) {
      text_.resize(key_at);
      throw std::length_error("qualify::Evidence: a finding's evidence is limited to 4 GiB of text");
    }
    file(Slot{static_cast<std::uint32_t>(key_at), static_cast<std::uint32_t>(key.size()),
              static_cast<std::uint32_t>(text_.size() - value_at)});
  }
  void file(const Slot& s);
  // Whether the key would go at the end, past every key filed: a sure "absent" for one compare.
  bool goes_last(std::string_view key) const noexcept { return slots_.empty() || (*this)[slots_.size() - 1].key < key; }

  std::string text_;
  std::vector<Slot> slots_;  // in key order
  bool recorded_ = false;
};

/// One finding: a rule's or a schema check's outcome, citing the clause of the notice,
/// explained in both languages, with the values it read (`evidence`, by JSON Pointer).
/// `evidence` is an object (perhaps empty) when the finding was explained, and null when
/// nothing was recorded: rule findings of a screening evaluation (`explain = false`).
///
/// `rule` and `clause` name the pack's rule: they view text kept for the whole process (a
/// string literal, or `intern`), so that a decision does not copy a pack's ids for each of
/// its findings, and they stay valid after the pack and the decision are gone. Set them to
/// a literal or to what `intern` returns, never to a view of a string that will die.
struct Finding {
  std::string_view rule;    ///< rule id, or "schema.<check>" for form checks
  std::string_view clause;  ///< "2.3", "form:/profile", "form:note5"
  Outcome outcome = Outcome::pass;
  Severity severity = Severity::hard;
  Message message;
  std::string pointer;  ///< the field the finding is about, or empty
  Evidence evidence;    ///< {pointer or name: value}, or null when not recorded
  std::string error;    ///< why an evaluation could not finish (budget, bad date), or empty
};

/// One scoring criterion's points and why.
struct Criterion {
  std::string id;
  double points = 0;
  double max = 0;
  Message why;
};

/// The score: objective points from the rubric, the experts' combined score, the blend.
struct Score {
  double total = 0;
  double max = 100;
  std::vector<Criterion> criteria;
  std::optional<double> objective;
  std::optional<double> expert;
};

/// The listing period from the online approval date.
struct Validity {
  Date from;
  Date until;
};

/// Date facts about the application.
struct DateFacts {
  std::optional<bool> deadline_met;  ///< empty when the submission date is missing
  std::optional<Validity> validity;  ///< empty until approved online
};

/// Which rule pack decided.
struct PackInfo {
  std::string id;
  std::string version;
  std::string sha256;
};

/// The decision on one application. `to_json()` gives the Decision JSON of DESIGN.md.
struct Decision {
  std::string application;            ///< the application's id, or empty when unreadable
  std::string institution;            ///< organization.uscc, for selection by institution
  std::string occupation;             ///< the occupation applied for
  std::string source;                 ///< where it came from (file name), when known
  PackInfo pack;
  std::optional<Date> as_of;
  Status status = Status::needs_review;
  std::vector<std::string> missing;   ///< fields whose absence left rules unknown
  std::vector<Finding> findings;
  std::optional<Score> score;
  DateFacts dates;
  /// Set when the application could not be read at all: code ("parse_error", ...) and text.
  std::optional<std::pair<std::string, std::string>> error;

  nlohmann::json to_json() const;
  /// The text `to_json().dump(indent, ' ', false, nlohmann::json::error_handler_t::replace)`
  /// gives, byte for byte (-1: one line), written directly: several times faster, for
  /// services and the command line that print many decisions.
  std::string to_json_text(int indent = -1) const;
  /// The inverse of to_json(); throws qualify::Error("bad_decision") on a malformed object.
  /// Its findings' rule ids and clauses are kept with `intern`.
  static Decision from_json(const nlohmann::json& j);
};

}  // namespace qualify
