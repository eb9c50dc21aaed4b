"""Shared fixtures of the Python tests. Data is found relative to this file, never the
working directory. Run with the build tree on the path:

    PYTHONPATH=build/python /usr/bin/python3 -m pytest tests/python
"""

import json
from pathlib import Path

import pytest

import qualify

ROOT = Path(__file__).resolve().parents[2]
PACK_DIR = ROOT / "rules" / "chongqing-dte-2025"
APPLICATIONS = ROOT / "examples" / "applications"
AS_OF = "2025-11-03"


@pytest.fixture(scope="session")
def pack() -> qualify.RulePack:
    return qualify.load(PACK_DIR)


@pytest.fixture(scope="session")
def files() -> list[Path]:
    found = sorted(APPLICATIONS.glob("*.json"))
    assert len(found) >= 40, f"sample applications missing from {APPLICATIONS}"
    return found


@pytest.fixture(scope="session")
def apps(files) -> list[dict]:
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


@pytest.fixture
def app(apps) -> dict:
    """A clean, eligible application (a fresh copy, safe to change)."""
    return json.loads(json.dumps(apps[0]))
