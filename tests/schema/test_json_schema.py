"""`qualify schema` prints a standard JSON Schema (draft 2020-12) that an independent
validator (Debian's python3-jsonschema) accepts, and that judges the sample applications
as the engine's own schema checks do."""
import json
import os
import pathlib
import subprocess

import jsonschema
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACK = ROOT / "rules" / "chongqing-dte-2025"
APPS = ROOT / "examples" / "applications"


@pytest.fixture(scope="module")
def schema():
    cli = os.environ["QUALIFY_CLI"]
    out = subprocess.run([cli, "schema", "--pack", str(PACK)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def test_is_a_valid_draft_2020_12_schema(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_titles_are_chinese(schema):
    assert schema["properties"]["profile"]["title"] == "单位基本情况"
    assert schema["properties"]["profile"]["maxLength"] == 800


@pytest.mark.parametrize("name", sorted(p.name for p in APPS.glob("00*-eligible-*.json")))
def test_eligible_samples_validate(schema, name):
    app = json.loads((APPS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(app)


@pytest.mark.parametrize("name, pointer", [
    ("0034-form-profile-801-chars-ai-shapingba.json", ["profile"]),
    ("0041-form-registered-capital-string-vr-wulong.json", ["organization", "registered_capital_wan"]),
    ("0045-form-district-chengdu-smartmfg-jiangjin.json", ["recommendation", "district"]),
])
def test_form_errors_are_rejected_at_their_field(schema, name, pointer):
    app = json.loads((APPS / name).read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(app))
    assert any(list(e.absolute_path) == pointer for e in errors), [list(e.absolute_path) for e in errors]
