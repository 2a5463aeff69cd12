"""`spur grade`: inspector overrides, --fail-on, the Markdown view and a hint for an unquoted comma."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import run

ROOT = Path(__file__).resolve().parent.parent
LINDEN = "evidence/examples/vardcentralen_linden.yaml"


def test_comma_in_flow_mapping_gets_a_quoting_hint(tmp_path, capsys):
    path = tmp_path / "enhet.yaml"
    path.write_text(
        Path(LINDEN)
        .read_text(encoding="utf-8")
        .replace(
            "inspektorsbedomningar: {}",
            "inspektorsbedomningar:\n  D-07: {utfall: uppfyllt, motivering: Sett, protokoll visat.}",
        ),
        encoding="utf-8",
    )
    assert run(["grade", str(path)]) == 3
    err = capsys.readouterr().err
    assert "enhet.yaml:160:" in err and "sätt citattecken" in err


def test_override_keeps_engine_outcome(tmp_path, capsys):
    text = (
        Path(LINDEN)
        .read_text(encoding="utf-8")
        .replace(
            "inspektorsbedomningar: {}",
            'inspektorsbedomningar:\n  D-07: {utfall: uppfyllt, motivering: "IUP reviderad vid besöket, protokoll visat."}',
        )
    )
    path = tmp_path / "linden.yaml"
    path.write_text(text, encoding="utf-8")
    assert run(["grade", str(path), "--format", "json"]) == 0
    areas = {a["area"]: a for a in json.loads(capsys.readouterr().out)["areas"]}
    d07 = next(r for r in areas["D"]["requirements"] if r["id"] == "D-07")
    assert d07["overridden"] and d07["outcome"] == "met" and d07["engine_outcome"] == "unmet"
    assert "IUP reviderad vid besöket" in d07["reasons"][0]
    assert areas["D"]["grade"] == "A"


@pytest.mark.parametrize(("fail_on", "code"), [("D", 1), ("C", 1), ("B", 1), ("A", 1)])
def test_fail_on_reached(fail_on, code):
    assert run(["grade", LINDEN, "--fail-on", fail_on, "--format", "json", "-o", "/dev/null"]) == code


def test_fail_on_not_reached():
    assert run(["grade", "evidence/examples/vardcentralen_eken.yaml", "--fail-on", "C", "-o", "/dev/null"]) == 0


def test_markdown_output_has_every_area_and_id(capsys, catalog):
    assert run(["grade", LINDEN, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert all(f"### {a.letter}. {a.title}" in out for a in catalog.areas)
    assert all(f"| {r.id} |" in out for r in catalog.requirements)
