"""The README's Python example runs as written, from the project's folder."""

import datetime
import os
import re

from conftest import ROOT


def test_readme_python_example_runs(monkeypatch):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "README.md has no Python example"
    monkeypatch.chdir(ROOT)
    scope: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), scope)
    assert scope["d"].status == "eligible"
    assert len(scope["decisions"]) == len(scope["files"]) and not any(d.error for d in scope["decisions"])
    assert scope["selection"].selected
    assert scope["pack"].publicity_end(datetime.date(2025, 9, 26)) == datetime.date(2025, 10, 9)
