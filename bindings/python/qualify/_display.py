"""Notebook and table views of Decisions and Selections: to_dataframe and _repr_html_."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Iterable, Union

from ._qualify import Decision, Finding, Selection

if TYPE_CHECKING:  # pandas is only needed when a DataFrame is asked for
    import pandas

STATUSES = ["eligible", "needs_review", "ineligible"]
DECISION_COLUMNS = ["application", "source", "institution", "occupation", "status", "score", "score_max", "objective",
                    "expert", "failed", "unknown", "missing", "deadline_met", "valid_from", "valid_until", "as_of",
                    "error"]

_STATUS_COLOURS = {"eligible": "#1a7f37", "needs_review": "#9a6700", "ineligible": "#cf222e"}
_OUTCOME_MARKS = {"fail": ("✗", "#cf222e"), "unknown": ("?", "#9a6700"), "pass": ("✓", "#1a7f37")}
_OUTCOME_ORDER = {"fail": 0, "unknown": 1, "pass": 2}
_SEVERITY_ORDER = {"hard": 0, "soft": 1, "info": 2}


def _failed(d: Decision, outcome: str) -> list[str]:
    return [f.rule for f in d.findings if f.outcome == outcome and f.severity != "info"]


def _decision_row(d: Decision, criteria: bool) -> dict[str, Any]:
    score = d.score
    validity = d.dates.validity
    row: dict[str, Any] = {
        "application": d.application,
        "source": d.source,
        "institution": d.institution,
        "occupation": d.occupation,
        "status": d.status,
        "score": score.total if score else None,
        "score_max": score.max if score else None,
        "objective": score.objective if score else None,
        "expert": score.expert if score else None,
        "failed": _failed(d, "fail"),
        "unknown": _failed(d, "unknown"),
        "missing": list(d.missing),
        "deadline_met": d.dates.deadline_met,
        "valid_from": validity[0] if validity else None,
        "valid_until": validity[1] if validity else None,
        "as_of": d.as_of,
        "error": d.error["code"] if d.error else None,
    }
    if criteria and score:
        for c in score.criteria:
            row[f"points.{c.id}"] = c.points
    return row


def to_dataframe(
    items: Union[Iterable[Decision], Selection], *, criteria: bool = False
) -> "pandas.DataFrame":
    """A pandas DataFrame of decisions, one row per decision in input order, or of a
    Selection's ranking, one row per ranked application.

    Decision columns: application, source, institution, occupation, status (a categorical
    of 'eligible', 'needs_review', 'ineligible'), score, score_max, objective, expert,
    failed and unknown (the ids of hard and soft rules that failed or were unknown, as
    lists), missing (JSON Pointers), deadline_met, valid_from, valid_until and as_of
    (datetime.date or None) and error (the code when an application could not be read).
    With criteria=True, one more column per scoring criterion, "points.<id>".

    Selection columns: rank, application, source, institution, occupation, status, score,
    objective, expert, selected, reason.

    Needs pandas (Debian: python3-pandas); raises TypeError for anything but Decisions or
    a Selection.
    """
    import pandas as pd

    if isinstance(items, Selection):
        rows = [
            {
                "rank": r.rank,
                "application": r.application,
                "source": r.source,
                "institution": r.institution,
                "occupation": r.occupation,
                "status": r.status,
                "score": r.score,
                "objective": r.objective,
                "expert": r.expert,
                "selected": r.selected,
                "reason": r.reason,
            }
            for r in items.ranking
        ]
        columns = ["rank", "application", "source", "institution", "occupation", "status", "score", "objective",
                   "expert", "selected", "reason"]
        frame = pd.DataFrame(rows, columns=columns)
    else:
        decisions = list(items)
        for d in decisions:
            if not isinstance(d, Decision):
                raise TypeError(f"to_dataframe takes Decisions or a Selection, not {type(d).__name__}")
        rows = [_decision_row(d, criteria) for d in decisions]
        frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=DECISION_COLUMNS)
    frame["status"] = pd.Categorical(frame["status"], categories=STATUSES)
    return frame


# --- HTML for notebooks ------------------------------------------------------------------

_STYLE = (
    "<style>"
    ".qualify table{border-collapse:collapse;margin:0.3em 0;font-size:0.9em}"
    ".qualify th,.qualify td{border:1px solid #d0d7de;padding:2px 8px;text-align:left;vertical-align:top}"
    ".qualify th{background:#f6f8fa}"
    ".qualify .en{color:#57606a;font-size:0.9em}"
    ".qualify .num{text-align:right}"
    "</style>"
)


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _n(x: Any) -> str:
    """A score as the Decision JSON prints it: 100, 87.93."""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return _e(x)


def _status(status: str) -> str:
    colour = _STATUS_COLOURS.get(status, "#57606a")
    return f'<b style="color:{colour}">{_e(status)}</b>'


def _message(zh: str, en: str) -> str:
    if zh and en:
        return f'{_e(zh)}<br><span class="en">{_e(en)}</span>'
    return _e(zh or en)


def _findings_table(findings: list[Finding]) -> str:
    rows = []
    for f in findings:
        mark, colour = _OUTCOME_MARKS.get(f.outcome, ("", "#57606a"))
        rows.append(
            "<tr>"
            f'<td style="color:{colour}">{mark} {_e(f.outcome)}</td>'
            f"<td>{_e(f.severity)}</td><td><code>{_e(f.rule)}</code></td><td>{_e(f.clause)}</td>"
            f"<td>{_message(f.message.zh, f.message.en)}</td><td><code>{_e(f.pointer)}</code></td>"
            "</tr>"
        )
    return (
        "<table><tr><th>outcome</th><th>severity</th><th>rule</th><th>clause</th><th>message</th>"
        "<th>pointer</th></tr>" + "".join(rows) + "</table>"
    )


def decision_html(d: Decision) -> str:
    """The Decision as HTML: status, score and dates, then the findings that did not pass
    (fails first), the scoring criteria, and the passed findings folded away."""
    title = " · ".join(_e(x) for x in (d.application or d.source or "application", d.occupation, d.institution) if x)
    facts = [("status", _status(d.status))]
    if d.score:
        facts.append(("score", f"<b>{_n(d.score.total)}</b> / {_n(d.score.max)}"))
    if d.error:
        facts.append(("error", f"<code>{_e(d.error['code'])}</code> {_e(d.error['message'])}"))
    if d.missing:
        facts.append(("missing", ", ".join(f"<code>{_e(m)}</code>" for m in d.missing)))
    if d.dates.deadline_met is not None:
        facts.append(("deadline met", _e("yes" if d.dates.deadline_met else "no")))
    if d.dates.validity:
        facts.append(("listed", f"{_e(d.dates.validity[0])} – {_e(d.dates.validity[1])}"))
    facts.append(("as of", _e(d.as_of) if d.as_of else "<i>not given</i>"))
    facts.append(("pack", f"{_e(d.pack.id)} {_e(d.pack.version)} <code>{_e(d.pack.sha256[:12])}</code>"))
    summary = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)

    def order(f: Finding) -> tuple[int, int]:
        return (_OUTCOME_ORDER.get(f.outcome, 3), _SEVERITY_ORDER.get(f.severity, 3))

    findings = d.findings
    open_ = sorted((f for f in findings if f.outcome != "pass"), key=order)
    passed = [f for f in findings if f.outcome == "pass"]
    parts = [_STYLE, '<div class="qualify">', f"<b>Decision {title}</b>", f"<table>{summary}</table>"]
    if open_:
        parts.append(f"<b>Findings</b> ({len(open_)} not passed)" + _findings_table(open_))
    if d.score and d.score.criteria:
        rows = "".join(
            f'<tr><td><code>{_e(c.id)}</code></td><td class="num">{_n(c.points)}</td>'
            f'<td class="num">{_n(c.max)}</td><td>{_message(c.why.zh, c.why.en)}</td></tr>'
            for c in d.score.criteria
        )
        parts.append(
            "<details><summary><b>Score</b> by criterion</summary><table><tr><th>criterion</th><th>points</th>"
            f"<th>max</th><th>why</th></tr>{rows}</table></details>"
        )
    if passed:
        parts.append(f"<details><summary>{len(passed)} findings passed</summary>{_findings_table(passed)}</details>")
    parts.append("</div>")
    return "".join(parts)


def selection_html(s: Selection) -> str:
    """The Selection as HTML: how many institutions of the quota, then the ranking."""
    rows = []
    for r in s.ranking:
        mark = "✓" if r.selected else ""
        rows.append(
            f"<tr><td class=\"num\">{_e(r.rank or '')}</td><td>{mark}</td><td>{_e(r.application or r.source)}</td>"
            f"<td>{_e(r.institution)}</td><td>{_e(r.occupation)}</td><td>{_status(r.status)}</td>"
            f'<td class="num">{_n(r.score)}</td><td>{_e(r.reason)}</td></tr>'
        )
    cut = f", cut {_n(s.cut)}" if s.cut is not None else ""
    return (
        _STYLE
        + '<div class="qualify">'
        + f"<b>Selection</b>: {s.institutions_selected} of {s.quota} institutions{cut}"
        + ("" if not s.tie_breaks else f" (ranked by {_e(', '.join(s.tie_breaks))})")
        + "<table><tr><th>rank</th><th>selected</th><th>application</th><th>institution</th><th>occupation</th>"
        "<th>status</th><th>score</th><th>reason</th></tr>" + "".join(rows) + "</table></div>"
    )
