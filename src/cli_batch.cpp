// `qualify evaluate` and `qualify select`: read a batch of applications, evaluate them in
// parallel, and print decisions or the ranking as table, JSON, JSON lines, CSV or HTML.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>  // strerror
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <span>
#include <sstream>
#include <thread>

#include "cli_common.hpp"

namespace qualify::cli {

namespace fs = std::filesystem;

namespace {

const char* kEvaluateHelp = R"(usage: qualify evaluate --pack DIR FILE... [options]

Evaluates applications (推荐表 as JSON) with a rule pack and prints one decision per input,
in input order. FILE may be a file, a folder (its *.json files in name order) or "-" for
one application on standard input. A file that cannot be read or parsed gives an error
record in its place and a message on stderr naming the file; the exit status stays 0.

options:
  --pack DIR          rule pack folder, or the id of a bundled pack (required)
  --as-of DATE        the day the evaluation speaks for (YYYY-MM-DD); default: none
  --format F          table   aligned columns and a status summary (default on a terminal)
                      json    one Decision object, or an array for several inputs (default
                              when stdout is not a terminal)
                      jsonl   one Decision per line
                      csv     one row per application with a findings summary (UTF-8)
                      html    a self-contained report: summary, table, score chart, findings
  --lang zh|en        language of table headings, labels and messages (default zh)
  --bom               csv: begin with a UTF-8 byte order mark, so Excel reads Chinese text
  --width N           table: fit N columns (default: the terminal's width; 0 = no limit)
  --threads N         evaluate on N threads (default 0 = all cores)
  --quiet             no progress bar (it is drawn only when stderr is a terminal)

examples:
  qualify evaluate --pack chongqing-dte-2025 --as-of 2025-11-03 examples/applications --format table
  qualify evaluate --pack rules/chongqing-dte-2025 app.json                # one Decision as JSON
  cat app.json | qualify evaluate --pack chongqing-dte-2025 - --format jsonl
  qualify evaluate --pack chongqing-dte-2025 apps/ --format csv --bom > decisions.csv
)";

const char* kSelectHelp = R"(usage: qualify select --pack DIR FILE... [options]

Evaluates applications as "qualify evaluate" does, ranks the eligible ones by final score
(ties broken as scoring.json says) and selects applications until the quota of
institutions is reached. The quota counts institutions (distinct 统一社会信用代码), not
applications: an institution already selected is selected for its other occupations too.

options:
  --pack DIR              rule pack folder, or the id of a bundled pack (required)
  --as-of DATE            the day the evaluation speaks for (YYYY-MM-DD); default: none
  --quota N               at most N institutions (default 5: 全市计划遴选不超过5家)
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

examples:
  qualify select --pack chongqing-dte-2025 --as-of 2025-11-03 examples/applications --format table
  qualify select --pack chongqing-dte-2025 --as-of 2025-11-03 examples/applications --format html > report.html
)";

const std::vector<std::string> kBatchOptions = {"pack", "format", "as-of", "threads", "lang", "width"};
const std::vector<std::string> kBatchFlags = {"bom", "quiet"};

// Reads a whole file; false with a reason when it cannot.
bool read_file(const std::string& source, std::string& text, std::string& error) {
  if (source == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    text = s.str();
    if (std::cin.bad()) {
      error = "cannot read standard input";
      return false;
    }
    return true;
  }
  std::FILE* f = std::fopen(source.c_str(), "rb");
  if (!f) {
    error = std::string("cannot read the file: ") + std::strerror(errno);
    return false;
  }
  text.clear();
  char buffer[65536];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
  bool failed = std::ferror(f) != 0;
  int err = errno;
  std::fclose(f);
  if (failed) {
    error = std::string("cannot read the file: ") + std::strerror(err);
    return false;
  }
  return true;
}

Extra extra_from(const std::string& text) {
  Extra e;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return e;
  if (auto org = j.find("organization"); org != j.end() && org->is_object())
    if (auto name = org->find("name"); name != org->end() && name->is_string()) e.institution_name = name->get<std::string>();
  if (auto levels = j.find("levels"); levels != j.end() && levels->is_array())
    for (const auto& l : *levels)
      if (l.is_string()) e.levels += (e.levels.empty() ? "" : "、") + l.get<std::string>();
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

std::string summary_line(const std::vector<Decision>& ds, Lang lang) {
  int counts[3] = {0, 0, 0}, errors = 0;
  for (const auto& d : ds) {
    if (d.error) ++errors;
    else ++counts[static_cast<int>(d.status)];
  }
  std::ostringstream s;
  if (lang == Lang::zh) {
    s << "共 " << ds.size() << " 份申报：符合条件 " << counts[0] << "，需复核 " << counts[1] << "，不符合条件 " << counts[2];
    if (errors) s << "，无法读取 " << errors;
  } else {
    s << ds.size() << (ds.size() == 1 ? " application: " : " applications: ") << counts[0] << " eligible, " << counts[1]
      << " needs_review, " << counts[2] << " ineligible";
    if (errors) s << ", " << errors << " unreadable";
  }
  return s.str();
}

std::string findings_summary(const Decision& d, Lang lang) {
  std::string out;
  for (const Finding& f : d.findings) {
    if (f.outcome == Outcome::pass) continue;
    const std::string& text = lang == Lang::zh && !f.message.zh.empty() ? f.message.zh : f.message.en;
    if (!out.empty()) out += "; ";
    out += "[" + f.clause + " " + std::string(to_string(f.severity)) + " " + std::string(to_string(f.outcome)) + "] " +
           (f.pointer.empty() ? "" : f.pointer + ": ") + one_line(text);
  }
  return out;
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string default_format() { return stdout_is_terminal() ? "table" : "json"; }

void write_evaluate_table(const Batch& b, const Args& a, Lang lang) {
  std::vector<Column> columns = {
      {tr(lang, "文件", "file"), false, 36, 8},
      {tr(lang, "编号", "id"), false, 16, 8},
      {tr(lang, "机构", "institution"), false, 30, 8},
      {tr(lang, "职业", "occupation"), false, 22, 6},
      {tr(lang, "结论", "status"), false, 0, 12},
      {tr(lang, "得分", "score"), true, 0, 6},
      {tr(lang, "不通过", "failed"), true, 0, 6},
      {tr(lang, "无法判断", "unknown"), true, 0, 8},
  };
  std::vector<std::vector<Cell>> rows;
  for (std::size_t i = 0; i < b.decisions.size(); ++i) {
    const Decision& d = b.decisions[i];
    const Extra* extra = b.extras.empty() ? nullptr : &b.extras[i];
    if (d.error) {
      rows.push_back({{file_name(d.source)}, {""}, {d.error->second}, {""}, {error_label(lang), status_color(d)}});
      continue;
    }
    Counts c = count_findings(d);
    rows.push_back({{file_name(d.source)},
                    {d.application},
                    {institution_shown(d, extra)},
                    {d.occupation},
                    {status_shown(d, lang), status_color(d)},
                    {d.score ? format_score(d.score->total) : ""},
                    {std::to_string(c.failed())},
                    {std::to_string(c.unknown)}});
  }
  write_table(std::cout, columns, rows, table_width(a), use_color());
  std::cout << summary_line(b.decisions, lang) << "\n";
}

void write_evaluate_csv(const Batch& b, const Args& a, Lang lang) {
  if (a.has("bom")) std::cout << kBom;
  write_csv_row(std::cout, {"source", "application", "institution_name", "uscc", "occupation", "levels", "status", "score",
                            "objective", "expert", "hard_failed", "soft_failed", "unknown", "missing", "deadline_met",
                            "valid_from", "valid_until", "findings", "error"});
  for (std::size_t i = 0; i < b.decisions.size(); ++i) {
    const Decision& d = b.decisions[i];
    const Extra& e = b.extras[i];
    if (d.error) {
      write_csv_row(std::cout, {d.source, "", "", "", "", "", "error", "", "", "", "", "", "", "", "", "", "", "",
                                d.error->first + ": " + d.error->second});
      continue;
    }
    Counts c = count_findings(d);
    std::string deadline = d.dates.deadline_met ? (*d.dates.deadline_met ? "true" : "false") : "";
    write_csv_row(std::cout, {d.source, d.application, e.institution_name, d.institution, d.occupation, e.levels,
                              std::string(to_string(d.status)), d.score ? format_score(d.score->total) : "",
                              d.score ? format_score(d.score->objective) : "", d.score ? format_score(d.score->expert) : "",
                              std::to_string(c.hard_failed), std::to_string(c.soft_failed), std::to_string(c.unknown),
                              joined(d.missing, " "), deadline, d.dates.validity ? d.dates.validity->from.iso() : "",
                              d.dates.validity ? d.dates.validity->until.iso() : "", findings_summary(d, lang), ""});
  }
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
  std::cout << summary_line(b.decisions, lang) << "\n";
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

std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  bool stdin_used = false;
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (in == "-") {
      if (stdin_used) throw Usage{"\"-\" (standard input) can be named only once"};
      stdin_used = true;
      out.push_back(in);
    } else if (fs::is_directory(in, ec)) {
      std::vector<std::string> files;
      fs::directory_iterator it(in, ec), end;
      if (ec) {
        out.push_back(in);  // reading it fails and gives its error record
        continue;
      }
      for (; it != end; it.increment(ec)) {
        if (ec) break;
        std::error_code ec2;
        if (it->path().extension() == ".json" && it->is_regular_file(ec2)) files.push_back(it->path().string());
      }
      std::sort(files.begin(), files.end());
      if (files.empty()) std::cerr << "qualify: " << in << ": no *.json files in this folder\n";
      out.insert(out.end(), files.begin(), files.end());
    } else {
      out.push_back(in);
    }
  }
  return out;
}

Batch evaluate_inputs(const RulePack& pack, const Args& a, bool want_extras) {
  if (a.positional.empty()) throw Usage{"name at least one application: a file, a folder of *.json files, or - for standard input"};
  EvaluateOptions options;
  options.as_of = optional_date(a, "as-of");
  unsigned threads = static_cast<unsigned>(int_option(a, "threads", 0, 1024, 0));
  std::vector<std::string> sources = expand_inputs(a.positional);
  if (sources.empty()) throw Usage{"no applications to evaluate: the folders named hold no *.json files"};

  Batch b;
  b.decisions.resize(sources.size());
  if (want_extras) b.extras.resize(sources.size());
  std::vector<std::string> texts;
  std::vector<std::size_t> where;  // texts[k] is the input sources[where[k]]
  texts.reserve(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    std::string text, error;
    Decision& d = b.decisions[i];
    d.source = sources[i];
    if (!read_file(sources[i], text, error)) {
      d.pack = pack.info();
      d.as_of = options.as_of;
      d.error = std::make_pair(std::string("unreadable"), error);
      continue;
    }
    if (want_extras) b.extras[i] = extra_from(text);
    texts.push_back(std::move(text));
    where.push_back(i);
  }

  bool show = !a.has("quiet") && stderr_is_terminal() && sources.size() > 1;
  Progress progress(sources.size(), show, a.command == "select" ? "selecting " : "evaluating");
  progress.advance(sources.size() - texts.size());
  unsigned cores = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  // One call does it all when nobody watches; otherwise chunks large enough to keep every
  // thread busy, small enough for the bar to move.
  std::size_t chunk = show ? std::max<std::size_t>(cores * 8, texts.size() / 100) : std::max<std::size_t>(texts.size(), 1);
  std::span<const std::string> all(texts);
  for (std::size_t start = 0; start < texts.size(); start += chunk) {
    std::size_t n = std::min(chunk, texts.size() - start);
    std::vector<Decision> part = pack.evaluate_many(all.subspan(start, n), threads, options);
    for (std::size_t k = 0; k < part.size(); ++k) {
      std::size_t i = where[start + k];
      std::string source = std::move(b.decisions[i].source);
      b.decisions[i] = std::move(part[k]);
      b.decisions[i].source = std::move(source);
    }
    progress.advance(n);
  }
  progress.finish();
  for (const Decision& d : b.decisions)
    if (d.error) std::cerr << "qualify " << a.command << ": " << d.source << ": " << d.error->second << "\n";
  return b;
}

nlohmann::json error_record(const Decision& d) {
  return {{"source", d.source}, {"error", {{"code", d.error ? d.error->first : ""}, {"message", d.error ? d.error->second : ""}}}};
}

nlohmann::json record(const Decision& d) { return d.error ? error_record(d) : d.to_json(); }

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

// ---------------------------------------------------------------- commands

int cmd_evaluate(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, "evaluate", kBatchOptions, kBatchFlags);
  if (a.help) {
    std::cout << kEvaluateHelp;
    return kOk;
  }
  std::string format = format_option(a, {"table", "json", "jsonl", "csv", "html"}, default_format());
  Lang lang = lang_option(a);
  optional_date(a, "as-of");  // bad usage before the pack is loaded
  int_option(a, "threads", 0, 1024, 0);
  if (a.has("width")) int_option(a, "width", 0, 10000, 0);
  if (a.positional.empty()) throw Usage{"name at least one application: a file, a folder of *.json files, or - for standard input"};
  RulePack pack = load_pack(a);
  bool extras = format == "table" || format == "csv" || format == "html";
  Batch b = evaluate_inputs(pack, a, extras);

  if (format == "json") {
    if (b.decisions.size() == 1) {
      std::cout << record(b.decisions[0]).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      nlohmann::json all = nlohmann::json::array();
      for (const Decision& d : b.decisions) all.push_back(record(d));
      std::cout << all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
  } else if (format == "jsonl") {
    for (const Decision& d : b.decisions)
      std::cout << record(d).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else if (format == "table") {
    write_evaluate_table(b, a, lang);
  } else if (format == "csv") {
    write_evaluate_csv(b, a, lang);
  } else {
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
  std::string format = format_option(a, {"table", "json", "jsonl", "csv", "html"}, default_format());
  Lang lang = lang_option(a);
  optional_date(a, "as-of");
  int_option(a, "threads", 0, 1024, 0);
  if (a.has("width")) int_option(a, "width", 0, 10000, 0);
  SelectOptions so;
  so.quota = static_cast<int>(int_option(a, "quota", 0, 1000000, 5));
  so.include_needs_review = a.has("include-needs-review");
  so.cut = number_option(a, "cut");
  if (a.positional.empty()) throw Usage{"name at least one application: a file, a folder of *.json files, or - for standard input"};
  RulePack pack = load_pack(a);
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
