"""Golden outputs of the bundled example units (text, JSON, Markdown).

The golden files were generated once and then read line by line as an inspector would; regenerate with
SPUR_UPDATE_GOLDEN=1 and review the diff before committing it. They hold <digest> where the output shows the
catalogue's digest (tests/conftest.py, assert_golden), so a rule edit changes only the goldens whose content changed;
test_the_digest_shown_is_the_rule_files_digest checks that digest once.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cli import run
from tests.conftest import DIGEST_MARK, EXAMPLES, ROOT, assert_golden

GOLDEN = Path(__file__).parent / "golden"
FORMATS = {"text": "txt", "json": "json", "markdown": "md"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_golden(example, fmt, capsys):
    assert run(["grade", str(example), "--format", fmt, *(["--full"] if fmt == "text" else [])]) == 0
    out = capsys.readouterr().out
    golden = GOLDEN / f"{example.stem}.{FORMATS[fmt]}"
    assert_golden(golden, out)


def test_the_digest_shown_is_the_rule_files_digest(capsys):
    """The digest the goldens mask: SHA-256 of every rule file (name, NUL, bytes) in the catalogue's order, its first
    12 hex digits after the catalogue's name, in every format that shows the rules version."""
    import yaml

    rules = ROOT / "rules"
    files = ["grading.yaml", "vocabulary.yaml", "example_base.yaml", "handlingsplan.yaml"]
    paths = [rules / name for name in files] + sorted((rules / "areas").glob("*.yaml"))
    digest = hashlib.sha256(b"".join(p.name.encode() + b"\0" + p.read_bytes() for p in paths)).hexdigest()[:12]
    version = f"{yaml.safe_load((rules / 'grading.yaml').read_text(encoding='utf-8'))['name']} ({digest})"
    example = EXAMPLES[0]
    assert run(["grade", str(example), "--full"]) == 0
    assert f"\nRegelversion: {version}\n" in capsys.readouterr().out
    assert run(["grade", str(example), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["rules_version"] == version
    assert run(["grade", str(example), "--format", "markdown"]) == 0
    assert f"| Regelversion | {version} |" in capsys.readouterr().out
    for golden in sorted(GOLDEN.iterdir()):
        text = golden.read_text(encoding="utf-8")
        assert digest not in text and ("Regelversion" in text or "rules_version" in text) <= (DIGEST_MARK in text)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_json_contract(example, capsys):
    assert run(["grade", str(example), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"unit", "assessed_on", "areas"} <= set(data)
    assert [a["area"] for a in data["areas"]] == list("ABCDEFGH")
    for area in data["areas"]:
        assert area["grade"] in "ABCD" and area["best_case"] in "ABCD" and isinstance(area["provisional"], bool)
        assert area["best_case"] <= area["grade"]
        for req in area["requirements"]:
            assert req["kind"] in ("foreskrift", "allmant_rad", "kvalitetsindikator")
            assert req["outcome"] in ("met", "unmet", "unknown", "not_applicable")
            assert req["reasons"] and isinstance(req["overridden"], bool)


def test_demo_unit_grades(capsys):
    """The demo unit was built to show D in D and H, C in E and A elsewhere, with ST-läkare under both regulations."""
    assert run(["grade", "evidence/examples/vardcentralen_linden.yaml", "--format", "json"]) == 0
    grades = {a["area"]: a["grade"] for a in json.loads(capsys.readouterr().out)["areas"]}
    assert grades == {"A": "A", "B": "A", "C": "A", "D": "D", "E": "C", "F": "A", "G": "A", "H": "D"}


def test_output_is_byte_identical_across_runs(capsys, tmp_path):
    outs = []
    for n in range(2):
        target = tmp_path / f"r{n}.json"
        assert run(["grade", "evidence/examples/vardcentralen_aspen.yaml", "--format", "json", "-o", str(target)]) == 0
        outs.append(target.read_bytes())
    assert outs[0] == outs[1]


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_terminal_summary_has_each_areas_grade_and_the_unmet_count(example, capsys, catalog, evaluator):
    """`spur grade` without --full: a screenful (and the short "Vad krävs för nästa betyg?" section, a line per area
    below A); the full reasons are the golden text above, one option away."""
    from evidence.loader import load_evidence

    result = evaluator.evaluate(load_evidence(example, catalog.known))
    assert run(["grade", str(example)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    below = [a for a in result.areas if a.grade != "A"]
    assert len(lines) <= 20 + (2 + len(below) if below else 0)
    assert out != (GOLDEN / f"{example.stem}.txt").read_text(encoding="utf-8")
    section = lines.index("Vad krävs för nästa betyg? (krav som ska bli uppfyllda; underlag som saknas står först)")
    assert [x[0] for x in lines[section + 1 : section + 1 + len(below)]] == [a.area for a in below]
    for area in result.areas:
        line = next(x for x in lines if x.startswith(f"{area.area}  "))
        assert line.split()[1] == area.grade + ("*" if area.provisional else "") and area.title in line
        for r in area.requirements:
            assert (r.id in line) == (r.outcome == "unmet"), (r.id, line)
    unmet = sum(r.outcome == "unmet" for a in result.areas for r in a.requirements)
    if unmet:
        assert f"\n{unmet} krav är inte {'uppfyllt' if unmet == 1 else 'uppfyllda'} (" in out
    assert ("* Preliminärt betyg" in out) == any(a.provisional for a in result.areas)
    assert lines[-1] == f"Skälen för varje krav: spur grade {example} --full"
    assert run(["grade", str(example), "--full"]) == 0
    assert_golden(GOLDEN / f"{example.stem}.txt", capsys.readouterr().out)
    print(out)
