"""A Decision from Python equals the CLI's JSON for the same application."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import AS_OF, PACK_DIR, ROOT


def find_cli():
    """$QUALIFY_CLI (set by ctest), else a built `qualify` in a build folder of the tree."""
    if os.environ.get("QUALIFY_CLI"):
        return os.environ["QUALIFY_CLI"]
    for candidate in sorted(ROOT.glob("build*/qualify")):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("qualify")


@pytest.fixture(scope="module")
def cli():
    path = find_cli()
    if not path:
        pytest.skip("the qualify command is not built (set QUALIFY_CLI)")
    return path


def test_python_decision_equals_cli_json(cli, pack, files):
    run = subprocess.run(
        [cli, "evaluate", "--pack", str(PACK_DIR), *map(str, files), "--format", "jsonl", "--as-of", AS_OF],
        capture_output=True, text=True, check=True)
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(records) == len(files)
    decisions = pack.evaluate_many(files, as_of=AS_OF)
    for path, record, decision in zip(files, records, decisions):
        assert record["source"] == str(path)
        assert decision.to_dict() == record, path.name
        # Text in, the same record: the dict path writes the JSON the CLI reads.
        from_dict = pack.evaluate(json.loads(Path(path).read_text(encoding="utf-8")), as_of=AS_OF).to_dict()
        assert from_dict == {k: v for k, v in record.items() if k != "source"}, path.name
