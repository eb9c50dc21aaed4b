// The qualify command's helpers: arguments, labels, terminal, text tables, CSV, progress.
#include <algorithm>
#include <cerrno>
#include <cctype>  // isdigit
#include <cmath>
#include <cstdio>
#include <cstdlib>  // getenv, strtol
#include <iostream>
#include <limits>
#include <sstream>

#include <sys/ioctl.h>  // TIOCGWINSZ
#include <unistd.h>     // isatty

#include "cli_common.hpp"
#include "qualify/detail/validators.hpp"

namespace qualify::cli {

// ---------------------------------------------------------------- arguments

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string suggestion(const std::string& name, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = 3;
  for (const std::string& k : known) {
    std::size_t d = edit_distance(name, k);
    if (d < best_distance || (k.rfind(name, 0) == 0 && !name.empty() && best.empty())) {
      best_distance = std::min(d, best_distance);
      best = k;
    }
  }
  return best.empty() ? "" : " (did you mean --" + best + "?)";
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

Args parse_args(int argc, char** argv, int first, const std::string& command, const std::vector<std::string>& with_value,
                const std::vector<std::string>& flags) {
  Args a;
  a.command = command;
  bool options_done = false;
  for (int i = first; i < argc; ++i) {
    std::string s = argv[i];
    if (options_done || s == "-" || s.empty() || s[0] != '-') {
      a.positional.push_back(s);
    } else if (s == "--") {
      options_done = true;
    } else if (s == "--help" || s == "-h") {
      a.help = true;
    } else if (s.rfind("--", 0) == 0) {
      std::string name = s.substr(2), value;
      bool inline_value = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        inline_value = true;
      }
      if (contains(with_value, name)) {
        if (!inline_value) {
          if (i + 1 >= argc) throw Usage{"option --" + name + " needs a value"};
          value = argv[++i];
        }
      } else if (contains(flags, name)) {
        if (inline_value) throw Usage{"option --" + name + " takes no value"};
      } else {
        std::vector<std::string> known = with_value;
        known.insert(known.end(), flags.begin(), flags.end());
        throw Usage{"unknown option --" + name + suggestion(name, known)};
      }
      a.options[name] = value;
    } else {
      a.positional.push_back(s);  // "-1" is a value (JSON text), not an option
    }
  }
  return a;
}

std::string need(const Args& a, const std::string& name) {
  auto it = a.options.find(name);
  if (it == a.options.end() || it->second.empty()) {
    if (name == "pack") throw Usage{"--pack is required: a rule pack folder or a bundled pack id, e.g. --pack chongqing-dte-2025"};
    throw Usage{"--" + name + " is required"};
  }
  return it->second;
}

Date need_date(const Args& a, const std::string& name) {
  std::string text = need(a, name);
  auto d = Date::parse(text);
  if (!d) throw Usage{"--" + name + ": \"" + text + "\" is not a date; write YYYY-MM-DD, e.g. 2025-11-03"};
  return *d;
}

std::optional<Date> optional_date(const Args& a, const std::string& name) {
  if (!a.has(name)) return std::nullopt;
  return need_date(a, name);
}

long int_option(const Args& a, const std::string& name, long min, long max, long fallback) {
  if (!a.has(name)) return fallback;
  const std::string text = a.get(name);
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE)
    throw Usage{"--" + name + ": \"" + text + "\" is not a whole number"};
  if (v < min || v > max)
    throw Usage{"--" + name + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ", not " + text};
  return v;
}

std::optional<double> number_option(const Args& a, const std::string& name) {
  if (!a.has(name)) return std::nullopt;
  const std::string text = a.get(name);
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v)) throw Usage{"--" + name + ": \"" + text + "\" is not a number"};
  return v;
}

std::string format_option(const Args& a, const std::vector<std::string>& allowed, const std::string& fallback) {
  if (!a.has("format")) return fallback;
  std::string f = a.get("format");
  if (contains(allowed, f)) return f;
  std::string list;
  for (const auto& x : allowed) list += (list.empty() ? "" : ", ") + x;
  throw Usage{"--format \"" + f + "\" is not one of " + list};
}

RulePack load_pack(const Args& a) {
  std::string where = need(a, "pack");
  // Commands that do not take the limit options leave them at their defaults.
  Limits limits;
  constexpr long kMost = std::numeric_limits<long>::max();
  limits.max_document_bytes = static_cast<std::size_t>(
      int_option(a, "max-document-bytes", 1, kMost, static_cast<long>(limits.max_document_bytes)));
  limits.max_data_depth = static_cast<std::size_t>(int_option(a, "max-data-depth", 1, 100000, static_cast<long>(limits.max_data_depth)));
  limits.max_expression_depth =
      static_cast<std::size_t>(int_option(a, "max-expression-depth", 1, 100000, static_cast<long>(limits.max_expression_depth)));
  limits.max_steps = static_cast<std::uint64_t>(int_option(a, "max-steps", 1, kMost, static_cast<long>(limits.max_steps)));
  try {
    return RulePack::load(where, limits);
  } catch (const Error& e) {
    throw Usage{"cannot load the pack \"" + where + "\": " + e.what() + " [" + e.code() + "]"};
  }
}

// ---------------------------------------------------------------- labels

Lang lang_option(const Args& a) {
  std::string l = a.get("lang", "zh");
  if (l == "zh" || l == "zh-CN") return Lang::zh;
  if (l == "en") return Lang::en;
  throw Usage{"--lang \"" + l + "\" is not one of zh, en"};
}

std::string status_label(Status s, Lang lang) {
  switch (s) {
    case Status::eligible: return tr(lang, "符合条件", "eligible");
    case Status::needs_review: return tr(lang, "需复核", "needs_review");
    case Status::ineligible: return tr(lang, "不符合条件", "ineligible");
  }
  return "";
}

std::string error_label(Lang lang) { return tr(lang, "无法读取", "error"); }

std::string reason_label(SelectionReason r, Lang lang) {
  switch (r) {
    case SelectionReason::selected: return tr(lang, "入选", "selected");
    case SelectionReason::below_cut: return tr(lang, "低于分数线", "below_cut");
    case SelectionReason::quota_reached: return tr(lang, "名额已满", "quota_reached");
    case SelectionReason::not_eligible: return tr(lang, "未参加排名", "not_eligible");
  }
  return "";
}

std::string outcome_label(Outcome o, Lang lang) {
  switch (o) {
    case Outcome::pass: return tr(lang, "通过", "pass");
    case Outcome::fail: return tr(lang, "不通过", "fail");
    case Outcome::unknown: return tr(lang, "无法判断", "unknown");
  }
  return "";
}

std::string severity_label(Severity s, Lang lang) {
  switch (s) {
    case Severity::hard: return tr(lang, "硬性", "hard");
    case Severity::soft: return tr(lang, "一般", "soft");
    case Severity::info: return tr(lang, "提示", "info");
  }
  return "";
}

std::string listing_label(std::string_view status, Lang lang) {
  if (status == "active") return tr(lang, "有效", "active");
  if (status == "expired") return tr(lang, "已到期", "expired");
  if (status == "removed") return tr(lang, "已移出", "removed");
  if (status == "not_yet_valid") return tr(lang, "未生效", "not_yet_valid");
  return std::string(status);
}

namespace {

std::string chinese_number(int n) {
  static const char* digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 0 || n >= 100) return std::to_string(n);
  if (n < 10) return digits[n];
  std::string out = n / 10 == 1 ? "" : digits[n / 10];
  out += "十";
  if (n % 10) out += digits[n % 10];
  return out;
}

// "2.3" → {2, 3}; empty when the clause is not numeric.
std::vector<int> clause_numbers(const std::string& clause) {
  std::vector<int> out;
  int n = -1;
  for (char c : clause) {
    if (c >= '0' && c <= '9') {
      n = (n < 0 ? 0 : n * 10) + (c - '0');
      if (n > 100000) return {};
    } else if (c == '.' && n >= 0) {
      out.push_back(n);
      n = -1;
    } else {
      return {};
    }
  }
  if (n < 0) return {};
  out.push_back(n);
  return out;
}

}  // namespace

std::string clause_label(const std::string& clause, Lang lang) {
  if (lang == Lang::en) return clause.empty() ? "-" : clause;
  if (clause.empty()) return "（未注明）";
  auto nums = clause_numbers(clause);
  if (!nums.empty() && nums.size() <= 3) {
    std::string out = chinese_number(nums[0]);
    if (nums.size() >= 2) out += "（" + chinese_number(nums[1]) + "）";
    if (nums.size() >= 3) out += std::to_string(nums[2]) + ".";
    return out;
  }
  if (clause.rfind("form:note", 0) == 0) return "推荐表 填表说明" + clause.substr(9);
  if (clause.rfind("form:", 0) == 0) return "推荐表 " + clause.substr(5);
  return clause;
}

bool clause_less(const std::string& a, const std::string& b) {
  auto na = clause_numbers(a), nb = clause_numbers(b);
  if (!na.empty() && !nb.empty()) return na != nb ? na < nb : a < b;
  if (na.empty() != nb.empty()) return !na.empty();  // the notice's clauses before the form's
  return a < b;
}

std::string format_score(double x) {
  if (!std::isfinite(x)) return "";
  long long cents = std::llround(x * 100);
  bool negative = cents < 0;
  if (negative) cents = -cents;
  std::string out = (negative ? "-" : "") + std::to_string(cents / 100);
  int frac = static_cast<int>(cents % 100);
  if (frac) {
    out += '.';
    out += static_cast<char>('0' + frac / 10);
    if (frac % 10) out += static_cast<char>('0' + frac % 10);
  }
  return out;
}

std::string format_score(const std::optional<double>& x) { return x ? format_score(*x) : ""; }

// ---------------------------------------------------------------- terminal and text

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }
bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

std::size_t terminal_width() {
  if (const char* c = std::getenv("COLUMNS")) {
    char* end = nullptr;
    long v = std::strtol(c, &end, 10);
    if (end != c && *end == '\0' && v >= 20 && v <= 10000) return static_cast<std::size_t>(v);
  }
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  return 100;
}

std::size_t table_width(const Args& a) {
  if (a.has("width")) return static_cast<std::size_t>(int_option(a, "width", 0, 10000, 0));
  return stdout_is_terminal() ? terminal_width() : 0;
}

bool use_color() {
  const char* no = std::getenv("NO_COLOR");
  return stdout_is_terminal() && !(no && *no);
}

std::size_t text_width(std::string_view s) { return detail::display_width(s); }

std::string truncate_to(std::string_view s, std::size_t width) {
  if (text_width(s) <= width) return std::string(s);
  if (width == 0) return "";
  std::string out;
  std::size_t used = 0;
  char32_t cp;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = detail::validators_impl::decode(s, i, cp);
    std::size_t w = n ? static_cast<std::size_t>(detail::validators_impl::code_point_width(cp)) : 1;
    if (n == 0) n = 1;
    if (used + w > width - 1) break;
    out.append(s.substr(i, n));
    used += w;
    i += n;
  }
  return out + "…";
}

std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

void write_table(std::ostream& out, const std::vector<Column>& columns, const std::vector<std::vector<Cell>>& rows,
                 std::size_t max_width, bool color) {
  const std::size_t n = columns.size();
  const std::size_t gap = 2;
  std::vector<std::size_t> width(n, 0);
  for (std::size_t c = 0; c < n; ++c) {
    width[c] = text_width(columns[c].header);
    for (const auto& row : rows)
      if (c < row.size()) width[c] = std::max(width[c], text_width(row[c].text));
    if (columns[c].cap) width[c] = std::min(width[c], std::max(columns[c].cap, text_width(columns[c].header)));
  }
  if (max_width > 0) {
    auto total = [&] {
      std::size_t t = n ? gap * (n - 1) : 0;
      for (std::size_t w : width) t += w;
      return t;
    };
    // Squeeze, one column at a time, the column with the most room above its minimum: long
    // names give way before codes and dates, and the table keeps its shape.
    auto slack = [&](std::size_t c) { return width[c] - std::min(width[c], std::max<std::size_t>(columns[c].min, 1)); };
    while (total() > max_width) {
      std::size_t pick = n;
      for (std::size_t c = 0; c < n; ++c)
        if (slack(c) > 0 && (pick == n || slack(c) > slack(pick))) pick = c;
      if (pick == n) break;
      --width[pick];
    }
  }
  auto line = [&](const std::vector<Cell>& cells) {
    std::string text;
    for (std::size_t c = 0; c < n; ++c) {
      std::string cell = c < cells.size() ? truncate_to(one_line(cells[c].text), width[c]) : "";
      std::size_t pad = width[c] - std::min(width[c], text_width(cell));
      bool last = c + 1 == n;
      const char* sgr = c < cells.size() && color ? cells[c].color : nullptr;
      if (sgr) cell = std::string("\x1b[") + sgr + "m" + cell + "\x1b[0m";
      if (columns[c].right) text += std::string(pad, ' ') + cell;
      else text += last ? cell : cell + std::string(pad, ' ');
      if (!last) text += std::string(gap, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << "\n";
  };
  std::vector<Cell> header;
  for (const auto& col : columns) header.push_back({col.header, color ? "1" : nullptr});
  line(header);
  std::string rule;
  for (std::size_t c = 0; c < n; ++c) {
    rule += std::string(width[c], '-');
    if (c + 1 < n) rule += std::string(gap, ' ');
  }
  out << rule << "\n";
  for (const auto& row : rows) line(row);
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string f = fields[i];
    if (!f.empty() && (f[0] == '=' || f[0] == '+' || f[0] == '@' || (f[0] == '-' && f.size() > 1 && !std::isdigit(static_cast<unsigned char>(f[1])))))
      f = "'" + f;
    bool quote = f.find_first_of(",\"\r\n") != std::string::npos || (!f.empty() && (f.front() == ' ' || f.back() == ' '));
    if (i) out << ',';
    if (quote) {
      out << '"';
      for (char c : f) {
        if (c == '"') out << '"';
        out << c;
      }
      out << '"';
    } else {
      out << f;
    }
  }
  out << "\r\n";
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------- progress

Progress::Progress(std::optional<std::size_t> total, bool enabled, std::string label)
    : total_(total), enabled_(enabled && (!total || *total > 1)), label_(std::move(label)) {
  if (enabled_) draw();
}

Progress::~Progress() { finish(); }

void Progress::advance(std::size_t n) {
  done_ = total_ ? std::min(*total_, done_ + n) : done_ + n;
  if (enabled_) draw();
}

void Progress::message(const std::string& line) {
  if (enabled_) std::cerr << "\r\x1b[K";
  std::cerr << line << "\n";
  if (enabled_) {
    last_percent_ = -1;
    draw();
  }
}

void Progress::draw() {
  if (!total_) {
    std::cerr << "\r" << label_ << " " << done_ << std::flush;
    return;
  }
  std::size_t total = *total_;
  int percent = total ? static_cast<int>(done_ * 100 / total) : 100;
  if (percent == last_percent_ && done_ != total) return;
  last_percent_ = percent;
  const int bar = 30;
  int filled = percent * bar / 100;
  std::string line = "\r" + label_ + " [" + std::string(static_cast<std::size_t>(filled), '#') +
                     std::string(static_cast<std::size_t>(bar - filled), '.') + "] " + std::to_string(done_) + "/" +
                     std::to_string(total) + " (" + std::to_string(percent) + "%)";
  std::cerr << line << std::flush;
}

void Progress::finish() {
  if (!enabled_) return;
  std::cerr << "\r\x1b[K" << std::flush;
  enabled_ = false;
}

}  // namespace qualify::cli
