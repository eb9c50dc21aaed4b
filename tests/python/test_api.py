"""The Python API of DESIGN.md: load, evaluate, evaluate_many, select, dates, apply."""

import copy
import datetime
import json
import pickle
from pathlib import Path

import pytest

import qualify
from conftest import APPLICATIONS, AS_OF, PACK_DIR


def test_load_by_path_str_and_bundled_id(pack):
    assert pack.id == "chongqing-dte-2025"
    assert pack.info.id == pack.id and pack.info.version == pack.version
    assert len(pack.sha256) == 64
    by_str = qualify.load(str(PACK_DIR))
    by_id = qualify.load("chongqing-dte-2025")
    assert by_str.sha256 == by_id.sha256 == pack.sha256
    assert isinstance(pack.directory, Path)
    assert pack.title.zh and pack.title.en
    assert "chongqing-dte-2025" in repr(pack)


def test_evaluate_dict_text_bytes_and_path_agree(pack, files, apps):
    path = files[0]
    text = path.read_text(encoding="utf-8")
    by_dict = pack.evaluate(apps[0], as_of=AS_OF)
    by_text = pack.evaluate(text, as_of=AS_OF)
    by_bytes = pack.evaluate(text.encode("utf-8"), as_of=AS_OF)
    by_path = pack.evaluate(path, as_of=AS_OF)
    assert by_dict == by_text == by_bytes
    assert by_path.source == str(path)
    assert by_dict.source is None
    assert {**by_path.to_dict(), "source": None} == {**by_dict.to_dict(), "source": None}


def test_decision_attributes_hold_what_to_dict_holds(pack, apps):
    d = pack.evaluate(apps[0], as_of=datetime.date(2025, 11, 3))
    j = d.to_dict()
    assert d.status == j["status"] == "eligible"
    assert d.application == j["application"] == apps[0]["id"]
    assert d.institution == apps[0]["organization"]["uscc"]
    assert d.occupation == apps[0]["occupation"]
    assert d.as_of == datetime.date(2025, 11, 3) and j["as_of"] == "2025-11-03"
    assert d.pack.to_dict() == j["pack"]
    assert d.missing == j["missing"]
    assert d.score.total == j["score"]["total"] and d.score.max == j["score"]["max"]
    assert [c.id for c in d.score.criteria] == [c["id"] for c in j["score"]["criteria"]]
    assert [c.points for c in d.score.criteria] == [c["points"] for c in j["score"]["criteria"]]
    assert len(d.findings) == len(j["findings"])
    for f, fj in zip(d.findings, j["findings"]):
        assert f.to_dict() == fj
        assert (f.rule, f.clause, f.outcome, f.severity, f.pointer) == (
            fj["rule"], fj["clause"], fj["outcome"], fj["severity"], fj["pointer"])
        assert f.message.to_dict() == fj["message"]
        assert f.evidence == fj["evidence"]
    assert d.dates.deadline_met is True
    start, until = d.dates.validity
    assert isinstance(start, datetime.date) and (start.isoformat(), until.isoformat()) == (
        j["dates"]["validity"]["from"], j["dates"]["validity"]["until"])
    assert d.error is None
    assert json.loads(d.to_json(indent=2)) == j


def test_to_dict_and_to_json_hold_the_same_decision(pack, files):
    # Two writers of one Decision JSON: to_dict (by way of nlohmann::json) and to_json (written
    # directly). Same values and the same key order, explained and screened, one line or indented.
    def keys_in_order(x):
        if isinstance(x, dict):
            return [(k, keys_in_order(v)) for k, v in x.items()]
        if isinstance(x, list):
            return [keys_in_order(v) for v in x]
        return None

    for explain in (True, False):
        for d in pack.evaluate_many(files, as_of=AS_OF, explain=explain):
            j = d.to_dict()
            for text in (d.to_json(), d.to_json(indent=2)):
                parsed = json.loads(text)
                assert parsed == j
                assert keys_in_order(parsed) == keys_in_order(j)


def test_statuses_of_the_sample_scenarios(pack, files):
    decisions = pack.evaluate_many(files, as_of=AS_OF)
    expected = {"eligible": "eligible", "boundary": "eligible", "hard": "ineligible", "soft": "needs_review",
                "unknown": "needs_review"}
    for path, d in zip(files, decisions):
        kind = path.name.split("-")[1]  # 0019-hard-late-...: the scenario's kind
        if kind in expected:
            assert d.status == expected[kind], path.name
        if kind == "hard":
            assert any(f.outcome == "fail" and f.severity == "hard" for f in d.findings), path.name


def test_missing_field_is_unknown_and_listed(pack, app):
    del app["recommendation"]
    d = pack.evaluate(app, as_of=AS_OF)
    assert d.status == "needs_review"
    assert "/recommendation" in d.missing


def test_dates_in_a_dict_are_written_as_iso_text(pack, app):
    app["submitted_on"] = datetime.date.fromisoformat(app["submitted_on"])
    app["organization"]["established_on"] = datetime.date.fromisoformat(app["organization"]["established_on"])
    assert pack.evaluate(app, as_of=AS_OF) == pack.evaluate(json.dumps(app, default=str), as_of=AS_OF)


def test_as_of_is_never_taken_from_the_clock(pack, app):
    d = pack.evaluate(app)
    assert d.as_of is None and d.to_dict()["as_of"] is None


def test_explain_false_gives_the_same_status(pack, files):
    full = pack.evaluate_many(files, as_of=AS_OF)
    quick = pack.evaluate_many(files, as_of=AS_OF, explain=False)
    assert any(f.rule.startswith("schema.") for d in full for f in d.findings)
    for a, b in zip(full, quick):
        assert a.status == b.status, a.application
        assert [f.rule for f in a.findings if f.rule.startswith("schema.")] == \
            [f.rule for f in b.findings if f.rule.startswith("schema.")], a.application
        # Screening records no evidence for the rules: None, not an empty dict.
        assert all(isinstance(f.evidence, dict) for f in a.findings)
        assert all(f.evidence is None for f in b.findings if not f.rule.startswith("schema."))
        # Scored all the same, without the words.
        assert b.score is not None and b.score.total == a.score.total, a.application
        assert all(c.why.en == "" for c in b.score.criteria)


def test_select_refuses_screening_decisions(pack, files):
    quick = pack.evaluate_many(files[:3], as_of=AS_OF, explain=False)
    with pytest.raises(qualify.Error) as caught:
        pack.select(quick)
    assert caught.value.code == "unscored_decision" and "explain" in str(caught.value)


def test_unreadable_applications_become_decisions(pack, apps, tmp_path):
    items = [apps[0], "{not json", {"when": {1, 2}}, float("nan"), tmp_path / "absent.json", apps[1],
             "\ud800", {"id": "\udfff"}]
    ds = pack.evaluate_many(items, as_of=AS_OF)
    assert len(ds) == len(items)
    assert ds[0].status == "eligible" and ds[5].status == "eligible"
    assert ds[1].error["code"] == "parse_error"
    assert ds[2].error["code"] == "not_json" and "set" in ds[2].error["message"]
    assert ds[3].error["code"] == "not_json"
    assert ds[4].error["code"] == "unreadable" and ds[4].source == str(tmp_path / "absent.json")
    assert ds[6].error["code"] == "invalid_utf8" and ds[7].error["code"] == "invalid_utf8"
    for d in ds[1:5] + ds[6:]:
        assert d.status == "needs_review"
        assert d.findings[0].rule == "input.readable" and d.findings[0].outcome == "unknown"
        assert d.pack.sha256 == pack.sha256 and d.as_of == datetime.date(2025, 11, 3)
    # evaluate() says the same as evaluate_many for one item, and never raises for data.
    assert pack.evaluate({"when": {1, 2}}, as_of=AS_OF) == ds[2]
    not_an_object = pack.evaluate(42)
    assert isinstance(not_an_object, qualify.Decision) and not_an_object.status != "eligible"


def test_a_str_naming_a_file_says_to_pass_a_path(pack, files):
    d = pack.evaluate(str(files[0]), as_of=AS_OF)
    assert d.error["code"] == "not_json"
    assert "pathlib.Path" in d.error["message"] and str(files[0]) in d.error["message"]
    assert pack.evaluate(files[0], as_of=AS_OF).status == "eligible"


def test_evaluate_many_takes_any_iterable_in_input_order(pack, apps):
    ds = pack.evaluate_many((a for a in apps[:5]), as_of=AS_OF)
    assert [d.application for d in ds] == [a["id"] for a in apps[:5]]
    assert pack.evaluate_many([]) == []


def test_select_counts_institutions(pack, files):
    ds = pack.evaluate_many(files, as_of=AS_OF)
    sel = pack.select(ds, quota=5)
    assert sel.quota == 5
    assert sel.institutions_selected == len({r.institution for r in sel.selected}) <= 5
    assert len(sel.ranking) == len(ds)
    assert all(r.status == "eligible" for r in sel.selected)
    ranks = [r.rank for r in sel.ranking if r.rank]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert sel.to_dict()["ranking"][0]["application"] == sel.ranking[0].application
    assert qualify.Selection.from_dict(sel.to_dict()) == sel
    assert pickle.loads(pickle.dumps(sel)) == sel
    assert pack.select(ds, quota=1).institutions_selected == 1
    wider = pack.select(ds, quota=5, include_needs_review=True)
    assert wider.include_needs_review
    assert "Selection" in repr(sel) and "<table>" in sel._repr_html_()


def test_validity_and_publicity_end(pack):
    assert pack.validity("2025-12-15") == (datetime.date(2025, 12, 15), datetime.date(2028, 12, 15))
    assert pack.validity(datetime.date(2028, 2, 29)) == (datetime.date(2028, 2, 29), datetime.date(2031, 2, 28))
    assert pack.publicity_end("2025-09-26") == datetime.date(2025, 10, 9)
    assert pack.publicity_end(datetime.date(2025, 9, 26), days=5) == datetime.date(2025, 10, 9)


def test_apply(pack):
    assert qualify.apply({"+": [1, 2]}) == 3
    assert qualify.apply({"var": "a.b"}, {"a": {"b": "x"}}) == "x"
    assert qualify.apply({"add_years": [{"var": "d"}, 3]}, {"d": datetime.date(2028, 2, 29)}) == "2031-02-28"
    assert qualify.apply({"chars": "重庆市"}) == 3
    assert qualify.apply({"<=": [{"date": "2025-10-31"}, {"date": {"as_of": []}}]}, as_of="2025-11-03") is True
    assert pack.apply({"workdays_end": ["2025-09-26", 5]}) == "2025-10-09"


def test_outcomes_rule_ids_schema_and_lint(pack, apps):
    outcomes = pack.outcomes(apps[0], as_of=AS_OF)
    assert list(outcomes) == pack.rule_ids()
    assert set(outcomes.values()) <= {"pass", "fail", "unknown"}
    schema = pack.json_schema()
    assert schema["type"] == "object" and "organization" in schema["properties"]
    assert [m for m in pack.lint() if m.level == "error"] == []


def test_decision_round_trips(pack, apps):
    d = pack.evaluate(apps[0], as_of=AS_OF)
    assert qualify.Decision.from_dict(d.to_dict()) == d
    assert pickle.loads(pickle.dumps(d)) == d
    assert copy.deepcopy(d) == d
    assert d != pack.evaluate(apps[1], as_of=AS_OF)
    assert d != "eligible"


def test_evidence_values_keep_their_json_types(pack, apps):
    # Evidence keeps each value as JSON text; Python gets back the types json.loads gives.
    j = pack.evaluate(apps[0], as_of=AS_OF).to_dict()
    values = {"/int": 2400, "/neg": -7, "/big": 2**63, "/float": 2.5, "/text": "中文 \"quoted\" \\ \n",
              "/plain": "渝北区", "/empty": "", "/yes": True, "/no": False, "/none": None,
              "/list": [1, "a", None], "/obj": {"items": 3, "b": [{}]}}
    j["findings"][0]["evidence"] = values
    f = qualify.Decision.from_dict(j).findings[0]
    for got in (f.evidence, f.to_dict()["evidence"], json.loads(qualify.Decision.from_dict(j).to_json())["findings"][0]["evidence"]):
        assert got == values
        assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in values.items()}
    assert list(f.evidence) == sorted(values)  # key order, as the Decision JSON prints it
    j["findings"][0]["evidence"] = "not an object"
    with pytest.raises(qualify.Error, match="evidence"):
        qualify.Decision.from_dict(j)


def test_decision_reads_well(pack, apps, app):
    d = pack.evaluate(apps[0], as_of=AS_OF)
    r = repr(d)
    assert apps[0]["id"] in r and "eligible" in r and str(d.score.total) in r
    html = d._repr_html_()
    assert "eligible" in html and str(d.score.total) in html and "<table>" in html
    app["organization"]["name"] = "<script>"
    del app["recommendation"]
    html = pack.evaluate(app, as_of=AS_OF)._repr_html_()
    assert "needs_review" in html and "/recommendation" in html and "<script>" not in html
    f = d.findings[0]
    assert f.rule in repr(f) and str(f.message)


def test_to_dataframe(pack, files):
    pd = pytest.importorskip("pandas")
    ds = pack.evaluate_many(files, as_of=AS_OF)
    df = qualify.to_dataframe(ds)
    assert len(df) == len(ds)
    assert list(df["application"]) == [d.application for d in ds]
    assert list(df["status"].astype(str)) == [d.status for d in ds]
    assert list(df["source"]) == [str(f) for f in files]
    assert df["score"].dtype.kind == "f"
    assert set(df["status"].cat.categories) == {"eligible", "needs_review", "ineligible"}
    hard = df[df["status"] == "ineligible"]
    assert all(len(x) > 0 for x in hard["failed"])
    wide = qualify.to_dataframe(ds, criteria=True)
    assert any(c.startswith("points.") for c in wide.columns)
    ranking = qualify.to_dataframe(pack.select(ds))
    assert list(ranking.columns[:2]) == ["rank", "application"] and ranking["selected"].sum() >= 5
    assert len(qualify.to_dataframe([])) == 0
    with pytest.raises(TypeError):
        qualify.to_dataframe([{"status": "eligible"}])
    assert isinstance(df, pd.DataFrame)


def test_docstrings_and_help(pack):
    import pydoc

    text = pydoc.render_doc(qualify.load, renderer=pydoc.plaintext)
    assert "bundled pack" in text and "PackError" in text
    assert "as_of" in qualify.RulePack.evaluate.__doc__
    assert "GIL" in qualify.RulePack.evaluate_many.__doc__


def test_limits_bound_an_evaluation_and_bad_ones_are_refused(app):
    default = qualify.load("chongqing-dte-2025")
    assert default.limits["max_document_bytes"] == 16 << 20 and default.limits["max_steps"] == 1_000_000
    # A step budget too small for the rules over lists leaves them unknown, with the reason.
    tight = qualify.load("chongqing-dte-2025", max_steps=40)
    d = tight.evaluate(app, as_of=AS_OF)
    starved = [f for f in d.findings if f.error]
    assert starved and all(f.outcome == "unknown" for f in starved)
    assert default.evaluate(app, as_of=AS_OF).status == "eligible" and d.status == "needs_review"
    # Nesting deeper than max_data_depth makes the application unreadable, not an exception.
    shallow = qualify.load("chongqing-dte-2025", max_data_depth=2)
    assert shallow.evaluate(app, as_of=AS_OF).error["code"] == "too_deep"
    for name in ("max_document_bytes", "max_data_depth", "max_expression_depth", "max_steps"):
        with pytest.raises(ValueError, match=name):
            qualify.load("chongqing-dte-2025", **{name: 0})
