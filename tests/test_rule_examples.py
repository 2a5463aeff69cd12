"""Every example in rules/ is a test: a new rule is tested for free."""

from __future__ import annotations

import pytest

from engine.catalog import load_catalog
from engine.examples import run_examples

CASES = [(r.id, n) for r in load_catalog().requirements for n in range(len(r.examples))]


@pytest.mark.parametrize(("req_id", "number"), CASES, ids=[f"{i}-ex{n + 1}" for i, n in CASES])
def test_rule_example(evaluator, req_id, number):
    run = run_examples(evaluator, req_id)[number]
    print(f"{req_id} exempel {number + 1}: väntat {run.example.expect}, fick {run.outcome}: {run.reasons}")
    assert run.error is None, run.error
    assert run.outcome == run.example.expect, run.reasons


def test_every_requirement_has_met_and_unmet_examples(catalog):
    missing = [r.id for r in catalog.requirements if not {"met", "unmet"} <= {e.expect for e in r.examples}]
    assert missing == []
    print(f"{len(CASES)} exempel för {len(catalog.requirements)} krav")
