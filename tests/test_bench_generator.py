"""benchmarks/generate.py: every generated file validates, the output is seeded and varied (both regulations,
1–12 ST-läkare, every outcome, every grade, provisional grades), and shaped like the example units."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from benchmarks import generate as gen
from evidence.loader import load_evidence

N = 40


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("genererade")
    return gen.generate(out, N, seed=3)


def test_every_generated_file_validates_and_the_mix_is_varied(generated, catalog, evaluator):
    outcomes: Counter[str] = Counter()
    grades: Counter[str] = Counter()
    trainees, regulations, provisional, overridden = [], Counter(), 0, 0
    for path in generated:
        evidence = load_evidence(path, catalog.known)  # raises InputError if a file is invalid
        result = evaluator.evaluate(evidence)
        trainees.append(len(evidence.st_lakare or []))
        regulations.update(p.regelverk for p in evidence.st_lakare or [])
        outcomes.update(r.outcome for a in result.areas for r in a.requirements)
        grades.update(a.grade for a in result.areas)
        provisional += any(a.provisional for a in result.areas)
        overridden += bool(evidence.inspektorsbedomningar)
    print(f"{N} enheter: utfall {dict(outcomes)}, betyg {dict(grades)}, ST-läkare {min(trainees)}–{max(trainees)}")
    assert set(outcomes) == {"met", "unmet", "unknown", "not_applicable"}
    assert set(grades) == {"A", "B", "C", "D"}
    assert set(regulations) == {"SOSFS 2015:8", "HSLF-FS 2021:8"}
    assert min(trainees) >= 1 and max(trainees) <= 12 and len(set(trainees)) >= 6
    assert 0 < provisional < N and overridden > 0


def test_layout_and_size(generated):
    assert [p.relative_to(generated[0].parent.parent).as_posix() for p in generated[:2]] == [
        "region-000/enhet-000000.yaml",
        "region-000/enhet-000001.yaml",
    ]
    sizes = [p.stat().st_size for p in generated]
    mean = sum(sizes) / len(sizes)
    assert 8_000 <= mean <= 14_000, mean  # like evidence/examples/vardcentralen_linden.yaml (9.6 KB)
    names = [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["enhet"]["namn"] for p in generated]
    assert len(set(names)) == len(names)


def test_seeded(tmp_path):
    a = [p.read_bytes() for p in gen.generate(tmp_path / "a", 5, seed=11)]
    b = [p.read_bytes() for p in gen.generate(tmp_path / "b", 5, seed=11)]
    c = [p.read_bytes() for p in gen.generate(tmp_path / "c", 5, seed=12)]
    assert a == b and a != c


@pytest.mark.parametrize(
    "value",
    [
        "ja",
        "nej",
        "Ja",
        "yes",
        "no",
        "on",
        "null",
        "~",
        "SOSFS 2015:8",
        "a, b",
        "x: y",
        "#kommentar",
        "[lista]",
        "'citat'",
        '"dubbel"',
        "Östra Ödmården",
        "2024-02-29",
        "1.5",
        "010",
        "-",
        "",
        " inledande",
        12,
        3.5,
        True,
        False,
        None,
    ],
)
def test_scalars_round_trip(value):
    """Through the project's own YAML reader: strings stay strings (dates as text), numbers numbers."""
    from evidence.yamlsafe import parse

    text = f"v: {gen.scalar(value)}\nw: {{k: {gen.scalar(value)}}}\nl: [{gen.scalar(value)}]\n"
    data = parse(text, "x.yaml").data
    expected = {True: "ja", False: "nej"}[value] if isinstance(value, bool) else value
    assert data["v"] == data["w"]["k"] == data["l"][0] == expected
    assert type(data["v"]) is type(expected)
