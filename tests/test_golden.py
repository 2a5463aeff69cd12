"""Golden outputs of the bundled example units (text, JSON, Markdown).

The golden files were generated once and then read line by line as an inspector would; regenerate with
SPUR_UPDATE_GOLDEN=1 and review the diff before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import run
from tests.conftest import EXAMPLES, assert_golden

GOLDEN = Path(__file__).parent / "golden"
FORMATS = {"text": "txt", "json": "json", "markdown": "md"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_golden(example, fmt, capsys):
    assert run(["grade", str(example), "--format", fmt]) == 0
    out = capsys.readouterr().out
    golden = GOLDEN / f"{example.stem}.{FORMATS[fmt]}"
    assert_golden(golden, out)


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
