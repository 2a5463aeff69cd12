"""`spur init`: the evidence template, which validates and grades (provisionally), and is never written over a file
unless forced."""

from __future__ import annotations

import json
from pathlib import Path

from cli import run

ROOT = Path(__file__).resolve().parent.parent
LINDEN = "evidence/examples/vardcentralen_linden.yaml"


def test_init_template_validates_and_grades_provisionally(tmp_path, capsys):
    target = tmp_path / "mall.yaml"
    assert run(["init", "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    attested = text.count("    svar:")
    print(f"mallen: {len(text.splitlines())} rader, {attested} intygandefrågor")
    assert attested == 40 and "Underlag:" in text and "personnummer" in text
    assert run(["validate", str(target)]) == 0
    capsys.readouterr()
    assert run(["grade", str(target), "--format", "json"]) == 0
    areas = json.loads(capsys.readouterr().out)["areas"]
    assert all(a["provisional"] for a in areas)
    assert all(r["outcome"] != "met" for a in areas for r in a["requirements"])


def test_init_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "enhet.yaml"
    target.write_text("mina uppgifter", encoding="utf-8")
    assert run(["init", "-o", str(target)]) == 2
    assert "finns redan" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "mina uppgifter"
    assert run(["init", "-o", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("# SPUR-evidens")
