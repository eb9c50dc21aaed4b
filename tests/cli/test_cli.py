"""The `qualify` command, run as a user runs it: one subprocess per call.

The binary comes from $QUALIFY_CLI (set by ctest); data is found relative to this file.
Run: QUALIFY_CLI=build/qualify /usr/bin/python3 -m pytest -q tests/cli
"""

import csv
import io
import json
import os
import pty
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "chongqing-dte-2025"
APPS = ROOT / "examples" / "applications"
CATALOGUE_CSV = ROOT / "examples" / "catalogue.csv"
CATALOGUE_JSON = ROOT / "examples" / "catalogue.json"
AS_OF = "2025-11-03"
APP_FILES = sorted(APPS.glob("*.json"))
CLEAN = APPS / "0001-eligible-ai-yubei.json"
HARD = APPS / "0019-hard-late-2025-11-01-bigdata-wanzhou.json"
SOFT = APPS / "0017-soft-latest-year-1999-iot-rongchang.json"
FORMATS = ["table", "json", "jsonl", "csv", "html"]
COMMANDS = ["evaluate", "select", "dates", "check", "schema", "catalogue", "apply"]


def _binary():
    env = os.environ.get("QUALIFY_CLI")
    if env:
        return env
    for guess in (ROOT / "build" / "qualify", ROOT / "build-cli" / "qualify"):
        if guess.exists():
            return str(guess)
    pytest.exit("set QUALIFY_CLI to the qualify binary (ctest does)", returncode=2)


CLI = _binary()


def run(*args, stdin=None, check_status=None):
    """Runs qualify with `args`; stdout and stderr are text (UTF-8)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")}
    p = subprocess.run([CLI, *map(str, args)], input=stdin, capture_output=True, env=env, timeout=120)
    out = p.stdout.decode("utf-8")
    err = p.stderr.decode("utf-8")
    if check_status is not None:
        assert p.returncode == check_status, f"exit {p.returncode}\nstdout:\n{out[:2000]}\nstderr:\n{err}"
    return p.returncode, out, err, p.stdout


def ok(*args, stdin=None):
    return run(*args, stdin=stdin, check_status=0)[1]


def width(s):
    """Terminal columns: East Asian Wide and Fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)


def expected_statuses():
    records = [json.loads(line) for line in ok("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "jsonl").splitlines()]
    return {Path(r["source"]).name: r["status"] for r in records}


@pytest.fixture
def batch_with_bad_files(tmp_path):
    """A batch of four: good, missing, not JSON (error on line 3), good."""
    bad = tmp_path / "0007-broken.json"
    bad.write_text('{\n  "id": "CQ-X",\n  "occupation": ,\n}\n', encoding="utf-8")
    missing = tmp_path / "0008-missing.json"
    return [CLEAN, missing, bad, HARD]


# ------------------------------------------------------------------ help and bad usage


def test_main_help_lists_every_command():
    out = ok("--help")
    for command in COMMANDS:
        assert command in out


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_explains_itself_with_an_example(command):
    out = ok(command, "--help")
    assert out.startswith(f"usage: qualify {command}")
    assert "example" in out
    assert f"qualify {command}" in out.split("example", 1)[1]


def test_no_command_is_bad_usage():
    status, out, err, _ = run()
    assert status == 2
    assert "usage: qualify COMMAND" in err


def test_unknown_command_is_bad_usage():
    status, _, err, _ = run("evalute")
    assert status == 2
    assert 'unknown command "evalute"' in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["evaluate", APPS], "--pack is required"),
        (["select", APPS], "--pack is required"),
        (["evaluate", "--pack", PACK, "--formt", "json", APPS], "unknown option --formt (did you mean --format?)"),
        (["evaluate", "--pack", PACK, "--as-of", "2025-02-30", APPS], '"2025-02-30" is not a date'),
        (["evaluate", "--pack", PACK, "--format", "xml", APPS], '--format "xml" is not one of table, json, jsonl, csv, html'),
        (["evaluate", "--pack", PACK], "name at least one application"),
        (["evaluate", "--pack", PACK, "--threads", "many", APPS], '--threads: "many" is not a whole number'),
        (["evaluate", "--pack", PACK, "-", "-"], "can be named only once"),
        (["select", "--pack", PACK, "--quota", "-1", APPS], "--quota must be between 0"),
        (["select", "--pack", PACK, "--cut", "high", APPS], '--cut: "high" is not a number'),
        (["dates", "--pack", PACK], "say which date"),
        (["dates", "--pack", PACK, "validity"], "--approved is required"),
        (["dates", "--pack", PACK, "publicity", "--start", "2025-9-26"], '"2025-9-26" is not a date'),
        (["dates", "--pack", PACK, "holiday"], '"holiday" is not a date question'),
        (["check"], "--pack is required"),
        (["check", "--pack", PACK, "--format", "csv"], '--format "csv" is not one of table, json'),
        (["schema", "--pack", PACK, "extra"], "schema takes no arguments"),
        (["catalogue", "--pack", PACK, CATALOGUE_CSV], "--as-of is required"),
        (["catalogue", "--pack", PACK, "--as-of", AS_OF], "name the catalogue file"),
        (["catalogue", "--pack", PACK, "--as-of", AS_OF, CATALOGUE_CSV, "--expiring-within", "soon"], "not a whole number"),
        (["apply"], "apply takes LOGIC"),
        (["apply", "{not json"], "LOGIC is not valid JSON"),
    ],
)
def test_bad_usage_exits_2_with_a_message_and_a_hint(args, message):
    status, out, err, _ = run(*args)
    assert status == 2, err
    assert out == ""
    assert message in err
    command = str(args[0])
    assert f'run "qualify {command} --help"' in err


@pytest.mark.parametrize("command", ["evaluate", "select", "check", "schema"])
def test_an_unreadable_pack_exits_2(command, tmp_path):
    args = [command, "--pack", tmp_path / "no-such-pack"] + ([CLEAN] if command in ("evaluate", "select") else [])
    status, out, err, _ = run(*args)
    assert status == 2
    assert "cannot load the pack" in err and "no-such-pack" in err


def test_a_broken_pack_exits_2_naming_the_file(tmp_path):
    broken = tmp_path / "pack"
    shutil.copytree(PACK, broken)
    (broken / "eligibility.json").write_text("{ not json", encoding="utf-8")
    status, _, err, _ = run("check", "--pack", broken)
    assert status == 2
    assert "eligibility.json" in err


# ------------------------------------------------------------------ evaluate


def test_evaluate_json_one_file_prints_one_decision():
    d = json.loads(ok("evaluate", "--pack", PACK, "--as-of", AS_OF, CLEAN, "--format", "json"))
    assert isinstance(d, dict)
    assert d["source"] == str(CLEAN)
    assert d["application"] == "CQ-2025-0001"
    assert d["status"] == "eligible"
    assert d["as_of"] == AS_OF
    assert d["pack"]["id"] == "chongqing-dte-2025"


def test_evaluate_json_is_the_default_when_stdout_is_not_a_terminal():
    d = json.loads(ok("evaluate", "--pack", PACK, "--as-of", AS_OF, CLEAN))
    assert d["status"] == "eligible"


def test_evaluate_json_several_files_prints_an_array_in_input_order():
    files = [HARD, CLEAN, SOFT]
    ds = json.loads(ok("evaluate", "--pack", PACK, "--as-of", AS_OF, *files, "--format", "json"))
    assert [d["source"] for d in ds] == [str(f) for f in files]
    assert [d["status"] for d in ds] == ["ineligible", "eligible", "needs_review"]


def test_evaluate_jsonl_a_folder_gives_one_line_per_file_in_name_order():
    lines = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "jsonl").splitlines()
    assert len(lines) == len(APP_FILES)
    assert [Path(json.loads(line)["source"]).name for line in lines] == [f.name for f in APP_FILES]


def test_evaluate_screening_gives_the_statuses_and_form_findings_of_the_full_evaluation():
    def run_with(*extra):
        lines = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "jsonl", *extra).splitlines()
        return [json.loads(line) for line in lines]

    full, quick = run_with(), run_with("--screening")
    assert [d["source"] for d in quick] == [d["source"] for d in full]
    assert [d["status"] for d in quick] == [d["status"] for d in full]
    assert {d["status"] for d in quick} == {"eligible", "needs_review", "ineligible"}
    for a, b in zip(full, quick):
        schema = lambda d: [(f["rule"], f["pointer"]) for f in d["findings"] if f["rule"].startswith("schema.")]
        assert schema(b) == schema(a), a["source"]
        # The same score and dates, without the words of why.
        assert b["score"]["total"] == a["score"]["total"], a["source"]
        assert [c["points"] for c in b["score"]["criteria"]] == [c["points"] for c in a["score"]["criteria"]]
        assert all(c["why"] == {"zh": "", "en": ""} for c in b["score"]["criteria"]), a["source"]
        assert b["dates"] == a["dates"], a["source"]
        rules = [f for f in b["findings"] if not f["rule"].startswith("schema.")]
        assert rules and all(f["evidence"] is None and f["message"] == {"zh": "", "en": ""} for f in rules)
    # The csv summary names a failed rule by its id when there is no message.
    rows = list(csv.DictReader(io.StringIO(ok("evaluate", "--pack", PACK, "--as-of", AS_OF, HARD,
                                              "--format", "csv", "--screening"))))
    assert rows[0]["status"] == "ineligible" and rows[0]["score"] != ""
    assert "requirements.deadline" in rows[0]["findings"], rows[0]["findings"]


def test_screening_is_refused_for_html_and_unknown_to_select():
    status, out, err, _ = run("evaluate", "--pack", PACK, APPS, "--format", "html", "--screening")
    assert status == 2 and out == "" and "--screening" in err and "html" in err
    status, _, err, _ = run("select", "--pack", PACK, APPS, "--screening")
    assert status == 2 and "--screening" in err


def test_limits_from_the_command_line(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(CLEAN.read_bytes())
    d = json.loads(ok("evaluate", "--pack", PACK, "--as-of", AS_OF, big, "--max-document-bytes", "4096"))
    assert d["error"]["code"] == "too_large" and d["source"] == str(big)
    d = json.loads(ok("evaluate", "--pack", PACK, "--as-of", AS_OF, CLEAN, "--max-steps", "40"))
    starved = [f for f in d["findings"] if f.get("error")]
    assert starved and all(f["outcome"] == "unknown" for f in starved) and d["status"] == "needs_review"
    ranked = json.loads(ok("select", "--pack", PACK, "--as-of", AS_OF, APPS, "--max-data-depth", "2"))
    assert ranked["institutions_selected"] == 0
    status, _, err, _ = run("evaluate", "--pack", PACK, CLEAN, "--max-steps", "0")
    assert status == 2 and "--max-steps must be between 1" in err


def test_evaluate_reads_standard_input():
    d = json.loads(ok("evaluate", "--pack", PACK, "--as-of", AS_OF, "-", stdin=CLEAN.read_bytes()))
    assert d["source"] == "-"
    assert d["status"] == "eligible"


def test_evaluate_with_a_bundled_pack_id_and_threads():
    one = ok("evaluate", "--pack", "chongqing-dte-2025", "--as-of", AS_OF, APPS, "--format", "jsonl", "--threads", "1")
    many = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "jsonl", "--threads", "0")
    assert one == many


def test_evaluate_table_aligns_chinese_text_by_display_width():
    out = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "table", "--width", "0")
    lines = out.splitlines()
    header, rule, rows, summary = lines[0], lines[1], lines[2:-1], lines[-1]
    assert header.split() == ["文件", "编号", "机构", "职业", "结论", "得分", "不通过", "无法判断"]
    assert len(rows) == len(APP_FILES)
    # The last column is right-aligned, so every line of the table is exactly as wide.
    assert {width(line) for line in [header, rule, *rows]} == {width(rule)}
    # The status column starts at the same display column in every row.
    start = width(header[: header.index("结论")])
    for row in rows:
        status = row.split()[4] if "…" not in row else None
        if status:
            assert width(row[: row.index(status)]) == start, row
    assert "重庆缙云大学继续教育学院" in out
    statuses = expected_statuses()
    counts = {s: list(statuses.values()).count(s) for s in ("eligible", "needs_review", "ineligible")}
    assert summary == (
        f"共 {len(APP_FILES)} 份申报：符合条件 {counts['eligible']}，需复核 {counts['needs_review']}，"
        f"不符合条件 {counts['ineligible']}"
    )


def test_evaluate_table_fits_the_width_asked_for_cutting_with_an_ellipsis():
    out = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "table", "--width", "80")
    table = out.splitlines()[:-1]
    assert max(width(line) for line in table) <= 80
    assert "…" in out


def test_evaluate_table_caps_long_columns_when_not_on_a_terminal():
    out = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "table")
    assert max(width(line) for line in out.splitlines()) <= 200
    assert "0016-soft-established-2021-01-01-sm…" in out


def test_evaluate_table_in_english():
    out = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, CLEAN, HARD, "--format", "table", "--lang", "en")
    assert out.splitlines()[0].split() == ["file", "id", "institution", "occupation", "status", "score", "failed", "unknown"]
    assert out.splitlines()[-1] == "2 applications: 1 eligible, 0 needs_review, 1 ineligible"


def test_evaluate_csv_is_utf8_with_one_row_per_application():
    _, _, _, raw = run("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "csv", check_status=0)
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == len(APP_FILES) + 1
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert len(rows) == len(APP_FILES)
    assert rows[0]["institution_name"] == "重庆两江智源职业培训学校"
    assert rows[0]["uscc"] == "52500112508461094P"
    assert rows[0]["levels"] == "初级、中级"
    statuses = expected_statuses()
    assert {Path(r["source"]).name: r["status"] for r in rows} == statuses
    late = next(r for r in rows if "0019-hard-late" in r["source"])
    assert late["hard_failed"] == "1" and "[5.3 hard fail]" in late["findings"]


def test_evaluate_csv_bom_for_excel():
    _, _, _, raw = run("evaluate", "--pack", PACK, "--as-of", AS_OF, CLEAN, "--format", "csv", "--bom", check_status=0)
    assert raw.startswith(b"\xef\xbb\xbfsource,application,")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0]["occupation"] == "人工智能工程技术人员"


def test_csv_quotes_and_defuses_formulas(tmp_path):
    app = json.loads(CLEAN.read_text(encoding="utf-8"))
    app["organization"]["name"] = '=HYPERLINK("x"),"学校"'
    f = tmp_path / "formula.json"
    f.write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    raw = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, f, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert rows[0]["institution_name"] == '\'=HYPERLINK("x"),"学校"'


def html_is_self_contained(page):
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert "<script" not in page
    assert "<link" not in page
    assert not re.search(r"\bsrc=", page)
    assert "url(" not in page
    assert re.search(r'<svg xmlns="http://www.w3.org/2000/svg"', page)
    assert page.rstrip().endswith("</html>")


def test_evaluate_html_is_one_self_contained_report():
    page = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "html")
    html_is_self_contained(page)
    statuses = expected_statuses()
    count = list(statuses.values()).count("eligible")
    assert f'<div class="card eligible"><div class="n">{count}</div><div class="l">符合条件</div>' in page
    assert page.count('<article class="app ') == len(APP_FILES)
    assert "二（三） <code>2.3</code>" in page  # findings grouped by clause
    assert "五（三） <code>5.3</code>" in page


def test_html_escapes_every_text(tmp_path):
    app = json.loads(CLEAN.read_text(encoding="utf-8"))
    app["organization"]["name"] = "<script>alert('x')</script>&学校"
    f = tmp_path / "<b>odd & name.json"
    f.write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    page = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, f, HARD, "--format", "html")
    html_is_self_contained(page)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;学校" in page
    assert "<b>odd" not in page and "&lt;b&gt;odd &amp; name.json" in page


# ------------------------------------------------------------------ an unreadable file in a batch


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_unreadable_files_give_error_records_in_place(batch_with_bad_files, fmt):
    status, out, err, _ = run("evaluate", "--pack", PACK, "--as-of", AS_OF, *batch_with_bad_files, "--format", fmt)
    assert status == 0
    records = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
    assert [r["source"] for r in records] == [str(f) for f in batch_with_bad_files]
    good, missing, broken, hard = records
    assert good["status"] == "eligible" and hard["status"] == "ineligible"
    assert missing == {"source": str(batch_with_bad_files[1]), "error": missing["error"]}
    assert missing["error"]["code"] == "unreadable"
    assert "No such file" in missing["error"]["message"]
    assert set(broken) == {"source", "error"}
    assert broken["error"]["code"] == "parse_error"
    assert "line 3" in broken["error"]["message"]
    # Reported on stderr too, with the file names, in input order.
    lines = err.splitlines()
    assert len(lines) == 2
    assert "0008-missing.json" in lines[0] and "0007-broken.json: parse error at line 3" in lines[1]


@pytest.mark.parametrize("fmt", ["table", "csv", "html"])
def test_unreadable_files_show_in_human_formats(batch_with_bad_files, fmt):
    status, out, err, _ = run("evaluate", "--pack", PACK, "--as-of", AS_OF, *batch_with_bad_files, "--format", fmt)
    assert status == 0
    assert "0007-broken.json" in err and "0008-missing.json" in err
    if fmt == "table":
        assert "0007-broken.json" in out and "无法读取" in out
        assert out.splitlines()[-1] == "共 4 份申报：符合条件 1，需复核 0，不符合条件 1，无法读取 2"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        assert [r["status"] for r in rows] == ["eligible", "error", "error", "ineligible"]
        assert rows[2]["error"].startswith("parse_error: parse error at line 3")
    else:
        html_is_self_contained(out)
        assert '<div class="card error"><div class="n">2</div>' in out
        assert "parse error at line 3" in out


def test_select_keeps_unreadable_files_out_of_the_ranking(batch_with_bad_files):
    s = json.loads(ok("select", "--pack", PACK, "--as-of", AS_OF, *batch_with_bad_files, "--format", "json"))
    assert len(s["ranking"]) == 4
    errors = [r for r in s["ranking"] if "error" in r]
    assert [e["error"]["code"] for e in errors] == ["unreadable", "parse_error"]
    assert all(e["reason"] == "not_eligible" and not e["selected"] for e in errors)


# ------------------------------------------------------------------ JSON Lines and streaming


def compact(path, **changes):
    """One application as one line of JSON, with `changes` applied to its top-level keys."""
    app = json.loads(Path(path).read_text(encoding="utf-8"))
    app.update(changes)
    return json.dumps(app, ensure_ascii=False, separators=(",", ":"))


def many_lines(n):
    """`n` applications as JSON Lines: the samples in turn, each with an id of its own."""
    return "".join(compact(APP_FILES[i % len(APP_FILES)], id=f"CQ-BULK-{i:06d}") + "\n" for i in range(n))


@pytest.fixture
def jsonl_with_a_bad_line(tmp_path):
    """Lines: good, blank, not JSON, good, whitespace only, good (no final newline)."""
    f = tmp_path / "batch.jsonl"
    f.write_text(compact(CLEAN) + "\n\n" + '{"id": "CQ-X", "occupation": ,}\n' + compact(HARD) + "\n \t\n" + compact(SOFT),
                 encoding="utf-8")
    return f


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_jsonl_file_a_bad_line_is_an_error_record_named_file_and_line(jsonl_with_a_bad_line, fmt):
    f = jsonl_with_a_bad_line
    status, out, err, _ = run("evaluate", "--pack", PACK, "--as-of", AS_OF, f, "--format", fmt)
    assert status == 0
    names = [f"{f}:1", f"{f}:3", f"{f}:4", f"{f}:6"]  # blank lines 2 and 5 are skipped
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        assert [r["source"] for r in rows] == names
        assert [r["status"] for r in rows] == ["eligible", "error", "ineligible", "needs_review"]
        assert rows[1]["error"].startswith("parse_error: parse error at column ")
        return
    records = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
    assert [r["source"] for r in records] == names
    good, bad, hard, soft = records
    assert [good["status"], hard["status"], soft["status"]] == ["eligible", "ineligible", "needs_review"]
    assert good["application"] == "CQ-2025-0001"
    assert bad == {"source": f"{f}:3", "error": bad["error"]}
    assert bad["error"]["code"] == "parse_error"
    # The record is named by its line, so the message speaks of the column in that line.
    assert bad["error"]["message"].startswith("parse error at column ")
    assert err.splitlines() == [f"qualify evaluate: {f}:3: {bad['error']['message']}"]


def test_jsonl_mixed_with_files_and_folders_keeps_input_order(jsonl_with_a_bad_line, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "b.json").write_bytes(SOFT.read_bytes())
    (folder / "a.jsonl").write_text(compact(CLEAN) + "\n" + compact(HARD) + "\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not an application", encoding="utf-8")
    out = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, HARD, jsonl_with_a_bad_line, folder, CLEAN, "--format", "jsonl")
    sources = [json.loads(line)["source"] for line in out.splitlines()]
    f = jsonl_with_a_bad_line
    assert sources == [str(HARD), f"{f}:1", f"{f}:3", f"{f}:4", f"{f}:6", f"{folder / 'a.jsonl'}:1",
                       f"{folder / 'a.jsonl'}:2", str(folder / "b.json"), str(CLEAN)]


def test_jsonl_from_standard_input_with_input_format_jsonl(jsonl_with_a_bad_line):
    data = jsonl_with_a_bad_line.read_bytes()
    out = ok("evaluate", "--pack", PACK, "--as-of", AS_OF, "--input-format", "jsonl", "-", "--format", "jsonl", stdin=data)
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["source"] for r in records] == ["-:1", "-:3", "-:4", "-:6"]
    assert records[1]["error"]["code"] == "parse_error"
    assert [r.get("status") for r in records] == ["eligible", None, "ineligible", "needs_review"]


def test_standard_input_is_one_document_unless_told_otherwise():
    # The rule: by name (*.jsonl, *.ndjson) for files; standard input has no name, so it is
    # one application unless --input-format jsonl says it is JSON Lines.
    two = (compact(CLEAN) + "\n" + compact(HARD) + "\n").encode()
    d = json.loads(ok("evaluate", "--pack", PACK, "--as-of", AS_OF, "-", stdin=two))
    assert d["source"] == "-" and d["error"]["code"] == "parse_error"


def test_input_format_json_reads_a_jsonl_name_as_one_document(tmp_path):
    f = tmp_path / "one.jsonl"
    f.write_bytes(CLEAN.read_bytes())  # pretty-printed, over many lines
    d = json.loads(ok("evaluate", "--pack", PACK, "--as-of", AS_OF, "--input-format", "json", f))
    assert d["source"] == str(f) and d["status"] == "eligible"
    status, _, err, _ = run("evaluate", "--pack", PACK, "--input-format", "yaml", f)
    assert status == 2 and "--input-format" in err


def test_jsonl_crlf_bom_and_a_line_over_the_size_limit(tmp_path):
    f = tmp_path / "windows.jsonl"
    huge = b'{"id": "' + b"x" * (17 << 20) + b'"}'  # over the 16 MiB limit of one application
    f.write_bytes(b"\xef\xbb\xbf" + compact(CLEAN).encode() + b"\r\n" + huge + b"\r\n" + compact(HARD).encode() + b"\r\n")
    records = [json.loads(line) for line in ok("evaluate", "--pack", PACK, "--as-of", AS_OF, f, "--format", "jsonl").splitlines()]
    assert [r["source"] for r in records] == [f"{f}:1", f"{f}:2", f"{f}:3"]
    assert records[0]["status"] == "eligible" and records[2]["status"] == "ineligible"
    assert records[1]["error"]["code"] == "too_large"
    assert "larger than the limit" in records[1]["error"]["message"]


def test_an_empty_jsonl_file_gives_no_records_and_says_so(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    status, out, err, _ = run("evaluate", "--pack", PACK, "--as-of", AS_OF, empty, CLEAN, "--format", "jsonl")
    assert status == 0 and len(out.splitlines()) == 1
    assert "empty.jsonl: no applications in this file" in err
    status, out, err, _ = run("evaluate", "--pack", PACK, empty, "--format", "jsonl")
    assert status == 2 and out == "" and "no applications to evaluate" in err


def test_streamed_output_in_input_order_whatever_the_threads():
    # 600 applications: more than two chunks of the stream.
    data = many_lines(600).encode()
    args = ("evaluate", "--pack", PACK, "--as-of", AS_OF, "--input-format", "jsonl", "-")
    outputs = {}
    for fmt in ("jsonl", "json", "csv"):
        one = run(*args, "--format", fmt, "--threads", "1", stdin=data, check_status=0)[3]
        two = run(*args, "--format", fmt, "--threads", "2", stdin=data, check_status=0)[3]
        assert one == two, fmt
        outputs[fmt] = two.decode("utf-8")
    records = [json.loads(line) for line in outputs["jsonl"].splitlines()]
    assert [r["source"] for r in records] == [f"-:{i + 1}" for i in range(600)]
    assert [r["application"] for r in records] == [f"CQ-BULK-{i:06d}" for i in range(600)]


def test_streamed_json_array_is_the_array_of_the_jsonl_records():
    data = many_lines(300).encode()
    args = ("evaluate", "--pack", PACK, "--as-of", AS_OF, "--input-format", "jsonl", "-")
    array = json.loads(ok(*args, "--format", "json", stdin=data))
    lines = [json.loads(line) for line in ok(*args, "--format", "jsonl", stdin=data).splitlines()]
    assert array == lines


MEASURE_PEAK = r"""
import resource, subprocess, sys, threading
p = subprocess.Popen(sys.argv[2:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def feed():
    with open(sys.argv[1], "rb") as f, p.stdin:
        while chunk := f.read(1 << 20):
            p.stdin.write(chunk)
threading.Thread(target=feed).start()
records = sum(1 for _ in p.stdout)
p.wait()
print(p.returncode, records, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def test_evaluate_jsonl_streams_in_bounded_memory(tmp_path):
    # 3,000 applications (about 45 MB of JSON) piped through `evaluate --format jsonl`. Holding
    # the batch, as evaluate did before it streamed, needs their text plus about 80 KiB per
    # Decision: over 250 MiB here (it peaked at 491 MB for 5,000). Streaming holds one chunk
    # of 256 applications (texts, decisions and their output: about 25 MiB) beside the program
    # and the pack (about 10 MiB); it measures about 45 MiB. 128 MiB leaves room for another
    # allocator or machine and still fails long before the batch is held whole. Not timed.
    # The peak is taken in a fresh Python process, whose only child is this qualify.
    n = 3000
    data = tmp_path / "bulk.jsonl"
    data.write_text(many_lines(n), encoding="utf-8")
    assert data.stat().st_size > 30 << 20
    command = [CLI, "evaluate", "--pack", str(PACK), "--as-of", AS_OF, "--format", "jsonl", "--input-format", "jsonl",
               "--threads", "2", "-"]
    done = subprocess.run(["/usr/bin/python3", "-c", MEASURE_PEAK, str(data), *command], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    status, records, peak_kib = map(int, done.stdout.split())
    assert status == 0 and records == n
    assert peak_kib < 128 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB for {n} applications"


# ------------------------------------------------------------------ select


def test_select_json_is_the_selection():
    s = json.loads(ok("select", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "json"))
    assert s["quota"] == 5
    assert s["institutions_selected"] == 5
    assert len(s["ranking"]) == len(APP_FILES)
    selected = [r for r in s["ranking"] if r["selected"]]
    assert len({r["institution"] for r in selected}) == 5
    assert all(r["status"] == "eligible" and r["reason"] == "selected" for r in selected)
    ranks = [r["rank"] for r in s["ranking"] if r["rank"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    # One institution may be selected for several occupations.
    assert len(selected) > 5


def test_select_quota_counts_institutions():
    s = json.loads(ok("select", "--pack", PACK, "--as-of", AS_OF, APPS, "--quota", "2"))
    assert s["institutions_selected"] == 2
    assert len({r["institution"] for r in s["ranking"] if r["selected"]}) == 2
    assert any(r["reason"] == "quota_reached" for r in s["ranking"])


def test_select_include_needs_review_and_cut():
    s = json.loads(ok("select", "--pack", PACK, "--as-of", AS_OF, APPS, "--include-needs-review", "--cut", "80"))
    assert s["include_needs_review"] is True and s["cut"] == 80
    assert any(r["status"] == "needs_review" and r["rank"] > 0 for r in s["ranking"])
    assert all(r["score"] >= 80 for r in s["ranking"] if r["selected"])
    assert any(r["reason"] == "below_cut" for r in s["ranking"])


def test_select_jsonl_one_ranked_application_per_line():
    lines = ok("select", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "jsonl").splitlines()
    assert len(lines) == len(APP_FILES)
    first = json.loads(lines[0])
    assert first["rank"] == 1 and first["selected"] is True and first["source"]


def test_select_table_prints_the_ranking_and_the_selection():
    out = ok("select", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "table", "--width", "0")
    lines = out.splitlines()
    assert lines[0].split() == ["名次", "机构", "统一社会信用代码", "职业", "结论", "得分", "遴选结果", "文件"]
    assert lines[2].split()[0] == "1" and "入选" in lines[2]
    assert "遴选名额 5 家，入选机构 5 家" in out
    listed = [line for line in lines if re.match(r"  \d\. ", line)]
    assert len(listed) == 5
    assert any("重庆缙云大学继续教育学院（" in line and "、" in line for line in listed)
    # The result column starts at the same display column in every row.
    start = width(lines[0][: lines[0].index("遴选结果")])
    for row in lines[2 : 2 + len(APP_FILES)]:
        label = re.search(r"入选|名额已满|未参加排名|低于分数线", row).group(0)
        assert width(row[: row.index("  " + label) + 2]) == start, row


def test_select_csv_in_rank_order():
    raw = ok("select", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert len(rows) == len(APP_FILES)
    assert rows[0]["rank"] == "1" and rows[0]["selected"] == "true"
    assert rows[-1]["rank"] == "" and rows[-1]["reason"] == "not_eligible"
    assert sum(r["selected"] == "true" for r in rows) > 5


def test_select_html_is_the_full_report():
    page = ok("select", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "html")
    html_is_self_contained(page)
    for section in ("summary", "selection", "chart", "ranking", "findings"):
        assert f'<section id="{section}">' in page
    assert "入选机构（名额 5 家）" in page
    assert page.count('<tr class="selected">') >= 5 + 5  # selection list + ranking rows
    assert page.count("<rect ") >= 5  # one bar per ranked application
    assert page.count('<article class="app ') == len(APP_FILES)


# ------------------------------------------------------------------ progress


def run_with_terminal_stderr(*args):
    leader, follower = pty.openpty()
    p = subprocess.run([CLI, *map(str, args)], stdout=subprocess.PIPE, stderr=follower, timeout=120)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return p.returncode, p.stdout, b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_for_a_batch():
    status, out, err = run_with_terminal_stderr("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "jsonl")
    assert status == 0
    assert f"{len(APP_FILES)}/{len(APP_FILES)} (100%)" in err
    assert len(out.splitlines()) == len(APP_FILES)


def test_no_progress_for_one_file_or_with_quiet():
    _, _, err = run_with_terminal_stderr("evaluate", "--pack", PACK, "--as-of", AS_OF, CLEAN)
    assert err == ""
    _, _, err = run_with_terminal_stderr("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--quiet")
    assert err == ""


def test_quiet_when_stderr_is_not_a_terminal():
    _, _, err, _ = run("evaluate", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "jsonl", check_status=0)
    assert err == ""


# ------------------------------------------------------------------ dates, check, schema, apply


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_dates_validity(fmt):
    out = ok("dates", "--pack", PACK, "validity", "--approved", "2028-02-29", "--format", fmt)
    if fmt == "json":
        assert json.loads(out) == {"approved": "2028-02-29", "from": "2028-02-29", "until": "2031-02-28"}
    else:
        assert out == "approved 2028-02-29: listed from 2028-02-29 through 2031-02-28\n"


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_dates_publicity_skips_the_national_day_holiday(fmt):
    out = ok("dates", "--pack", PACK, "publicity", "--start", "2025-09-26", "--format", fmt)
    if fmt == "json":
        assert json.loads(out) == {"start": "2025-09-26", "working_days": 5, "end": "2025-10-09"}
    else:
        assert out == "a publicity of 5 working days from 2025-09-26 ends on 2025-10-09\n"


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_check_the_bundled_pack(fmt):
    out = ok("check", "--pack", PACK, "--format", fmt)
    if fmt == "json":
        report = json.loads(out)
        assert report["pack"] == "chongqing-dte-2025" and report["errors"] == 0 and report["rules"] > 0
    else:
        assert re.search(r"^chongqing-dte-2025 \S+: \d+ rules, 0 errors, \d+ warnings$", out.splitlines()[-1])


def test_schema_is_draft_2020_12():
    schema = json.loads(ok("schema", "--pack", PACK))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "organization" in schema["properties"]


def test_apply_keeps_its_behaviour():
    assert ok("apply", '{"<=": [{"var": "n"}, 2000]}', '{"n": 1999}') == "true\n"
    assert ok("apply", "-1") == "-1\n"
    assert ok("apply", '{"var": "n"}', "-", stdin=b'{"n": 3}') == "3\n"
    assert ok("apply", "--pack", PACK, '{"workdays_end": ["2025-09-26", 5]}') == '"2025-10-09"\n'


# ------------------------------------------------------------------ catalogue


@pytest.mark.parametrize("catalogue", [CATALOGUE_CSV, CATALOGUE_JSON])
def test_catalogue_json(catalogue):
    states = json.loads(ok("catalogue", "--pack", PACK, catalogue, "--as-of", "2026-03-01", "--format", "json"))
    assert len(states) > 0
    assert {s["status"] for s in states} <= {"active", "expired", "removed", "not_yet_valid"}
    first = states[0]
    assert first["institution"] == "重庆两江智源职业培训学校"
    assert first["valid_until"] == "2028-12-15" and first["status"] == "active"


def test_catalogue_table_jsonl_csv_agree():
    args = ["catalogue", "--pack", PACK, CATALOGUE_CSV, "--as-of", "2026-03-01"]
    states = [json.loads(line) for line in ok(*args, "--format", "jsonl").splitlines()]
    table = ok(*args, "--format", "table", "--width", "0").splitlines()
    assert table[0].split()[:3] == ["单位名称", "统一社会信用代码", "职业"]
    assert len(table) == 2 + len(states) + 1
    assert table[-1].startswith(f"目录共 {len(states)} 条（2026-03-01）：有效 ")
    _, _, _, raw = run(*args, "--format", "csv", "--bom", check_status=0)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [r["status"] for r in rows] == [s["status"] for s in states]


def test_catalogue_expiring_within():
    states = json.loads(ok("catalogue", "--pack", PACK, CATALOGUE_JSON, "--as-of", "2028-10-01", "--expiring-within", "90"))
    assert states and all(s["status"] == "active" and 0 <= s["days_left"] <= 90 for s in states)


def test_catalogue_that_cannot_be_read_exits_1(tmp_path):
    status, _, err, _ = run("catalogue", "--pack", PACK, tmp_path / "none.csv", "--as-of", AS_OF)
    assert status == 1
    assert "none.csv" in err


def test_catalogue_from_standard_input():
    states = json.loads(ok("catalogue", "--pack", PACK, "-", "--as-of", "2026-03-01", stdin=CATALOGUE_CSV.read_bytes()))
    assert states == json.loads(ok("catalogue", "--pack", PACK, CATALOGUE_JSON, "--as-of", "2026-03-01"))


def test_select_table_ranked_only():
    out = ok("select", "--pack", PACK, "--as-of", AS_OF, APPS, "--format", "table", "--ranked", "--width", "0")
    s = json.loads(ok("select", "--pack", PACK, "--as-of", AS_OF, APPS))
    ranked = [r for r in s["ranking"] if r["rank"]]
    rows = [line for line in out.splitlines()[2:] if re.match(r"\s+\d+\s", line)]
    assert len(rows) == len(ranked)
    assert f"未参加排名的 {len(s['ranking']) - len(ranked)} 份未列出" in out
