"""Requirements whose kind or owner depends on the ST-läkare's regulation (`kind` and `responsible` by regulation
in rules/areas/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.loader import validate
from evidence.yamlsafe import parse

LINDEN = Path("evidence/examples/vardcentralen_linden.yaml")


def _linden(catalog, *replacements):
    text = LINDEN.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return validate(parse(text, "linden.yaml"), catalog.known)


G05_NEJ = ("G-05: {svar: ja, underlag: Avsatt tid för skriftligt arbete i schemat}", "G-05: {svar: nej}")
ONLY_2021 = (
    "  - namn: Amira Hassan\n    regelverk: SOSFS 2015:8",
    "  - namn: Amira Hassan\n    regelverk: HSLF-FS 2021:8",
)


@pytest.mark.parametrize(
    ("replacements", "kind", "grade"),
    [
        ((G05_NEJ,), "foreskrift", "D"),  # the unit has an ST-läkare under SOSFS 2015:8: a written work is required
        ((G05_NEJ, ONLY_2021), "allmant_rad", "C"),  # only HSLF-FS 2021:8: it is an allmänt råd
    ],
)
def test_g05_kind_follows_the_units_regulations(catalog, evaluator, replacements, kind, grade):
    result = evaluator.evaluate(_linden(catalog, *replacements))
    g05 = result.requirement("G-05")
    print(f"G-05: {g05.kind}, område G: {result.area('G').grade}")
    assert (g05.outcome, g05.kind, result.area("G").grade) == ("unmet", kind, grade)


def test_g05_without_st_lakare_uses_the_default_regulation(catalog, evaluator):
    text = LINDEN.read_text(encoding="utf-8")
    start, end = text.index("st_lakare:\n"), text.index("bt_lakare:")
    evidence = validate(parse(text[:start] + "st_lakare: []\n" + text[end:], "tom.yaml"), catalog.known)
    assert catalog.grading.default_regulation == "HSLF-FS 2021:8"
    assert evaluator.evaluate(evidence).requirement("G-05").kind == "allmant_rad"
