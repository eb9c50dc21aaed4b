// The qualify command's shared parts: argument parsing, terminal and text helpers, batch
// evaluation, and the renderers for tables, CSV and HTML. Private to the CLI.
#pragma once

#include <cstddef>
#include <cstdio>  // FILE
#include <deque>
#include <functional>
#include <iosfwd>  // ostream
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qualify/qualify.hpp"

namespace qualify::cli {

inline constexpr int kOk = 0;
inline constexpr int kFailure = 1;
inline constexpr int kUsage = 2;

/// Bad usage: printed as "qualify COMMAND: message" with a hint, exit status 2.
struct Usage {
  std::string message;
};

/// A command line after parsing: options by name (without "--"), positional arguments.
struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  bool help = false;

  bool has(const std::string& name) const { return options.count(name) != 0; }
  std::string get(const std::string& name, const std::string& fallback = "") const {
    auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
  }
};

/// Parses argv[first..]: "--name value", "--name=value", flags, "-h"/"--help", "--" ends
/// options, "-" is positional (standard input). Throws Usage for an unknown option (with a
/// suggestion when one is close) or a missing value.
Args parse_args(int argc, char** argv, int first, const std::string& command, const std::vector<std::string>& with_value,
                const std::vector<std::string>& flags = {});

/// The value of a required option; Usage when it is missing.
std::string need(const Args& a, const std::string& name);
/// A required option that must be an ISO date.
Date need_date(const Args& a, const std::string& name);
/// An optional date option.
std::optional<Date> optional_date(const Args& a, const std::string& name);
/// A whole-number option within [min, max], or `fallback` when absent.
long int_option(const Args& a, const std::string& name, long min, long max, long fallback);
/// A number option, or nullopt when absent.
std::optional<double> number_option(const Args& a, const std::string& name);
/// --format, checked against `allowed`; `fallback` when absent.
std::string format_option(const Args& a, const std::vector<std::string>& allowed, const std::string& fallback);
/// Loads --pack; a pack that cannot be loaded is bad usage (exit 2).
RulePack load_pack(const Args& a);

// ---------------------------------------------------------------- language and labels

enum class Lang { zh, en };
/// --lang zh|en (default zh).
Lang lang_option(const Args& a);
/// `zh` or `en` by language.
inline const char* tr(Lang lang, const char* zh, const char* en) { return lang == Lang::zh ? zh : en; }

std::string status_label(Status s, Lang lang);
std::string error_label(Lang lang);
std::string reason_label(SelectionReason r, Lang lang);
std::string outcome_label(Outcome o, Lang lang);
std::string severity_label(Severity s, Lang lang);
std::string listing_label(std::string_view status, Lang lang);
/// "2.3" → "二（三）", "form:/profile" → "推荐表 /profile", in Chinese; the clause itself in English.
std::string clause_label(const std::string& clause, Lang lang);
/// Orders clauses as the notice does: 1.1 < 1.2 < 2.3 < 10.1 < form:…
bool clause_less(const std::string& a, const std::string& b);
/// A score with at most two decimals and no trailing zeros: "87.93", "55", "62.8".
std::string format_score(double x);
std::string format_score(const std::optional<double>& x);

// ---------------------------------------------------------------- terminal and text

bool stdout_is_terminal();
bool stderr_is_terminal();
/// $COLUMNS, else the terminal's width, else 100.
std::size_t terminal_width();
/// The width a table must fit: --width N (0: no limit), else the terminal's width when
/// stdout is one, else 0 (columns are still capped at a sane width).
std::size_t table_width(const Args& a);
/// Colours only on a terminal and when $NO_COLOR is unset.
bool use_color();

/// Display columns of UTF-8 text (CJK characters take two).
std::size_t text_width(std::string_view s);
/// `s` cut to at most `width` columns, ending in "…" when cut.
std::string truncate_to(std::string_view s, std::size_t width);
/// Text on one line: line breaks and tabs become spaces.
std::string one_line(std::string_view s);

/// A column of a text table.
struct Column {
  std::string header;
  bool right = false;     ///< right-aligned (numbers)
  std::size_t cap = 40;   ///< widest the column may be; 0 = no cap
  std::size_t min = 4;    ///< narrowest it may be squeezed to when the table must fit
};
/// A cell, optionally coloured (an ANSI SGR code such as "32").
struct Cell {
  std::string text;
  const char* color = nullptr;
};
/// Writes an aligned table: columns padded by display width, cells cut with "…" to the
/// column caps and, when `max_width` > 0, squeezed (widest first) until rows fit it.
void write_table(std::ostream& out, const std::vector<Column>& columns, const std::vector<std::vector<Cell>>& rows,
                 std::size_t max_width, bool color);

/// One CSV record (RFC 4180, CRLF), quoting where needed; text that a spreadsheet would
/// take for a formula (=, +, -, @ first) is prefixed with an apostrophe.
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);
/// The UTF-8 byte order mark Excel needs to read UTF-8 CSV.
inline constexpr const char* kBom = "\xEF\xBB\xBF";

/// Text escaped for HTML element content and attribute values.
std::string html_escape(std::string_view s);

/// A progress bar on stderr, drawn only when enabled (stderr a terminal, several inputs).
/// With an unknown total (JSON Lines, read as they come) it counts without a bar.
class Progress {
 public:
  Progress(std::optional<std::size_t> total, bool enabled, std::string label);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void advance(std::size_t n);
  /// Writes a line to stderr above the bar.
  void message(const std::string& line);
  /// Clears the bar so that messages can follow.
  void finish();
  bool enabled() const { return enabled_; }

 private:
  void draw();
  std::optional<std::size_t> total_;
  std::size_t done_ = 0;
  bool enabled_;
  std::string label_;
  int last_percent_ = -1;
};

// ---------------------------------------------------------------- batches

/// How the inputs are read, by --input-format: `automatic` reads files named *.jsonl or
/// *.ndjson as JSON Lines and every other file, and standard input, as one document;
/// `json` reads every input as one document; `jsonl` every input as JSON Lines.
enum class InputFormat { automatic, json, jsonl };
InputFormat input_format_option(const Args& a);

/// Lines of a file, read through a fixed buffer: a line is kept only up to a limit, so a
/// file without line breaks cannot make it read everything into memory.
class LineReader {
 public:
  enum class Result { line, too_long, end, error };
  explicit LineReader(std::FILE* file) : file_(file), buffer_(std::size_t{1} << 20) {}
  /// The next line without its "\n" (nor a "\r" before it). `length` is its length in bytes,
  /// also when it is longer than `max` (too_long: the line is skipped, `line` is empty).
  Result next(std::string& line, std::size_t max, std::size_t& length);
  int error() const { return error_; }

 private:
  std::FILE* file_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  int error_ = 0;
};

/// One application of a batch: its name ("apps/0007.json", "apps.jsonl:12", "-", "-:3")
/// and its text, or why it could not be read (code, message).
struct Input {
  std::string source;
  std::string text;
  std::optional<std::pair<std::string, std::string>> error;
  bool line = false;  ///< a line of a JSON Lines input
};

/// Reads the inputs of a batch command one application at a time, in input order: files as
/// given, a folder's *.json, *.jsonl and *.ndjson files in name order (expanded when
/// reached), "-" for standard input (once), and JSON Lines inputs (see InputFormat) line by
/// line, each non-blank line one application named FILE:LINE; blank lines are skipped. An
/// input longer than `max_bytes` is an error record, read no further than needed.
class InputReader {
 public:
  InputReader(const std::vector<std::string>& args, InputFormat format, std::size_t max_bytes);
  ~InputReader();
  InputReader(const InputReader&) = delete;
  InputReader& operator=(const InputReader&) = delete;
  /// The next application, or false after the last one.
  bool next(Input& in);
  /// How many applications there are, when that is known without reading them (no JSON
  /// Lines input); lists folders once more.
  std::optional<std::size_t> count_applications() const;

 private:
  bool is_lines(const std::string& name) const;
  bool wanted_in_folder(const std::string& name) const;
  bool open_lines(const std::string& name, Input& in);
  bool next_line(Input& in);
  void read_whole(const std::string& name, Input& in);
  void close_lines();

  std::vector<std::string> args_;
  InputFormat format_;
  std::size_t max_bytes_;
  std::size_t arg_ = 0;
  std::deque<std::string> folder_;  // the rest of the folder being read
  std::unique_ptr<LineReader> lines_;
  std::FILE* lines_file_ = nullptr;
  std::string lines_name_, line_;
  std::size_t line_no_ = 0, lines_records_ = 0;
};

/// Runs fn(0) … fn(n - 1) on `threads` threads (0 = all cores).
void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& fn);

/// What the tables and the report show beside a Decision: read from the application.
struct Extra {
  std::string institution_name;  ///< organization.name, or empty
  std::string levels;            ///< levels joined with "、"
};

/// A batch of decisions, one per input in input order; unreadable or unparsable inputs are
/// Decisions with `error` set, also reported on stderr with their file name.
struct Batch {
  std::vector<Decision> decisions;
  std::vector<Extra> extras;  ///< filled when asked for, else empty
};

/// A part of a batch, in input order: decisions and, when asked for, their extras.
struct Chunk {
  std::vector<Decision> decisions;
  std::vector<Extra> extras;
  std::size_t first = 0;  ///< how many applications came before it
};

/// Reads and evaluates the inputs of a batch command (positional arguments) with
/// --input-format, --as-of, --threads and --quiet in chunks of a few hundred applications,
/// each evaluated on --threads and handed to `sink` in input order, then released: memory
/// stays bounded whatever the batch's size. Unreadable or unparsable inputs are Decisions
/// with `error` set, also reported on stderr with their names. Draws progress when stderr
/// is a terminal. Returns how many applications there were; none is bad usage (Usage).
std::size_t evaluate_stream(const RulePack& pack, const Args& a, bool want_extras, const std::function<void(Chunk&)>& sink);

/// The whole batch in memory (for select and the HTML report, which rank and show all):
/// evaluate_stream's chunks kept; the application texts are not.
Batch evaluate_inputs(const RulePack& pack, const Args& a, bool want_extras);

/// The error record of DESIGN.md for an input that could not be read or parsed.
nlohmann::json error_record(const Decision& d);
/// The Decision JSON, or the error record.
nlohmann::json record(const Decision& d);

/// Finding counts that matter for a verdict (info findings apart).
struct Counts {
  int hard_failed = 0, soft_failed = 0, unknown = 0, info = 0;
  int failed() const { return hard_failed + soft_failed; }
};
Counts count_findings(const Decision& d);

/// The name shown for an application's institution: its name, else its USCC.
std::string institution_shown(const Decision& d, const Extra* extra);

// ---------------------------------------------------------------- reports

/// Everything the HTML report shows.
struct Report {
  const RulePack* pack = nullptr;
  std::optional<Date> as_of;
  const Batch* batch = nullptr;
  const Selection* selection = nullptr;  ///< null for `evaluate`
  Lang lang = Lang::zh;
};
/// One self-contained HTML page: summary, ranking (and selection), score chart (inline
/// SVG), findings of each application grouped by clause. No external resources.
void write_html(std::ostream& out, const Report& report);

// ---------------------------------------------------------------- commands

int cmd_evaluate(int argc, char** argv);
int cmd_select(int argc, char** argv);
int cmd_catalogue(int argc, char** argv);

}  // namespace qualify::cli
