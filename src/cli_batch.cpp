// `qualify evaluate` and `qualify select`: read a batch of applications, evaluate them in
// parallel, chunk by chunk, and print decisions or the ranking as table, JSON, JSON lines,
// CSV or HTML. evaluate's json, jsonl and csv are written as the chunks come (bounded
// memory); the inputs are read by cli_inputs.cpp.
#include <algorithm>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <span>
#include <sstream>

#include "cli_common.hpp"

namespace qualify::cli {

namespace fs = std::filesystem;

namespace {

const char* kEvaluateHelp = R"(usage: qualify evaluate --pack DIR FILE... [options]

Evaluates applications (推荐表 as JSON) with a rule pack and prints one decision per
application, in input order. FILE may be a file, a folder (its *.json, *.jsonl and *.ndjson
files in name order) or "-" for standard input.

JSON Lines: a file whose name ends in .jsonl or .ndjson holds one application per line,
named FILE:LINE in the output (line numbers count every line of the file); blank lines
are skipped. Standard input is one application unless --input-format jsonl is given (then
its records are named -:LINE). --input-format json reads every input as one application.

A batch never loses a record: N applications give N results, in input order. An input
that cannot be read or parsed (a file, or one line of a JSON Lines file) gives an error
record in its place, {"source": "apps.jsonl:7", "error": {"code": ..., "message": ...}},
and a message on stderr naming it; the exit status stays 0.

Memory: jsonl, json and csv are written as the applications are read, a few hundred at a
time, so a batch of any size (a JSON Lines file of gigabytes, a pipe) runs in bounded
memory. table keeps one short row per application until the end (its columns fit the
widest cell); html keeps every decision in memory, as "qualify select" does.

options:
  --pack DIR          rule pack folder, or the id of a bundled pack (required)
  --as-of DATE        the day the evaluation speaks for (YYYY-MM-DD); default: none
  --format F          table   aligned columns and a status summary (default on a terminal)
                      json    one Decision object for one application, else an array
                              (default when stdout is not a terminal)
                      jsonl   one Decision per line
                      csv     one row per application with a findings summary (UTF-8)
                      html    a self-contained report: summary, table, score chart, findings
  --input-format F    auto    *.jsonl and *.ndjson files are JSON Lines, other inputs (and
                              standard input) one application each (default)
                      jsonl   every input, standard input included, is JSON Lines
                      json    every input is one application, whatever its name
  --lang zh|en        language of table headings, labels and messages (default zh)
  --bom               csv: begin with a UTF-8 byte order mark, so Excel reads Chinese text
  --width N           table: fit N columns (default: the terminal's width; 0 = no limit)
  --threads N         evaluate on N threads (default 0 = all cores)
  --screening         bulk screening, several times faster: every rule, form check and
                      score criterion runs, so outcomes, form findings, status, score and
                      dates are the same, but rule findings carry no message, evidence
                      (null) or pointer, and criteria no why (table, json, jsonl and csv;
                      not html)
  --quiet             no progress bar (it is drawn only when stderr is a terminal)
  --max-document-bytes N, --max-data-depth N, --max-expression-depth N, --max-steps N
                      limits on each application's size (default 16777216 bytes) and
                      nesting (64), on the pack's expressions (64) and on one rule's work
                      (1000000 steps); an application over a limit gets an error record or
                      an unknown finding saying which

examples:
  qualify evaluate --pack chongqing-dte-2025 --as-of 2025-11-03 examples/applications --format table
  qualify evaluate --pack rules/chongqing-dte-2025 app.json                # one Decision as JSON
  cat app.json | qualify evaluate --pack chongqing-dte-2025 - --format jsonl
  qualify evaluate --pack chongqing-dte-2025 --as-of 2025-11-03 apps.jsonl --format jsonl > decisions.jsonl
  producer | qualify evaluate --pack chongqing-dte-2025 --input-format jsonl - --format jsonl
  qualify evaluate --pack chongqing-dte-2025 apps/ --format csv --bom > decisions.csv
  qualify evaluate --pack chongqing-dte-2025 --screening apps.jsonl --format csv > statuses.csv
)";

const char* kSelectHelp = R"(usage: qualify select --pack DIR FILE... [options]

Evaluates applications as "qualify evaluate" does (files, folders, "-", JSON Lines),
ranks the eligible ones by final score (ties broken as scoring.json says) and selects
applications until the quota of institutions is reached. The quota counts institutions (distinct 统一社会信用代码), not
applications: an institution already selected is selected for its other occupations too.
Ranking needs the whole batch: select keeps every decision in memory (not the texts).

options:
  --pack DIR              rule pack folder, or the id of a bundled pack (required)
  --as-of DATE            the day the evaluation speaks for (YYYY-MM-DD); default: none
  --quota N               at most N institutions (default 5: 全市计划遴选不超过5家)
  --input-format F        auto, json or jsonl: how inputs are read, as for "qualify evaluate"
                          (default auto: *.jsonl and *.ndjson files are JSON Lines)
  --include-needs-review  rank applications that need review too (default: eligible only)
  --cut SCORE             lowest final score that may be selected (default: the pack's)
  --format F              table   the ranking, the selection and a summary (default on a terminal)
                          json    the Selection JSON (default when stdout is not a terminal)
                          jsonl   one ranked application per line
                          csv     one row per application, in rank order (UTF-8)
                          html    the full report: summary counts, ranking with the
                                  selection, score chart, findings by clause
  --lang zh|en            language of headings, labels and messages (default zh)
  --bom                   csv: begin with a UTF-8 byte order mark, for Excel
  --width N               table: fit N columns (default: the terminal's width; 0 = no limit)
  --threads N             evaluate on N threads (default 0 = all cores)
  --ranked                table, csv: only the ranked applications (json keeps them all)
  --quiet                 no progress bar
  --max-document-bytes N, --max-data-depth N, --max-expression-depth N, --max-steps N
                          limits, as for "qualify evaluate"

examples:
  qualify select --pack chongqing-dte-2025 --as-of 2025-11-03 examples/applications --format table
  qualify select --pack chongqing-dte-2025 --as-of 2025-11-03 examples/applications --format html > report.html
)";

const std::vector<std::string> kBatchOptions = {"pack", "format", "as-of", "threads", "lang", "width", "input-format",
                                                "max-document-bytes", "max-data-depth", "max-expression-depth", "max-steps"};
const std::vector<std::string> kBatchFlags = {"bom", "quiet"};

// What the tables show beside a Decision, read from the parsed application.
Extra extra_from(const Document& doc) {
  Extra e;
  if (!doc.ok() || !doc.root().is_object()) return e;
  const detail::Value& root = doc.root();
  if (const detail::Value* org = root.find("organization"); org && org->is_object())
    if (const detail::Value* name = org->find("name"); name && name->is_string()) e.institution_name = name->as_string();
  if (const detail::Value* levels = root.find("levels"); levels && levels->is_array())
    for (const detail::Value& l : *levels)
      if (l.is_string()) e.levels += (e.levels.empty() ? "" : "、") + std::string(l.as_string());
  return e;
}

const char* status_color(const Decision& d) {
  if (d.error) return "35";
  switch (d.status) {
    case Status::eligible: return "32";
    case Status::needs_review: return "33";
    case Status::ineligible: return "31";
  }
  return nullptr;
}

std::string status_shown(const Decision& d, Lang lang) { return d.error ? error_label(lang) : status_label(d.status, lang); }

std::string file_name(const std::string& source) {
  if (source == "-") return source;
  std::string name = fs::path(source).filename().string();
  return name.empty() ? source : name;
}

// Verdict counts of a batch, kept as it streams by.
struct Tally {
  std::size_t total = 0, errors = 0;
  std::size_t counts[3] = {0, 0, 0};
  void add(const Decision& d) {
    ++total;
    if (d.error) ++errors;
    else ++counts[static_cast<int>(d.status)];
  }
};

Tally tally(const std::vector<Decision>& ds) {
  Tally t;
  for (const auto& d : ds) t.add(d);
  return t;
}

std::string summary_line(const Tally& t, Lang lang) {
  std::ostringstream s;
  if (lang == Lang::zh) {
    s << "共 " << t.total << " 份申报：符合条件 " << t.counts[0] << "，需复核 " << t.counts[1] << "，不符合条件 " << t.counts[2];
    if (t.errors) s << "，无法读取 " << t.errors;
  } else {
    s << t.total << (t.total == 1 ? " application: " : " applications: ") << t.counts[0] << " eligible, " << t.counts[1]
      << " needs_review, " << t.counts[2] << " ineligible";
    if (t.errors) s << ", " << t.errors << " unreadable";
  }
  return s.str();
}

std::string findings_summary(const Decision& d, Lang lang) {
  std::string out;
  for (const Finding& f : d.findings) {
    if (f.outcome == Outcome::pass) continue;
    std::string_view text = lang == Lang::zh && !f.message.zh.empty() ? std::string_view(f.message.zh)
                            : !f.message.en.empty()                     ? std::string_view(f.message.en)
                                                                        : f.rule;  // screening: no message
    if (!out.empty()) out += "; ";
    out += "[" + std::string(f.clause) + " " + std::string(to_string(f.severity)) + " " +
           std::string(to_string(f.outcome)) + "] " + (f.pointer.empty() ? "" : f.pointer + ": ") +
           one_line(text);
  }
  return out;
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string default_format() { return stdout_is_terminal() ? "table" : "json"; }

std::vector<Column> evaluate_table_columns(Lang lang) {
  return {
      {tr(lang, "文件", "file"), false, 36, 8},
      {tr(lang, "编号", "id"), false, 16, 8},
      {tr(lang, "机构", "institution"), false, 30, 8},
      {tr(lang, "职业", "occupation"), false, 22, 6},
      {tr(lang, "结论", "status"), false, 0, 12},
      {tr(lang, "得分", "score"), true, 0, 6},
      {tr(lang, "不通过", "failed"), true, 0, 6},
      {tr(lang, "无法判断", "unknown"), true, 0, 8},
  };
}

// One row of the evaluate table: a few short cells, so a long batch's table costs little.
std::vector<Cell> evaluate_table_row(const Decision& d, const Extra* extra, Lang lang) {
  if (d.error) return {{file_name(d.source)}, {""}, {d.error->second}, {""}, {error_label(lang), status_color(d)}};
  Counts c = count_findings(d);
  return {{file_name(d.source)},
          {d.application},
          {institution_shown(d, extra)},
          {d.occupation},
          {status_shown(d, lang), status_color(d)},
          {d.score ? format_score(d.score->total) : ""},
          {std::to_string(c.failed())},
          {std::to_string(c.unknown)}};
}

const std::vector<std::string> kEvaluateCsvHeader = {
    "source", "application", "institution_name", "uscc", "occupation", "levels", "status", "score", "objective", "expert",
    "hard_failed", "soft_failed", "unknown", "missing", "deadline_met", "valid_from", "valid_until", "findings", "error"};

// One CSV record of `evaluate --format csv`, CRLF included.
std::string evaluate_csv_row(const Decision& d, const Extra& e, Lang lang) {
  std::ostringstream out;
  if (d.error) {
    write_csv_row(out, {d.source, "", "", "", "", "", "error", "", "", "", "", "", "", "", "", "", "", "",
                        d.error->first + ": " + d.error->second});
    return out.str();
  }
  Counts c = count_findings(d);
  std::string deadline = d.dates.deadline_met ? (*d.dates.deadline_met ? "true" : "false") : "";
  write_csv_row(out, {d.source, d.application, e.institution_name, d.institution, d.occupation, e.levels,
                      std::string(to_string(d.status)), d.score ? format_score(d.score->total) : "",
                      d.score ? format_score(d.score->objective) : "", d.score ? format_score(d.score->expert) : "",
                      std::to_string(c.hard_failed), std::to_string(c.soft_failed), std::to_string(c.unknown),
                      joined(d.missing, " "), deadline, d.dates.validity ? d.dates.validity->from.iso() : "",
                      d.dates.validity ? d.dates.validity->until.iso() : "", findings_summary(d, lang), ""});
  return out.str();
}

std::string dump(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// JSON text indented by two more spaces, as an element of an array printed with indent 2
// (strings hold no raw line breaks, so lines are JSON's own).
std::string indented(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16 + 2);
  out += "  ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

// For each ranked entry, the index of its decision: entries name their source, and each
// decision appears once in the ranking.
std::vector<std::size_t> ranking_order(const Batch& b, const Selection& s) {
  std::map<std::string, std::deque<std::size_t>> by_source;
  for (std::size_t i = 0; i < b.decisions.size(); ++i) by_source[b.decisions[i].source].push_back(i);
  std::vector<std::size_t> out;
  for (const Ranked& r : s.ranking) {
    auto& q = by_source[r.source];
    if (q.empty()) {
      out.push_back(b.decisions.size());  // not expected: an entry without its decision
      continue;
    }
    out.push_back(q.front());
    q.pop_front();
  }
  return out;
}

void write_select_table(const Batch& b, const Selection& s, const Args& a, Lang lang) {
  std::vector<Column> columns = {
      {tr(lang, "名次", "rank"), true, 0, 4},
      {tr(lang, "机构", "institution"), false, 30, 8},
      {tr(lang, "统一社会信用代码", "uscc"), false, 18, 18},
      {tr(lang, "职业", "occupation"), false, 22, 6},
      {tr(lang, "结论", "status"), false, 0, 12},
      {tr(lang, "得分", "score"), true, 0, 6},
      {tr(lang, "遴选结果", "result"), false, 0, 14},
      {tr(lang, "文件", "file"), false, 36, 8},
  };
  std::vector<std::size_t> order = ranking_order(b, s);
  std::vector<std::vector<Cell>> rows;
  for (std::size_t k = 0; k < s.ranking.size(); ++k) {
    const Ranked& r = s.ranking[k];
    if (a.has("ranked") && r.rank == 0) continue;
    const Decision* d = order[k] < b.decisions.size() ? &b.decisions[order[k]] : nullptr;
    const Extra* extra = d && !b.extras.empty() ? &b.extras[order[k]] : nullptr;
    bool error = d && d->error;
    const char* reason_color = r.selected ? "1;32" : nullptr;
    rows.push_back({{r.rank ? std::to_string(r.rank) : "-"},
                    {error ? d->error->second : extra && !extra->institution_name.empty() ? extra->institution_name : r.institution},
                    {r.institution},
                    {r.occupation},
                    {error ? error_label(lang) : status_label(r.status, lang), d ? status_color(*d) : nullptr},
                    {format_score(r.score)},
                    {reason_label(r.reason, lang), reason_color},
                    {file_name(r.source)}});
  }
  write_table(std::cout, columns, rows, table_width(a), use_color());
  std::cout << summary_line(tally(b.decisions), lang) << "\n";
  if (std::size_t hidden = s.ranking.size() - rows.size())
    std::cout << (lang == Lang::zh ? "未参加排名的 " + std::to_string(hidden) + " 份未列出（--ranked）"
                                   : std::to_string(hidden) + " applications not ranked are not listed (--ranked)")
              << "\n";

  // The selection as a list of institutions, each with the occupations it was selected for.
  std::vector<std::string> institutions;
  std::map<std::string, std::pair<std::string, std::vector<std::string>>> chosen;
  int applications = 0;
  for (std::size_t k = 0; k < s.ranking.size(); ++k) {
    const Ranked& r = s.ranking[k];
    if (!r.selected) continue;
    ++applications;
    const Extra* extra = order[k] < b.decisions.size() && !b.extras.empty() ? &b.extras[order[k]] : nullptr;
    std::string key = r.institution.empty() ? "#" + r.source : r.institution;
    if (!chosen.count(key)) {
      institutions.push_back(key);
      chosen[key].first = extra && !extra->institution_name.empty() ? extra->institution_name : r.institution;
    }
    auto& occupations = chosen[key].second;
    if (std::find(occupations.begin(), occupations.end(), r.occupation) == occupations.end()) occupations.push_back(r.occupation);
  }
  std::string cut = s.cut ? format_score(*s.cut) : std::string(tr(lang, "无", "none"));
  if (lang == Lang::zh)
    std::cout << "遴选名额 " << s.quota << " 家，入选机构 " << s.institutions_selected << " 家、申报 " << applications
              << " 份（分数线：" << cut << (s.include_needs_review ? "，含需复核申报" : "") << "）\n";
  else
    std::cout << "quota " << s.quota << " institutions: " << s.institutions_selected << " selected, with " << applications
              << (applications == 1 ? " application" : " applications") << " (cut: " << cut
              << (s.include_needs_review ? ", needs_review ranked too" : "") << ")\n";
  for (std::size_t i = 0; i < institutions.size(); ++i) {
    const auto& [name, occupations] = chosen[institutions[i]];
    std::cout << "  " << (i + 1) << ". " << name << (lang == Lang::zh ? "（" : " (") << joined(occupations, tr(lang, "、", ", "))
              << (lang == Lang::zh ? "）" : ")") << "\n";
  }
}

void write_select_csv(const Batch& b, const Selection& s, const Args& a) {
  if (a.has("bom")) std::cout << kBom;
  write_csv_row(std::cout, {"rank", "selected", "reason", "application", "institution_name", "uscc", "occupation", "status",
                            "score", "objective", "expert", "source", "error"});
  std::vector<std::size_t> order = ranking_order(b, s);
  for (std::size_t k = 0; k < s.ranking.size(); ++k) {
    const Ranked& r = s.ranking[k];
    if (a.has("ranked") && r.rank == 0) continue;
    const Decision* d = order[k] < b.decisions.size() ? &b.decisions[order[k]] : nullptr;
    const Extra* e = d ? &b.extras[order[k]] : nullptr;
    bool error = d && d->error;
    write_csv_row(std::cout, {r.rank ? std::to_string(r.rank) : "", r.selected ? "true" : "false",
                              std::string(to_string(r.reason)), r.application, e ? e->institution_name : "", r.institution,
                              r.occupation, error ? "error" : std::string(to_string(r.status)), format_score(r.score),
                              format_score(r.objective), format_score(r.expert), r.source,
                              error ? d->error->first + ": " + d->error->second : ""});
  }
}

nlohmann::json selection_json(const Batch& b, const Selection& s) {
  nlohmann::json j = s.to_json();
  std::vector<std::size_t> order = ranking_order(b, s);
  for (std::size_t k = 0; k < s.ranking.size(); ++k)
    if (order[k] < b.decisions.size() && b.decisions[order[k]].error) {
      const auto& e = *b.decisions[order[k]].error;
      j["ranking"][k]["error"] = {{"code", e.first}, {"message", e.second}};
    }
  return j;
}

}  // namespace

// ---------------------------------------------------------------- batches

namespace {

// A chunk: enough applications to keep every thread busy and to make the cost of starting
// threads small, few enough that a chunk's texts and decisions (about 100 KiB per
// application of 12 KiB) stay in tens of MiB. A chunk also ends after 64 MiB of text, so
// that large documents (up to Limits::max_document_bytes each) cannot make it huge.
constexpr std::size_t kChunkApplications = 256;
constexpr std::size_t kChunkBytes = std::size_t{64} << 20;

// A parse error in a line of a JSON Lines input: the record is already named FILE:LINE,
// so "at line 1, column 57" is said "at column 57".
void reword_for_line(std::string& message) {
  if (auto at = message.find("line 1, column "); at != std::string::npos) message.replace(at, 15, "column ");
}

}  // namespace

std::size_t evaluate_stream(const RulePack& pack, const Args& a, bool want_extras, const std::function<void(Chunk&)>& sink) {
  if (a.positional.empty())
    throw Usage{"name at least one application: a file, a folder of *.json files, or - for standard input"};
  EvaluateOptions options;
  options.as_of = optional_date(a, "as-of");
  options.explain = !a.has("screening");
  unsigned threads = static_cast<unsigned>(int_option(a, "threads", 0, 1024, 0));
  InputReader reader(a.positional, input_format_option(a), pack.limits().max_document_bytes);

  bool show = !a.has("quiet") && stderr_is_terminal();
  Progress progress(show ? reader.count_applications() : std::optional<std::size_t>(0), show,
                    a.command == "select" ? "selecting " : "evaluating");
  std::size_t done = 0;
  std::vector<Input> inputs;
  for (bool more = true; more;) {
    inputs.clear();
    std::size_t bytes = 0;
    while (inputs.size() < kChunkApplications && bytes < kChunkBytes) {
      Input in;
      if (!reader.next(in)) {
        more = false;
        break;
      }
      bytes += in.text.size();
      inputs.push_back(std::move(in));
    }
    if (inputs.empty()) break;

    std::size_t n = inputs.size();
    Chunk c;
    c.first = done;
    c.decisions.resize(n);
    std::vector<std::size_t> where;  // the inputs that were read, by index
    for (std::size_t k = 0; k < n; ++k) {
      Decision& d = c.decisions[k];
      d.source = std::move(inputs[k].source);
      if (inputs[k].error) {
        d.pack = pack.info();
        d.as_of = options.as_of;
        d.error = std::move(inputs[k].error);
      } else {
        where.push_back(k);
      }
    }
    std::vector<Decision> results;
    if (want_extras) {
      // Parsed here (in parallel) so that the extras come from the same parse as the decision.
      c.extras.resize(n);
      std::vector<Document> docs(where.size());
      parallel_for(where.size(), threads, [&](std::size_t k) {
        docs[k] = Document::parse(inputs[where[k]].text, pack.limits());
        c.extras[where[k]] = extra_from(docs[k]);
        std::string().swap(inputs[where[k]].text);
      });
      results = pack.evaluate_many(std::span<const Document>(docs), threads, options);
    } else {
      std::vector<std::string> texts;
      texts.reserve(where.size());
      for (std::size_t k : where) texts.push_back(std::move(inputs[k].text));
      results = pack.evaluate_many(std::span<const std::string>(texts), threads, options);
    }
    for (std::size_t k = 0; k < where.size(); ++k) {
      Decision& d = c.decisions[where[k]];
      results[k].source = std::move(d.source);
      d = std::move(results[k]);
      if (d.error && inputs[where[k]].line) reword_for_line(d.error->second);
    }
    results = {};
    for (const Decision& d : c.decisions)
      if (d.error) progress.message("qualify " + a.command + ": " + d.source + ": " + d.error->second);
    done += n;
    progress.advance(n);
    sink(c);
    if (!std::cout) break;  // stdout is gone (a closed pipe): nobody reads the rest
  }
  progress.finish();
  if (done == 0)
    throw Usage{"no applications to evaluate: the folders and JSON Lines files named hold none"};
  return done;
}

Batch evaluate_inputs(const RulePack& pack, const Args& a, bool want_extras) {
  Batch b;
  evaluate_stream(pack, a, want_extras, [&](Chunk& c) {
    std::move(c.decisions.begin(), c.decisions.end(), std::back_inserter(b.decisions));
    std::move(c.extras.begin(), c.extras.end(), std::back_inserter(b.extras));
  });
  return b;
}

nlohmann::json error_record(const Decision& d) {
  return {{"source", d.source}, {"error", {{"code", d.error ? d.error->first : ""}, {"message", d.error ? d.error->second : ""}}}};
}

// The text of one output record: the decision, or the error record of an unreadable input.
std::string record_text(const Decision& d, int indent) {
  return d.error ? dump(error_record(d), indent) : d.to_json_text(indent);
}

Counts count_findings(const Decision& d) {
  Counts c;
  for (const Finding& f : d.findings) {
    if (f.outcome == Outcome::pass) continue;
    if (f.severity == Severity::info) ++c.info;
    else if (f.outcome == Outcome::unknown) ++c.unknown;
    else if (f.severity == Severity::hard) ++c.hard_failed;
    else ++c.soft_failed;
  }
  return c;
}

std::string institution_shown(const Decision& d, const Extra* extra) {
  if (extra && !extra->institution_name.empty()) return extra->institution_name;
  return d.institution;
}

// The options evaluate and select share, checked before the pack is loaded so that bad
// usage is reported first.
struct BatchUsage {
  std::string format;
  Lang lang;
};

BatchUsage batch_usage(const Args& a) {
  BatchUsage u{format_option(a, {"table", "json", "jsonl", "csv", "html"}, default_format()), lang_option(a)};
  optional_date(a, "as-of");
  int_option(a, "threads", 0, 1024, 0);
  if (a.has("width")) int_option(a, "width", 0, 10000, 0);
  return u;
}

void require_inputs(const Args& a) {
  if (a.positional.empty()) throw Usage{"name at least one application: a file, a folder of *.json files, or - for standard input"};
  input_format_option(a);
}

// ---------------------------------------------------------------- commands

int cmd_evaluate(int argc, char** argv) {
  std::vector<std::string> flags = kBatchFlags;
  flags.push_back("screening");
  Args a = parse_args(argc, argv, 2, "evaluate", kBatchOptions, flags);
  if (a.help) {
    std::cout << kEvaluateHelp;
    return kOk;
  }
  const BatchUsage usage = batch_usage(a);
  const std::string& format = usage.format;
  const Lang lang = usage.lang;
  if (a.has("screening") && format == "html")
    throw Usage{"--screening leaves out the messages, evidence and reasons for points the html report shows; use "
                "--format table, json, jsonl or csv, or drop --screening"};
  require_inputs(a);
  RulePack pack = load_pack(a);
  unsigned threads = static_cast<unsigned>(int_option(a, "threads", 0, 1024, 0));

  if (format == "jsonl") {
    std::vector<std::string> lines;
    evaluate_stream(pack, a, false, [&](Chunk& c) {
      lines.assign(c.decisions.size(), {});
      parallel_for(lines.size(), threads, [&](std::size_t k) {
        lines[k] = record_text(c.decisions[k], -1);
        lines[k] += '\n';
      });
      for (const std::string& line : lines) std::cout << line;
    });
  } else if (format == "json") {
    // One record: one object. More: an array, written as the records come. The first
    // record waits until a second one shows which it is.
    std::string first;
    std::size_t count = 0;
    std::vector<std::string> texts;
    evaluate_stream(pack, a, false, [&](Chunk& c) {
      texts.assign(c.decisions.size(), {});
      parallel_for(texts.size(), threads, [&](std::size_t k) {
        std::string t = record_text(c.decisions[k], 2);
        texts[k] = c.first + k == 0 ? std::move(t) : indented(t);
      });
      for (std::string& t : texts) {
        if (count == 0) {
          first = std::move(t);
        } else {
          if (count == 1) {
            std::cout << "[\n" << indented(first);
            std::string().swap(first);
          }
          std::cout << ",\n" << t;
        }
        ++count;
      }
    });
    std::cout << (count == 1 ? first : "\n]") << "\n";
  } else if (format == "csv") {
    std::vector<std::string> rows;
    evaluate_stream(pack, a, true, [&](Chunk& c) {
      if (c.first == 0) {
        if (a.has("bom")) std::cout << kBom;
        write_csv_row(std::cout, kEvaluateCsvHeader);
      }
      rows.assign(c.decisions.size(), {});
      parallel_for(rows.size(), threads, [&](std::size_t k) { rows[k] = evaluate_csv_row(c.decisions[k], c.extras[k], lang); });
      for (const std::string& row : rows) std::cout << row;
    });
  } else if (format == "table") {
    // The table's columns fit its widest cells, so its rows wait for the last application:
    // a few short cells each, not the decisions.
    std::vector<std::vector<Cell>> rows;
    Tally t;
    evaluate_stream(pack, a, true, [&](Chunk& c) {
      for (std::size_t k = 0; k < c.decisions.size(); ++k) {
        rows.push_back(evaluate_table_row(c.decisions[k], &c.extras[k], lang));
        t.add(c.decisions[k]);
      }
    });
    write_table(std::cout, evaluate_table_columns(lang), rows, table_width(a), use_color());
    std::cout << summary_line(t, lang) << "\n";
  } else {
    // The report shows every application's findings: it holds all decisions in memory.
    Batch b = evaluate_inputs(pack, a, true);
    Report r;
    r.pack = &pack;
    r.as_of = optional_date(a, "as-of");
    r.batch = &b;
    r.lang = lang;
    write_html(std::cout, r);
  }
  std::cout.flush();
  return std::cout ? kOk : kFailure;
}

int cmd_select(int argc, char** argv) {
  std::vector<std::string> options = kBatchOptions;
  options.insert(options.end(), {"quota", "cut"});
  std::vector<std::string> flags = kBatchFlags;
  flags.insert(flags.end(), {"include-needs-review", "ranked"});
  Args a = parse_args(argc, argv, 2, "select", options, flags);
  if (a.help) {
    std::cout << kSelectHelp;
    return kOk;
  }
  const BatchUsage usage = batch_usage(a);
  const std::string& format = usage.format;
  const Lang lang = usage.lang;
  SelectOptions so;
  so.quota = static_cast<int>(int_option(a, "quota", 0, 1000000, 5));
  so.include_needs_review = a.has("include-needs-review");
  so.cut = number_option(a, "cut");
  require_inputs(a);
  RulePack pack = load_pack(a);
  // Ranking needs every decision: select holds them all in memory (not the texts).
  Batch b = evaluate_inputs(pack, a, true);
  Selection s = pack.select(b.decisions, so);

  if (format == "json") {
    std::cout << selection_json(b, s).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else if (format == "jsonl") {
    nlohmann::json j = selection_json(b, s);
    for (const auto& r : j["ranking"]) std::cout << r.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else if (format == "table") {
    write_select_table(b, s, a, lang);
  } else if (format == "csv") {
    write_select_csv(b, s, a);
  } else {
    Report r;
    r.pack = &pack;
    r.as_of = optional_date(a, "as-of");
    r.batch = &b;
    r.selection = &s;
    r.lang = lang;
    write_html(std::cout, r);
  }
  std::cout.flush();
  return std::cout ? kOk : kFailure;
}

}  // namespace qualify::cli
