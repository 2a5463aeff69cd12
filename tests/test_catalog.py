"""The catalogue (rules/) holds the SPUR model: 74 items in report order, kinds, scales, settings."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from cli import run

ROOT = Path(__file__).resolve().parent.parent

COUNTS = {"A": 4, "B": 10, "C": 4, "D": 13, "E": 14, "F": 6, "G": 10, "H": 13}


def test_counts_and_order(catalog):
    ids = [r.id for r in catalog.requirements]
    assert len(ids) == 74 == len(set(ids))
    for area in catalog.areas:
        numbers = [int(r.id.split("-")[1]) for r in area.requirements]
        assert numbers == list(range(1, COUNTS[area.letter] + 1)), area.letter
    assert [a.header.id for a in catalog.areas if a.header] == ["A-H", "C-H", "D-H", "F-H"]


def test_kinds_follow_the_domain_reference(catalog):
    by = catalog.by_id
    assert by["E-10"].kind == "allmant_rad"
    assert by["G-05"].kind == {"SOSFS 2015:8": "foreskrift", "HSLF-FS 2021:8": "allmant_rad"}
    assert by["E-04"].responsible == {"SOSFS 2015:8": "verksamhetschef", "HSLF-FS 2021:8": "huvudhandledare"}
    assert by["A-04"].kind == "kvalitetsindikator" and by["D-13"].kind == "kvalitetsindikator"
    assert not catalog.areas[0].has_kind("allmant_rad")
    assert sorted(catalog.areas[0].scale) == ["A", "B", "D"]
    assert catalog.areas[0].scale["B"] == "Socialstyrelsens föreskrifter följs."
    assert sorted(catalog.areas[2].scale) == ["A", "B", "C", "D"]


def test_no_unverified_reference_is_presented_as_verified(catalog):
    verified = [(r.id, ref.source, ref.section) for r in catalog.requirements for ref in r.references if ref.verified]
    assert all(not src.startswith("HSLF-FS") for _, src, _ in verified), verified


def test_rules_list_json_contract(capsys):
    assert run(["rules", "list", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 74
    assert {d["area"] for d in data} == set("ABCDEFGH")
    assert set(data[0]) == {"id", "area", "kind", "confidence", "text"}
    assert [d["id"] for d in data][:3] == ["A-01", "A-02", "A-03"]


def test_rules_list_flags_low_confidence(capsys):
    assert run(["rules", "list", "--area", "B"]) == 0
    out = capsys.readouterr().out
    assert "B-03" in out and "låg säkerhet" in out and "E-01" not in out


def test_rules_show_and_unknown_id(capsys):
    assert run(["rules", "show", "E-04"]) == 0
    out = capsys.readouterr().out
    assert "Huvudhandledaren" in out and "Verksamhetschefen" in out and "Exempel:" in out
    assert run(["rules", "show", "E-99"]) == 2
    assert "okänt krav-id" in capsys.readouterr().err


def test_rules_lint_and_test_commands(capsys):
    assert run(["rules", "lint"]) == 0
    assert "74 krav" in capsys.readouterr().out
    assert run(["rules", "test"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    print(last)
    assert re.fullmatch(r"(\d+) av \1 exempel gav väntat utfall, 0 fel\.", last)
    assert run(["rules", "test", "--id", "e-4"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "6 av 6 exempel gav väntat utfall, 0 fel."
    assert run(["rules", "test", "--id", "Z-99"]) == 2
    assert "okänt krav-id 'Z-99'" in capsys.readouterr().err


def test_lint_requires_all_eight_areas(tmp_path, capsys):
    rules = tmp_path / "regler"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "areas" / "H.yaml").unlink()
    assert run(["--regler", str(rules), "rules", "lint"]) == 3
    err = capsys.readouterr().err
    print(err)
    assert "SPUR-modellen har åtta områden A–H; H saknas." in err


def test_malformed_rule_files_are_all_reported_in_swedish(tmp_path, capsys):
    rules = tmp_path / "regler"
    shutil.copytree(ROOT / "rules", rules)

    def edit(name: str, old: str, new: str) -> None:
        path = rules / "areas" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("A.yaml", "kind: foreskrift", "kind: föreskrift")  # a union member (Kind | dict) with a wrong value
    edit("B.yaml", "    confidence:", "    konfidens:")  # a mistyped key
    edit(
        "C.yaml", "kind: ", 'kind: {"SOSFS 2015:8": foreskrift, "HSLF-FS 2021:8": rad}\n    # '
    )  # inside the dict member
    edit("D.yaml", "\nscale: ", "\nscale: 7\n# ")
    assert run(["--regler", str(rules), "rules", "lint"]) == 3
    err = capsys.readouterr().err
    print(err)
    lines = err.strip().splitlines()
    assert re.search(
        r"A\.yaml:\d+:\d+: requirements\[1\]\.kind: regelfel: ogiltigt värde 'föreskrift'\. "
        r"Tillåtna värden: 'foreskrift', 'allmant_rad' eller 'kvalitetsindikator'\.",
        err,
    )
    assert re.search(
        r"B\.yaml:\d+:\d+: requirements\[1\]\.konfidens: regelfel: okänd nyckel 'konfidens'\. "
        r"Menade du 'confidence'\?",
        err,
    )
    assert re.search(r"C\.yaml:\d+:\d+: requirements\[1\]\.kind\.HSLF-FS 2021:8: regelfel: ogiltigt värde 'rad'\.", err)
    assert re.search(r"D\.yaml:\d+:\d+: scale: regelfel: ska vara text, inte 7\.", err)
    assert len([line for line in lines if "C.yaml" in line]) == 1  # not one line per union member
    assert not re.search(r"Input should|literal\[|dict\[|Field required", err)
