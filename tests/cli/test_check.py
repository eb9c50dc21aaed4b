"""`qualify check`: each lint finding on a pack made faulty on purpose, and its exit status."""

import json
import shutil

import pytest

from test_cli import ROOT, run

MINI = ROOT / "tests" / "packs" / "mini"


@pytest.fixture
def pack(tmp_path):
    """A copy of tests/packs/mini to spoil, and a function that rewrites its rules."""
    folder = tmp_path / "pack"
    shutil.copytree(MINI, folder)

    def edit(change):
        path = folder / "eligibility.json"
        rules = json.loads(path.read_text(encoding="utf-8"))
        change(rules["rules"])
        path.write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")

    return folder, edit


def check(folder):
    status, out, err, _ = run("check", "--pack", folder, "--format", "json")
    return status, (json.loads(out) if out.strip() else None), err


def codes(report):
    return {(m["code"], m["pointer"]) for m in report["messages"]}


def test_the_mini_pack_is_clean(pack):
    status, report, _ = check(pack[0])
    assert status == 0 and report["errors"] == 0 and report["messages"] == []


def test_each_lint_error_is_named_with_its_pointer_and_fails(pack):
    folder, edit = pack

    def spoil(rules):
        del rules[1]["clause"]                                      # stamped: no clause
        rules[2]["title"]["en"] = ""                                # signed: one language
        rules[0]["messages"]["fail"] = {"zh": "规模不足", "en": ""}  # scale: message in one language
        rules[7]["applies_when"] = False                            # only_big: never applies
        rules[6]["applies_when"] = {"==": [{"param": "scale_severity"}, "hard"]}  # constant false
        rules[5]["applies_when"] = {"and": [{"var": "signed"}, False]}
    edit(spoil)
    status, report, _ = check(folder)
    assert status == 1
    assert {("missing_clause", "/rules/1"), ("missing_language", "/rules/2/title"),
            ("missing_language", "/rules/0/messages"), ("unreachable_rule", "/rules/7/applies_when"),
            ("unreachable_rule", "/rules/6/applies_when"), ("unreachable_rule", "/rules/5/applies_when")} <= codes(report)
    assert report["errors"] == 6
    for m in report["messages"]:
        assert m["file"].endswith("eligibility.json") and m["level"] == "error"


def test_an_applies_when_reading_data_is_not_called_unreachable(pack):
    folder, edit = pack
    edit(lambda rules: rules[7].update(applies_when={"==": [{"var": "scale"}, {"param": "scale_min"}]}))
    status, report, _ = check(folder)
    assert status == 0 and report["errors"] == 0


def test_an_unused_parameter_is_a_warning(pack):
    folder, _ = pack
    manifest = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    manifest["parameters"]["forgotten"] = {"value": 1, "description": {"zh": "未用", "en": "unused"}}
    (folder / "pack.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    status, report, _ = check(folder)
    assert status == 0 and report["warnings"] == 1
    assert ("unused_parameter", "/parameters/forgotten") in codes(report)


def test_an_unknown_operator_fails_to_load_naming_file_and_pointer(pack):
    folder, edit = pack
    edit(lambda rules: rules[1].update(condition={"workday_end": ["2025-01-01", 5]}))
    status, out, err, _ = run("check", "--pack", folder)
    assert status != 0 and out == ""
    assert "eligibility.json" in err and "/rules/1/condition" in err and "workday_end" in err
    assert "unknown_operator" in err and "Traceback" not in err


def test_table_lists_each_message(pack):
    folder, edit = pack
    edit(lambda rules: rules[1].pop("clause"))
    status, out, _, _ = run("check", "--pack", folder)
    assert status == 1
    assert 'error: ' in out and '/rules/1: rule "stamped" cites no clause of the notice [missing_clause]' in out
    assert out.splitlines()[-1].endswith("1 errors, 0 warnings")
