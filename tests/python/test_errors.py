"""Errors: qualify.Error and its subclasses carry the C++ error's code, file, pointer, reason."""

import json
import pickle
import shutil

import pytest

import qualify
from conftest import PACK_DIR


def test_hierarchy():
    for cls in (qualify.PackError, qualify.ExpressionError, qualify.CalendarError):
        assert issubclass(cls, qualify.Error)
        assert cls.__module__ == "qualify" and cls.__doc__
    assert issubclass(qualify.Error, Exception)
    made_here = qualify.PackError("by hand")
    assert (made_here.code, made_here.file, made_here.pointer, made_here.reason) == ("", "", "", "")


def test_pack_not_found():
    with pytest.raises(qualify.PackError) as caught:
        qualify.load("no-such-pack")
    e = caught.value
    assert e.code == "pack_not_found" and e.file == "no-such-pack" and e.reason
    assert str(e).startswith("no-such-pack: ")


def test_broken_pack_names_file_and_pointer(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(PACK_DIR, broken)
    manifest = json.loads((broken / "pack.json").read_text(encoding="utf-8"))
    manifest["surprise"] = 1
    (broken / "pack.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(qualify.PackError) as caught:
        qualify.load(broken)
    e = caught.value
    assert e.file.endswith("pack.json") and e.pointer == "/surprise" and e.code == "unknown_key"
    assert str(e) == f"{e.file}: {e.pointer}: {e.reason}"


def test_bad_expression_in_a_pack_is_an_expression_error(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(PACK_DIR, broken)
    rules = json.loads((broken / "eligibility.json").read_text(encoding="utf-8"))
    rules["rules"][0]["condition"] = {"workday_end": ["2025-09-26", 5]}
    (broken / "eligibility.json").write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(qualify.ExpressionError) as caught:
        qualify.load(broken)
    assert caught.value.code == "unknown_operator" and "workday_end" in caught.value.reason
    assert caught.value.file.endswith("eligibility.json")
    assert caught.value.pointer.startswith("/rules/0/condition")


def test_expression_errors():
    with pytest.raises(qualify.ExpressionError) as caught:
        qualify.apply({"no_such_operator": [1]})
    assert caught.value.code and "no_such_operator" in str(caught.value)
    with pytest.raises(qualify.Error):
        qualify.apply({"workdays_end": ["2025-09-26", 5]})  # needs a pack's calendar


def test_calendar_errors(pack):
    with pytest.raises(qualify.CalendarError) as caught:
        pack.validity("2025-02-30")
    assert caught.value.code == "invalid_date"
    with pytest.raises(qualify.CalendarError) as caught:
        pack.publicity_end("1990-01-02")
    assert caught.value.code == "date_outside_calendar"


def test_wrong_argument_types_are_type_errors(pack):
    with pytest.raises(TypeError):
        pack.validity(20251215)
    with pytest.raises(TypeError):
        qualify.apply({"+": [1, 2]}, data={1, 2})
    with pytest.raises(ValueError):
        pack.evaluate_many([], threads=-1)
    with pytest.raises(TypeError):
        pack.evaluate_many({"id": "CQ-2025-0001"})  # one application, not an iterable of them


def test_errors_pickle_with_their_parts():
    try:
        qualify.load("no-such-pack")
    except qualify.PackError as e:
        again = pickle.loads(pickle.dumps(e))
        assert type(again) is qualify.PackError
        assert (again.code, again.file, again.pointer, again.reason) == (e.code, e.file, e.pointer, e.reason)


def test_malformed_decision_dict():
    with pytest.raises(qualify.Error) as caught:
        qualify.Decision.from_dict({"status": "maybe"})
    assert caught.value.code == "bad_decision"
