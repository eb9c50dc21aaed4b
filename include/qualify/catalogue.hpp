// qualify: the published catalogue of training institutions (培训机构目录) and each listing's
// status on a given day. The notice (一、(五)) lists institutions for 3 years from the online
// approval (知识更新工程网上审核通过时间) and adjusts the catalogue over time (动态调整), so an
// entry may also be removed before its period ends.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "qualify/calendar.hpp"

namespace qualify {

class RulePack;

/// One listing of the catalogue: an institution approved for one occupation (附件 note 5:
/// one form, one occupation), with the date of its online approval and, when the catalogue
/// was adjusted, the date and reason of its removal.
struct CatalogueEntry {
  std::string institution;         ///< 单位名称
  std::string uscc;                ///< 统一社会信用代码 (GB 32100-2015, check character verified)
  std::string occupation;          ///< 职业
  std::string level;               ///< 等级, as published ("初级", "初级、中级"...)
  Date approved;                   ///< 审核通过时间: the online approval day; validity counts from it
  std::optional<Date> removed;     ///< 移出时间: the first day the entry is no longer listed
  std::string removal_reason;      ///< 移出原因; empty when none was given
};

/// Where an entry stands on a given day. Checked in this order: `removed` (the removal day
/// has come), `not_yet_valid` (before the approval day), `expired` (after the last valid
/// day), otherwise `active`.
enum class ListingStatus { active, expired, removed, not_yet_valid };

/// "active", "expired", "removed" or "not_yet_valid".
std::string_view to_string(ListingStatus status) noexcept;

/// The status named "active", "expired", "removed" or "not_yet_valid"; nullopt otherwise.
std::optional<ListingStatus> listing_status_from_name(std::string_view name) noexcept;

/// One entry's state on a day, with its validity from the rule pack.
struct ListingState {
  CatalogueEntry entry;
  ListingStatus status = ListingStatus::active;
  /// The first valid day: the approval day itself (the notice counts the period from the
  /// approval time, so an institution approved today may train today).
  Date valid_from;
  /// The last valid day, by the pack's end rule (civil_code: 2025-12-15 → 2028-12-15).
  Date valid_until;
  /// Active entries only: days from the day asked about to `valid_until`, 0 on the last
  /// valid day; empty for every other status.
  std::optional<std::int64_t> days_left;

  /// A flat object: institution, uscc, occupation, level, approved, removed (null when
  /// none), removal_reason (null when none), status, valid_from, valid_until, days_left
  /// (null unless active). Every key is always present, so records line up as table rows.
  nlohmann::json to_json() const;
};

/// A training-institution catalogue, read from JSON or CSV and checked entry by entry.
/// Immutable once built; every const member is safe to call from many threads at once.
class Catalogue {
 public:
  /// An empty catalogue.
  Catalogue() = default;

  /// A catalogue of `entries`, checked as `from_json` checks a file: every text field but
  /// removal_reason non-empty, a valid 统一社会信用代码, no removal before the approval, no
  /// removal reason without a removal date. Throws Error("bad_catalogue") with the pointer
  /// "/N/field" of the first bad entry (N counts from 0).
  explicit Catalogue(std::vector<CatalogueEntry> entries);

  /// Reads a catalogue file. `.json` is JSON (see `from_json`) and `.csv` CSV (see
  /// `from_csv`), whatever the case of the extension; any other name is read as JSON when its
  /// first non-blank character is `[` or `{`, and as CSV otherwise. Throws
  /// Error("bad_catalogue") naming the file when it cannot be read, and as the readers do.
  static Catalogue load(const std::filesystem::path& file);

  /// Reads a catalogue from JSON: an array of entry objects, or an object whose "entries" is
  /// that array (other top-level keys, such as a title or source, are ignored). Entry keys
  /// are institution, uscc, occupation, level, approved, removed and removal_reason, or their
  /// Chinese names 单位名称, 统一社会信用代码, 职业, 等级, 审核通过时间, 移出时间, 移出原因;
  /// removed and removal_reason may be absent, null or "". Dates are ISO "YYYY-MM-DD". An
  /// unknown key is an error, so that a misspelt "removed" cannot leave a removed entry listed.
  /// Throws Error("bad_catalogue") with `file`, the JSON Pointer of the bad value
  /// ("/entries/3/approved") and the reason.
  static Catalogue from_json(const nlohmann::json& j, const std::string& file = "");

  /// Reads a catalogue from CSV text (RFC 4180: comma-separated, fields with commas, quotes
  /// or line breaks in double quotes, CRLF or LF line ends), UTF-8 with an optional BOM. The
  /// first row names the columns, in any order, by the keys `from_json` accepts (English or
  /// Chinese); removed and removal_reason may be left out or left blank; blank lines are
  /// skipped and spaces around a value are ignored. Throws Error("bad_catalogue") with
  /// `file` and the pointer "/row/N/column", where N is the row as a spreadsheet numbers it
  /// (the header is row 1) and column is the English key, e.g. "/row/3/approved".
  static Catalogue from_csv(std::string_view text, const std::string& file = "");

  /// The entries, in file order.
  const std::vector<CatalogueEntry>& entries() const noexcept { return entries_; }

  /// Every entry's state on `as_of`, in file order, with the validity the pack gives its
  /// approval date (`pack.validity(approved)`). The approval day is the first active day and
  /// `valid_until` the last; the removal day is the first `removed` day. Throws CalendarError
  /// when a validity period would end after 9999-12-31.
  std::vector<ListingState> at(Date as_of, const RulePack& pack) const;

  /// The active entries whose last valid day is at most `days` days after `as_of` (0: ends
  /// today), soonest first, file order among equals. Throws Error("invalid_argument") when
  /// `days` is negative.
  std::vector<ListingState> expiring_within(Date as_of, std::int64_t days, const RulePack& pack) const;

 private:
  std::vector<CatalogueEntry> entries_;
};

}  // namespace qualify
