"""`spur schema`: the evidence file's JSON Schema, which accepts what the loader accepts and catches what it refuses."""

from __future__ import annotations

import json
from pathlib import Path

from cli import run

ROOT = Path(__file__).resolve().parent.parent
LINDEN = "evidence/examples/vardcentralen_linden.yaml"


def test_schema_is_json_schema_with_requirement_ids(capsys):
    assert run(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["additionalProperties"] is False
    assert "E-09" in schema["properties"]["intyganden"]["propertyNames"]["enum"]
    assert "D-07" not in schema["properties"]["intyganden"]["propertyNames"]["enum"]  # structured, not attested
    assert len(schema["properties"]["inspektorsbedomningar"]["propertyNames"]["enum"]) == 74


def test_schema_accepts_what_the_loader_accepts(tmp_path, capsys):
    """An editor checking files against `spur schema` (an independent validator here, jsonschema) must accept the
    bundled examples, a fresh template and generated units, which write ja / nej, and still catch what the loader
    refuses."""
    import jsonschema

    from benchmarks.generate import generate
    from evidence.yamlsafe import load

    assert run(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert run(["init", "-o", str(tmp_path / "mall.yaml")]) == 0
    generate(tmp_path / "gen", 30, seed=3)
    files = sorted((ROOT / "evidence" / "examples").glob("*.yaml")) + sorted(tmp_path.rglob("*.yaml"))
    for path in files:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load(path).data)]
        assert errors == [], path
    print(f"{len(files)} filer giltiga enligt schemat")
    data = load(ROOT / LINDEN).data
    data["st_lakare"][0]["iup"]["finns"] = "kanske"
    data["st_lakare"][0]["huvudhandledare"] = "ja"
    data["st_lakare"][0]["okand"] = 1

    def leaves(errors):  # the deepest failure of each branch of an anyOf (a list or null, a name or false …)
        for e in errors:
            if e.context:
                yield from leaves(e.context)
            elif (e.validator, e.validator_value) != ("type", "null"):
                yield e

    found = sorted(
        {str(list(e.absolute_path)) for e in leaves(validator.iter_errors(data)) if len(e.absolute_path) > 1}
    )
    print(found)
    assert found == ["['st_lakare', 0, 'huvudhandledare']", "['st_lakare', 0, 'iup', 'finns']", "['st_lakare', 0]"]
