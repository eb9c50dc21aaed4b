// The HTML report of `qualify evaluate|select --format html`: one self-contained page (inline
// CSS and SVG, no scripts, no network) that a bureau officer can open, read and print.
#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include "cli_common.hpp"

namespace qualify::cli {

namespace {

namespace fs = std::filesystem;

const char* kCss = R"(
:root{--ok:#2e7d32;--ok-bg:#e8f5e9;--warn:#a66a00;--warn-bg:#fff8e1;--bad:#c62828;--bad-bg:#ffebee;--err:#6a1b9a;--err-bg:#f3e5f5;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:24px;color:#1f2328;line-height:1.5;font-size:14px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:32px}
h3{font-size:15px;margin:0 0 6px}
.meta{color:var(--muted);margin:2px 0}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12px;background:#f6f8fa;padding:0 3px;border-radius:3px;word-break:break-all}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:130px}
.card .n{font-size:26px;font-weight:600}.card .l{color:var(--muted)}
.card.eligible{background:var(--ok-bg);border-color:var(--ok)}.card.eligible .n{color:var(--ok)}
.card.needs_review{background:var(--warn-bg);border-color:var(--warn)}.card.needs_review .n{color:var(--warn)}
.card.ineligible{background:var(--bad-bg);border-color:var(--bad)}.card.ineligible .n{color:var(--bad)}
.card.error{background:var(--err-bg);border-color:var(--err)}.card.error .n{color:var(--err)}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.selected td{background:var(--ok-bg)}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap}
.badge.eligible,.badge.pass,.badge.selected{background:var(--ok-bg);color:var(--ok)}
.badge.needs_review,.badge.unknown{background:var(--warn-bg);color:var(--warn)}
.badge.ineligible,.badge.fail{background:var(--bad-bg);color:var(--bad)}
.badge.error{background:var(--err-bg);color:var(--err)}
.badge.quiet{background:#eaeef2;color:var(--muted)}
article.app{border:1px solid var(--line);border-left:6px solid var(--line);border-radius:6px;padding:10px 14px;margin:12px 0;page-break-inside:avoid}
article.app.eligible{border-left-color:var(--ok)}article.app.needs_review{border-left-color:var(--warn)}
article.app.ineligible{border-left-color:var(--bad)}article.app.error{border-left-color:var(--err)}
tr.clause th{background:#eef2f6}
.en{color:var(--muted);font-size:12px}
.rule{color:var(--muted);font-size:12px}
.missing{color:var(--warn)}
details{margin:6px 0}summary{cursor:pointer;color:var(--muted)}
svg text{font-family:inherit}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border-radius:2px}
footer{margin-top:32px;color:var(--muted);font-size:12px}
@media print{body{padding:0;font-size:12px}details{display:block}a{color:inherit;text-decoration:none}}
)";

struct Colors {
  const char* fill;
  const char* label_zh;
  const char* label_en;
};
const Colors kSelected{"#2e7d32", "入选", "selected"};
const Colors kEligible{"#66bb6a", "符合条件", "eligible"};
const Colors kNotSelected{"#90a4ae", "符合条件、未入选", "eligible, not selected"};
const Colors kReview{"#f9a825", "需复核", "needs review"};
const Colors kIneligible{"#e57373", "不符合条件", "ineligible"};

std::string status_class(const Decision& d) { return d.error ? "error" : std::string(to_string(d.status)); }

std::string text_of(const Message& m, Lang lang) { return lang == Lang::zh && !m.zh.empty() ? m.zh : m.en.empty() ? m.zh : m.en; }

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// The pack's title, issuer and document number, read from pack.json for the page's header.
struct PackMeta {
  std::string title, authority, document;
};

PackMeta pack_meta(const RulePack& pack, Lang lang) {
  PackMeta m;
  std::ifstream in(pack.directory() / "pack.json", std::ios::binary);
  if (!in) return m;
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return m;
  auto pick = [&](const char* key) -> std::string {
    auto it = j.find(key);
    if (it == j.end()) return "";
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object()) {
      const char* first = lang == Lang::zh ? "zh" : "en";
      const char* second = lang == Lang::zh ? "en" : "zh";
      if (auto t = it->find(first); t != it->end() && t->is_string()) return t->get<std::string>();
      if (auto t = it->find(second); t != it->end() && t->is_string()) return t->get<std::string>();
    }
    return "";
  };
  m.title = pick("title");
  m.authority = pick("authority");
  m.document = pick("document");
  return m;
}

class Page {
 public:
  Page(std::ostream& out, const Report& r) : out_(out), r_(r), lang_(r.lang), ds_(r.batch->decisions) {
    if (r.selection) {
      // Ranked entries name their source; each decision appears once.
      std::map<std::string, std::deque<std::size_t>> by_source;
      for (std::size_t i = 0; i < ds_.size(); ++i) by_source[ds_[i].source].push_back(i);
      ranked_.assign(ds_.size(), nullptr);
      for (const Ranked& x : r.selection->ranking) {
        auto& q = by_source[x.source];
        if (q.empty()) continue;
        ranked_[q.front()] = &x;
        order_.push_back(q.front());
        q.pop_front();
      }
    }
  }

  void write() {
    PackMeta meta = pack_meta(*r_.pack, lang_);
    std::string heading = meta.title.empty() ? r_.pack->info().id : meta.title;
    std::string kind = r_.selection ? tr(lang_, "遴选报告", "selection report") : tr(lang_, "审查报告", "evaluation report");
    out_ << "<!DOCTYPE html>\n<html lang=\"" << tr(lang_, "zh-CN", "en") << "\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<title>" << esc(heading) << " — " << esc(kind) << "</title>\n<style>" << kCss << "</style>\n</head>\n<body>\n";
    out_ << "<header>\n<h1>" << esc(heading) << " — " << esc(kind) << "</h1>\n";
    if (!meta.authority.empty() || !meta.document.empty())
      out_ << "<p class=\"meta\">" << esc(meta.authority) << (meta.document.empty() ? "" : " · ") << esc(meta.document) << "</p>\n";
    const PackInfo& info = r_.pack->info();
    out_ << "<p class=\"meta\">" << tr(lang_, "规则包", "rule pack") << " <code>" << esc(info.id) << " " << esc(info.version)
         << "</code> · sha256 <code title=\"" << esc(info.sha256) << "\">" << esc(info.sha256.substr(0, 12)) << "</code> · "
         << tr(lang_, "评估基准日", "as of") << " " << (r_.as_of ? r_.as_of->iso() : std::string(tr(lang_, "未指定", "not given")))
         << " · " << tr(lang_, "申报材料", "applications") << " " << ds_.size() << "</p>\n</header>\n";
    summary();
    if (r_.selection) selection_list();
    chart();
    table();
    findings();
    out_ << "<footer>" << tr(lang_, "由 qualify ", "Made by qualify ") << esc(qualify::version)
         << tr(lang_, " 依据规则包自动生成；结论以规则包所引通知条款为准，需复核事项请人工审核。",
               " from the rule pack; every finding cites the clause of the notice it comes from, and what needs review needs a person.")
         << "</footer>\n</body>\n</html>\n";
  }

 private:
  std::string esc(std::string_view s) const { return html_escape(s); }

  const Extra* extra(std::size_t i) const { return r_.batch->extras.empty() ? nullptr : &r_.batch->extras[i]; }
  std::string name(std::size_t i) const {
    std::string n = institution_shown(ds_[i], extra(i));
    return n.empty() ? std::string(tr(lang_, "（未填机构）", "(no institution)")) : n;
  }
  std::string status_text(const Decision& d) const { return d.error ? error_label(lang_) : status_label(d.status, lang_); }
  std::string badge(const std::string& cls, const std::string& text) const {
    return "<span class=\"badge " + cls + "\">" + esc(text) + "</span>";
  }

  void summary() {
    int counts[3] = {0, 0, 0}, errors = 0;
    std::set<std::string> institutions;
    for (const auto& d : ds_) {
      if (d.error) ++errors;
      else ++counts[static_cast<int>(d.status)];
      if (!d.institution.empty()) institutions.insert(d.institution);
    }
    out_ << "<section id=\"summary\">\n<h2>" << tr(lang_, "概况", "Summary") << "</h2>\n<div class=\"cards\">\n";
    auto card = [&](const char* cls, std::size_t n, const std::string& label) {
      out_ << "<div class=\"card " << cls << "\"><div class=\"n\">" << n << "</div><div class=\"l\">" << esc(label) << "</div></div>\n";
    };
    card("total", ds_.size(), tr(lang_, "申报总数", "applications"));
    card("total", institutions.size(), tr(lang_, "申报机构", "institutions"));
    card("eligible", static_cast<std::size_t>(counts[0]), status_label(Status::eligible, lang_));
    card("needs_review", static_cast<std::size_t>(counts[1]), status_label(Status::needs_review, lang_));
    card("ineligible", static_cast<std::size_t>(counts[2]), status_label(Status::ineligible, lang_));
    if (errors) card("error", static_cast<std::size_t>(errors), error_label(lang_));
    if (const Selection* s = r_.selection) {
      std::size_t apps = static_cast<std::size_t>(std::count_if(s->ranking.begin(), s->ranking.end(), [](const Ranked& x) { return x.selected; }));
      card("eligible", static_cast<std::size_t>(s->institutions_selected),
           std::string(tr(lang_, "入选机构（名额 ", "institutions selected (quota ")) + std::to_string(s->quota) + tr(lang_, " 家）", ")"));
      card("eligible", apps, tr(lang_, "入选申报", "applications selected"));
    }
    out_ << "</div>\n";
    if (const Selection* s = r_.selection) {
      out_ << "<p class=\"meta\">" << tr(lang_, "参加排名：", "Ranked: ")
           << (s->include_needs_review ? tr(lang_, "符合条件及需复核的申报", "eligible and needs-review applications")
                                       : tr(lang_, "符合条件的申报", "eligible applications"))
           << tr(lang_, "；分数线：", "; cut: ") << (s->cut ? format_score(*s->cut) : std::string(tr(lang_, "无", "none")))
           << tr(lang_, "；排序：", "; order: ") << esc(joined(s->tie_breaks)) << tr(lang_, "。名额按机构（统一社会信用代码）计算，同一机构可多个职业入选。",
                                                                                           ". The quota counts institutions (USCC); one institution may be selected for several occupations.")
           << "</p>\n";
    }
    out_ << "</section>\n";
  }

  static std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  void selection_list() {
    const Selection& s = *r_.selection;
    std::vector<std::string> keys;
    std::map<std::string, std::pair<std::size_t, std::vector<std::size_t>>> chosen;  // key -> (first index, decisions)
    for (std::size_t i : order_) {
      const Ranked* x = ranked_[i];
      if (!x || !x->selected) continue;
      std::string key = x->institution.empty() ? "#" + x->source : x->institution;
      if (!chosen.count(key)) {
        keys.push_back(key);
        chosen[key].first = i;
      }
      chosen[key].second.push_back(i);
    }
    out_ << "<section id=\"selection\">\n<h2>" << tr(lang_, "遴选结果", "Selection") << "</h2>\n";
    if (keys.empty()) {
      out_ << "<p>" << tr(lang_, "没有申报入选。", "No application was selected.") << "</p>\n</section>\n";
      return;
    }
    out_ << "<table>\n<thead><tr><th>#</th><th>" << tr(lang_, "机构", "Institution") << "</th><th>"
         << tr(lang_, "统一社会信用代码", "USCC") << "</th><th>" << tr(lang_, "入选职业（名次、得分）", "Occupations (rank, score)")
         << "</th></tr></thead>\n<tbody>\n";
    for (std::size_t k = 0; k < keys.size(); ++k) {
      const auto& [first, list] = chosen[keys[k]];
      out_ << "<tr class=\"selected\"><td class=\"num\">" << (k + 1) << "</td><td>" << esc(name(first)) << "</td><td><code>"
           << esc(ds_[first].institution) << "</code></td><td>";
      for (std::size_t j = 0; j < list.size(); ++j) {
        const Ranked* x = ranked_[list[j]];
        out_ << (j ? tr(lang_, "；", "; ") : "") << "<a href=\"#app-" << (list[j] + 1) << "\">" << esc(x->occupation) << "</a>"
             << tr(lang_, "（第 ", " (#") << x->rank << tr(lang_, " 名，", ", ") << format_score(x->score) << tr(lang_, " 分）", ")");
      }
      out_ << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n";
    (void)s;
    out_ << "</section>\n";
  }

  const Colors& colors_of(std::size_t i) const {
    const Decision& d = ds_[i];
    if (r_.selection) {
      const Ranked* x = ranked_[i];
      if (x && x->selected) return kSelected;
      if (x && x->rank > 0) return kNotSelected;
    }
    switch (d.status) {
      case Status::eligible: return kEligible;
      case Status::needs_review: return kReview;
      case Status::ineligible: return kIneligible;
    }
    return kIneligible;
  }

  void chart() {
    // Which applications: in a selection the ranked ones in rank order (all scored ones
    // when none is ranked); otherwise every scored application, highest first.
    std::vector<std::size_t> rows;
    if (r_.selection)
      for (std::size_t i : order_)
        if (ranked_[i]->rank > 0 && ds_[i].score) rows.push_back(i);
    if (rows.empty()) {
      for (std::size_t i = 0; i < ds_.size(); ++i)
        if (!ds_[i].error && ds_[i].score) rows.push_back(i);
      std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return ds_[a].score->total > ds_[b].score->total; });
    }
    out_ << "<section id=\"chart\">\n<h2>" << (r_.selection ? tr(lang_, "排名得分", "Scores of the ranking") : tr(lang_, "得分分布", "Scores"))
         << "</h2>\n";
    if (rows.empty()) {
      out_ << "<p>" << tr(lang_, "没有可显示的得分。", "No scores to show.") << "</p>\n</section>\n";
      return;
    }
    double max = 0;
    for (std::size_t i : rows) max = std::max({max, ds_[i].score->max, ds_[i].score->total});
    if (max <= 0) max = 100;
    const int label_w = 340, bar_w = 440, value_w = 60, top = 26, row_h = 20, bar_h = 14;
    const int width = label_w + bar_w + value_w, height = top + row_h * static_cast<int>(rows.size()) + 8;
    auto x_of = [&](double v) { return label_w + std::clamp(v / max, 0.0, 1.0) * bar_w; };

    // Legend: only the kinds of bar that appear.
    std::vector<const Colors*> kinds;
    for (std::size_t i : rows)
      if (std::find(kinds.begin(), kinds.end(), &colors_of(i)) == kinds.end()) kinds.push_back(&colors_of(i));
    out_ << "<p class=\"legend\">";
    for (const Colors* c : kinds) out_ << "<span><i style=\"background:" << c->fill << "\"></i>" << tr(lang_, c->label_zh, c->label_en) << "</span>";
    out_ << "</p>\n";

    out_ << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 "
         << width << " " << height << "\" role=\"img\" aria-label=\"" << tr(lang_, "得分条形图", "bar chart of scores")
         << "\" style=\"max-width:100%;height:auto\">\n";
    for (int k = 0; k <= 5; ++k) {
      double v = max * k / 5;
      double x = x_of(v);
      out_ << "<line x1=\"" << x << "\" y1=\"" << top - 6 << "\" x2=\"" << x << "\" y2=\"" << height - 4
           << "\" stroke=\"#d0d7de\" stroke-width=\"1\"/>"
           << "<text x=\"" << x << "\" y=\"" << top - 10 << "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#57606a\">"
           << format_score(v) << "</text>\n";
    }
    for (std::size_t k = 0; k < rows.size(); ++k) {
      std::size_t i = rows[k];
      const Decision& d = ds_[i];
      int y = top + row_h * static_cast<int>(k);
      std::string label = truncate_to(name(i), 26) + " · " + truncate_to(d.occupation, 20);
      if (r_.selection && ranked_[i] && ranked_[i]->rank > 0) label = std::to_string(ranked_[i]->rank) + ". " + label;
      const Colors& c = colors_of(i);
      double x = x_of(d.score->total);
      out_ << "<a href=\"#app-" << (i + 1) << "\"><title>" << esc(name(i) + " · " + d.occupation + " · " + d.application + " · " +
                                                                  format_score(d.score->total) + " · " + tr(lang_, c.label_zh, c.label_en))
           << "</title>"
           << "<text x=\"" << label_w - 8 << "\" y=\"" << y + bar_h - 2 << "\" font-size=\"12\" text-anchor=\"end\" fill=\"#1f2328\">"
           << esc(label) << "</text>"
           << "<rect x=\"" << label_w << "\" y=\"" << y << "\" width=\"" << std::max(0.0, x - label_w) << "\" height=\"" << bar_h
           << "\" rx=\"2\" fill=\"" << c.fill << "\"/>"
           << "<text x=\"" << x + 4 << "\" y=\"" << y + bar_h - 2 << "\" font-size=\"11\" fill=\"#1f2328\">" << format_score(d.score->total)
           << "</text></a>\n";
    }
    if (r_.selection && r_.selection->cut) {
      double x = x_of(*r_.selection->cut);
      out_ << "<line x1=\"" << x << "\" y1=\"" << top - 4 << "\" x2=\"" << x << "\" y2=\"" << height - 4
           << "\" stroke=\"#c62828\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>"
           << "<text x=\"" << x + 3 << "\" y=\"" << height - 6 << "\" font-size=\"11\" fill=\"#c62828\">" << tr(lang_, "分数线 ", "cut ")
           << format_score(*r_.selection->cut) << "</text>\n";
    }
    out_ << "</svg>\n</section>\n";
  }

  void table() {
    std::vector<std::size_t> rows = order_;
    if (rows.empty())
      for (std::size_t i = 0; i < ds_.size(); ++i) rows.push_back(i);
    out_ << "<section id=\"ranking\">\n<h2>" << (r_.selection ? tr(lang_, "排名与遴选", "Ranking and selection") : tr(lang_, "申报一览", "Applications"))
         << "</h2>\n<table>\n<thead><tr>";
    if (r_.selection) out_ << "<th>" << tr(lang_, "名次", "Rank") << "</th>";
    else out_ << "<th>#</th>";
    out_ << "<th>" << tr(lang_, "机构", "Institution") << "</th><th>" << tr(lang_, "统一社会信用代码", "USCC") << "</th><th>"
         << tr(lang_, "职业", "Occupation") << "</th><th>" << tr(lang_, "等级", "Levels") << "</th><th>" << tr(lang_, "结论", "Status")
         << "</th><th>" << tr(lang_, "得分", "Score") << "</th>";
    if (r_.selection) out_ << "<th>" << tr(lang_, "遴选结果", "Result") << "</th>";
    out_ << "<th>" << tr(lang_, "不通过", "Failed") << "</th><th>" << tr(lang_, "无法判断", "Unknown") << "</th><th>"
         << tr(lang_, "编号 / 文件", "Id / file") << "</th></tr></thead>\n<tbody>\n";
    for (std::size_t i : rows) {
      const Decision& d = ds_[i];
      const Ranked* x = r_.selection ? ranked_[i] : nullptr;
      Counts c = count_findings(d);
      out_ << "<tr" << (x && x->selected ? " class=\"selected\"" : "") << ">";
      if (r_.selection) out_ << "<td class=\"num\">" << (x && x->rank ? std::to_string(x->rank) : "–") << "</td>";
      else out_ << "<td class=\"num\">" << (i + 1) << "</td>";
      if (d.error) {
        out_ << "<td colspan=\"4\">" << esc(d.error->second) << "</td><td>" << badge("error", error_label(lang_)) << "</td><td></td>";
        if (r_.selection) out_ << "<td></td>";
        out_ << "<td></td><td></td>";
      } else {
        const Extra* e = extra(i);
        out_ << "<td><a href=\"#app-" << (i + 1) << "\">" << esc(name(i)) << "</a></td><td><code>" << esc(d.institution)
             << "</code></td><td>" << esc(d.occupation) << "</td><td>" << esc(e ? e->levels : "") << "</td><td>"
             << badge(status_class(d), status_text(d)) << "</td><td class=\"num\">"
             << (d.score ? format_score(d.score->total) : "") << "</td>";
        if (r_.selection)
          out_ << "<td>" << (x ? badge(x->selected ? "selected" : "quiet", reason_label(x->reason, lang_)) : "") << "</td>";
        out_ << "<td class=\"num\">" << c.failed() << "</td><td class=\"num\">" << c.unknown << "</td>";
      }
      out_ << "<td>" << esc(d.application) << (d.application.empty() ? "" : "<br>") << "<span class=\"rule\">"
           << esc(file_name(d.source)) << "</span></td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n</section>\n";
  }

  static std::string file_name(const std::string& source) {
    std::string n = fs::path(source).filename().string();
    return n.empty() ? source : n;
  }

  // `compact` for checks that passed: shorter evidence, no English line.
  void finding_rows(const std::vector<const Finding*>& list, bool compact = false) {
    std::map<std::string, std::vector<const Finding*>, bool (*)(const std::string&, const std::string&)> by_clause(clause_less);
    for (const Finding* f : list) by_clause[std::string(f->clause)].push_back(f);
    out_ << "<table class=\"findings\">\n<thead><tr><th>" << tr(lang_, "结果", "Outcome") << "</th><th>" << tr(lang_, "性质", "Severity")
         << "</th><th>" << tr(lang_, "审查意见", "Finding") << "</th><th>" << tr(lang_, "字段", "Field") << "</th><th>"
         << tr(lang_, "依据数据", "Evidence") << "</th></tr></thead>\n";
    for (const auto& [clause, fs] : by_clause) {
      out_ << "<tbody><tr class=\"clause\"><th colspan=\"5\">" << esc(clause_label(clause, lang_));
      if (lang_ == Lang::zh && !clause.empty()) out_ << " <code>" << esc(clause) << "</code>";
      out_ << "</th></tr>\n";
      for (const Finding* f : fs) {
        std::string outcome(to_string(f->outcome));
        out_ << "<tr><td>" << badge(outcome, outcome_label(f->outcome, lang_)) << "</td><td>" << esc(severity_label(f->severity, lang_))
             << "</td><td>" << esc(text_of(f->message, lang_));
        if (!compact && lang_ == Lang::zh && !f->message.en.empty() && f->message.en != f->message.zh)
          out_ << "<div class=\"en\">" << esc(f->message.en) << "</div>";
        if (!f->error.empty()) out_ << "<div class=\"missing\">" << esc(f->error) << "</div>";
        out_ << "<div class=\"rule\">" << esc(f->rule) << "</div></td><td>"
             << (f->pointer.empty() ? "" : "<code>" + esc(f->pointer) + "</code>") << "</td><td>";
        if (f->evidence.is_object() && !f->evidence.empty()) {
          std::string ev;
          for (std::size_t i = 0; i < f->evidence.size(); ++i) {
            const Evidence::Entry e = f->evidence[i];
            if (e.json_text.starts_with('[') || e.json_text.starts_with('{')) continue;  // the leaves say it more plainly
            ev += (ev.empty() ? "" : ", ") + std::string(e.key) + " = " + dump(e.value());
          }
          if (ev.empty()) ev = dump(f->evidence.to_json());
          std::string shown = truncate_to(ev, compact ? 100 : 200);
          out_ << "<code";
          if (shown != ev && !compact) out_ << " title=\"" << esc(truncate_to(ev, 600)) << "\"";
          out_ << ">" << esc(shown) << "</code>";
        }
        out_ << "</td></tr>\n";
      }
      out_ << "</tbody>\n";
    }
    out_ << "</table>\n";
  }

  void findings() {
    out_ << "<section id=\"findings\">\n<h2>" << tr(lang_, "逐份审查意见（按通知条款）", "Findings by application, grouped by clause")
         << "</h2>\n";
    for (std::size_t i = 0; i < ds_.size(); ++i) {
      const Decision& d = ds_[i];
      const Ranked* x = r_.selection ? ranked_[i] : nullptr;
      out_ << "<article class=\"app " << status_class(d) << "\" id=\"app-" << (i + 1) << "\">\n<h3>"
           << badge(status_class(d), status_text(d)) << " ";
      if (d.error) {
        out_ << esc(d.source) << "</h3>\n<p>" << esc(d.error->first) << ": " << esc(d.error->second) << "</p>\n</article>\n";
        continue;
      }
      out_ << esc(name(i)) << " · " << esc(d.occupation) << "</h3>\n<p class=\"meta\">" << esc(d.application) << " · <code>"
           << esc(d.source) << "</code>";
      if (d.score) out_ << " · " << tr(lang_, "得分 ", "score ") << format_score(d.score->total) << " / " << format_score(d.score->max);
      if (x && x->rank) out_ << " · " << tr(lang_, "第 ", "rank ") << x->rank << tr(lang_, " 名", "");
      if (x) out_ << " · " << badge(x->selected ? "selected" : "quiet", reason_label(x->reason, lang_));
      if (d.dates.deadline_met)
        out_ << " · " << (*d.dates.deadline_met ? tr(lang_, "按期报送", "submitted in time") : tr(lang_, "逾期报送", "submitted late"));
      if (d.dates.validity)
        out_ << " · " << tr(lang_, "目录有效期 ", "listed ") << d.dates.validity->from.iso() << tr(lang_, " 至 ", " to ")
             << d.dates.validity->until.iso();
      out_ << "</p>\n";
      if (!d.missing.empty()) {
        out_ << "<p class=\"missing\">" << tr(lang_, "需补充材料（字段）：", "Ask the applicant for: ");
        for (std::size_t k = 0; k < d.missing.size(); ++k) out_ << (k ? " " : "") << "<code>" << esc(d.missing[k]) << "</code>";
        out_ << "</p>\n";
      }
      std::vector<const Finding*> problems, notes, passed;
      for (const Finding& f : d.findings) {
        if (f.outcome == Outcome::pass) passed.push_back(&f);
        else if (f.severity == Severity::info) notes.push_back(&f);
        else problems.push_back(&f);
      }
      if (problems.empty()) {
        out_ << "<p>" << badge("pass", tr(lang_, "全部审查项通过", "every check passed")) << "</p>\n";
      } else {
        finding_rows(problems);
      }
      if (!notes.empty()) {
        out_ << "<p class=\"rule\">" << tr(lang_, "提示（不影响结论）：", "Notes (no effect on the status):") << "</p>\n";
        finding_rows(notes);
      }
      if (!passed.empty()) {
        out_ << "<details><summary>" << tr(lang_, "已通过的审查项（", "Checks passed (") << passed.size() << tr(lang_, " 项）", ")")
             << "</summary>\n";
        finding_rows(passed, true);
        out_ << "</details>\n";
      }
      if (d.score && !d.score->criteria.empty()) {
        out_ << "<details><summary>" << tr(lang_, "评分明细", "Score by criterion") << "</summary>\n<table>\n<thead><tr><th>"
             << tr(lang_, "评分项", "Criterion") << "</th><th>" << tr(lang_, "得分", "Points") << "</th><th>" << tr(lang_, "满分", "Max")
             << "</th><th>" << tr(lang_, "说明", "Why") << "</th></tr></thead>\n<tbody>\n";
        for (const Criterion& c : d.score->criteria)
          out_ << "<tr><td><code>" << esc(c.id) << "</code></td><td class=\"num\">" << format_score(c.points) << "</td><td class=\"num\">"
               << format_score(c.max) << "</td><td>" << esc(text_of(c.why, lang_)) << "</td></tr>\n";
        if (d.score->objective || d.score->expert) {
          out_ << "<tr><td colspan=\"4\" class=\"rule\">";
          if (d.score->objective) out_ << tr(lang_, "客观分 ", "objective ") << format_score(*d.score->objective) << " ";
          if (d.score->expert) out_ << tr(lang_, "专家评分 ", "experts ") << format_score(*d.score->expert) << " ";
          out_ << tr(lang_, "→ 最终得分 ", "→ final ") << format_score(d.score->total) << "</td></tr>\n";
        }
        out_ << "</tbody>\n</table>\n</details>\n";
      }
      out_ << "</article>\n";
    }
    out_ << "</section>\n";
  }

  std::ostream& out_;
  const Report& r_;
  Lang lang_;
  const std::vector<Decision>& ds_;
  std::vector<const Ranked*> ranked_;  // by decision index, in a selection
  std::vector<std::size_t> order_;     // decision indexes in ranking order, in a selection
};

}  // namespace

void write_html(std::ostream& out, const Report& report) { Page(out, report).write(); }

}  // namespace qualify::cli
