"""The durable_rules limits the design relies on (README › How it works, durable_rules), pinned as tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.compiler import MAX_TERMS_PER_FACT, FactSpec, _check_hashes, fnv1a32
from evidence.errors import InputError
from evidence.loader import load_evidence

LINDEN = Path("evidence/examples/vardcentralen_linden.yaml")


def _walk(node, inside_iall=False):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$or" and inside_iall:
                yield "$or inside $iall"
            yield from _walk(value, inside_iall or key == "$iall")
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, inside_iall)


def test_compiled_rules_avoid_forms_that_misbehave_in_durable(evaluator):
    rules = evaluator.compiled.rules
    text = json.dumps(rules)
    assert list(_walk(rules)) == []  # $or inside $iall never fires in 2.0.28
    assert "$not" not in text  # negated joins misfire in 2.0.28
    for name, rule in rules.items():
        pattern = rule["all"][0]["m"]["$and"][0]
        assert set(pattern) == {"t"}, name  # every rule starts with a positive discriminator (no $nex-only rules)
    print(f"{len(rules)} motorregler kontrollerade")


def test_no_fact_kind_can_match_more_than_the_limit(evaluator):
    per_kind = {spec.kind: spec.terms for spec in evaluator.compiled.facts}
    print(per_kind)
    assert max(per_kind.values()) <= MAX_TERMS_PER_FACT < 64


def test_more_units_than_live_sessions_in_one_process(evaluator, catalog):
    evidence = load_evidence(LINDEN, catalog.known)
    first = evaluator.evaluate(evidence)
    for _ in range(1100):  # the engine refuses the 1,025th live session; each unit's session must be deleted
        result = evaluator.evaluate(evidence)
    assert result == first


def test_field_name_hash_collision_is_refused():
    assert fnv1a32("q_1162789") == fnv1a32("q_1379192")
    spec = FactSpec("enhet/A0", "enhet", fields={"q_1162789": ("x", ""), "q_1379192": ("y", "")})
    with pytest.raises(InputError, match="32-bitars hash"):
        _check_hashes([spec])


def test_fact_ids_do_not_collide():
    ids = [fnv1a32(f"f{n}") for n in range(20000)]
    assert len(set(ids)) == len(ids)
