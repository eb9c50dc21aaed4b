"""qualify: a rules engine for public programme applications.

Load a rule pack once, then evaluate applications (dicts, JSON text or files) into
Decisions that cite the clause of the notice behind every finding::

    import qualify
    pack = qualify.load("chongqing-dte-2025")        # a folder, or a bundled pack's id
    d = pack.evaluate(application, as_of="2025-11-03")
    d.status, d.findings, d.score.total, d.to_dict()
    ds = pack.evaluate_many(applications, threads=0)  # in parallel, GIL released
    sel = pack.select(ds, quota=5)
    qualify.to_dataframe(ds)                          # pandas, one row per decision

Faults of a pack or of a call raise qualify.Error (PackError, ExpressionError,
CalendarError); faults in an application's data never raise: they become findings.
"""

import os as _os
from pathlib import Path as _Path

# A pip-installed package carries its rule packs in qualify/rules: let the engine find
# them by id after any folders the user named in $QUALIFY_PACK_PATH.
_bundled_rules = _Path(__file__).with_name("rules")
if _bundled_rules.is_dir():
    _paths = [p for p in _os.environ.get("QUALIFY_PACK_PATH", "").split(":") if p]
    if str(_bundled_rules) not in _paths:
        _os.environ["QUALIFY_PACK_PATH"] = ":".join([*_paths, str(_bundled_rules)])

from ._qualify import (  # noqa: E402
    CalendarError,
    Criterion,
    DateFacts,
    Decision,
    Error,
    ExpressionError,
    Finding,
    LintMessage,
    Message,
    PackError,
    PackInfo,
    Ranked,
    RulePack,
    Score,
    Selection,
    __version__,
)
from . import _qualify  # noqa: E402
from ._display import decision_html as _decision_html  # noqa: E402
from ._display import selection_html as _selection_html  # noqa: E402
from ._display import to_dataframe  # noqa: E402
from ._pickle import reduce_pack as _reduce_pack  # noqa: E402



def load(
    path: "str | os.PathLike[str]",
    *,
    max_document_bytes: "int | None" = None,
    max_data_depth: "int | None" = None,
    max_expression_depth: "int | None" = None,
    max_steps: "int | None" = None,
) -> RulePack:
    """Loads a rule pack: a folder, or the id of a bundled pack ("chongqing-dte-2025").

    An id is looked up under $QUALIFY_PACK_PATH (folders separated by ':'), then among the
    packs installed with this package, in the source tree and under the install prefix.
    Every file is read, every expression compiled and every field checked against the
    schema once, here; the RulePack then evaluates many applications quickly, from many
    threads if need be, and pickles as its source files.

    Raises PackError (with .code, .file, .pointer and .reason) for a pack that cannot be
    found, read or checked, ExpressionError for a bad expression in it and CalendarError
    for a bad calendar file.

    The limits keep untrusted input from running away; the defaults suit the 推荐表 with a
    wide margin. max_document_bytes: the largest application text (16 MiB); max_data_depth:
    the deepest nesting of an application (64); max_expression_depth: of a rule's
    expression (64); max_steps: the work one rule may do (1,000,000). A limit an
    application hits gives a finding or an error record, never an exception; a value
    below 1 raises ValueError. pack.limits shows them, and a pickled pack keeps them.

    >>> pack = qualify.load("chongqing-dte-2025")
    >>> pack.evaluate(Path("examples/applications/0001-eligible-ai-yubei.json"), as_of="2025-11-03").status
    'eligible'
    """
    return _qualify.load(path, max_document_bytes=max_document_bytes, max_data_depth=max_data_depth,
                         max_expression_depth=max_expression_depth, max_steps=max_steps)


def apply(logic: object, data: object = None, *, as_of: "datetime.date | str | None" = None) -> object:
    """Applies one JsonLogic expression to `data` and returns the result.

    `logic` is the expression as Python values (a dict such as {"+": [1, 2]}, a list or a
    scalar), `data` what {"var": ...} reads (datetime.date values become ISO text). The
    operators are JsonLogic's (jsonlogic.com) plus qualify's extensions: date, add_days,
    add_months, add_years (Civil Code periods), days_between, chars, sum, count,
    uscc_valid, cn_id_valid; {"as_of": []} reads `as_of`. Operators that need a pack's
    calendar or code lists (workdays_end, gbt4754_valid) need RulePack.apply.

    Raises ExpressionError for a malformed expression or a failure while applying it.

    >>> qualify.apply({"add_years": [{"var": "approved"}, 3]}, {"approved": "2028-02-29"})
    '2031-02-28'
    """
    return _qualify.apply(logic, data, as_of=as_of)


Decision._repr_html_ = _decision_html
Selection._repr_html_ = _selection_html
RulePack.__reduce__ = _reduce_pack

# Show (and pickle) the classes under the name users import them by.
for _cls in (Criterion, DateFacts, Decision, Finding, LintMessage, Message, PackInfo, Ranked, RulePack, Score,
             Selection):
    _cls.__module__ = __name__
del _cls

__all__ = [
    "CalendarError",
    "Criterion",
    "DateFacts",
    "Decision",
    "Error",
    "ExpressionError",
    "Finding",
    "LintMessage",
    "Message",
    "PackError",
    "PackInfo",
    "Ranked",
    "RulePack",
    "Score",
    "Selection",
    "__version__",
    "apply",
    "load",
    "to_dataframe",
]
