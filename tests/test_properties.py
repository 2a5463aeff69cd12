"""Properties of grading a unit that must hold for any valid evidence (generator: tests/strategies.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import CATALOG, evidence_dicts, shuffled, to_evidens

from engine.evaluate import Evaluator
from engine.examples import merge
from engine.result import UnitResult
from evidence.checks import JA, NEJ, PERSONNUMMER
from evidence.loader import validate
from evidence.yamlsafe import parse

GRADES = "ABCD"  # A is best
OUTCOMES = {"met", "unmet", "unknown", "not_applicable"}
LINDEN = Path(__file__).parent.parent / "evidence" / "examples" / "vardcentralen_linden.yaml"
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator(CATALOG)


def summary(result: UnitResult) -> dict:
    """What a shuffle must not change: every outcome, kind and override, every grade."""
    return {
        "areas": [(a.area, a.grade, a.provisional, a.best_case) for a in result.areas],
        "requirements": [
            (r.id, r.outcome, r.kind, r.overridden, r.engine_outcome) for a in result.areas for r in a.requirements
        ],
    }


def outcomes(result: UnitResult) -> dict[str, str]:
    return {r.id: r.outcome for a in result.areas for r in a.requirements}


def with_override(data: dict, req_id: str, utfall: str) -> dict:
    return merge(data, {"inspektorsbedomningar": {req_id: {"utfall": utfall, "motivering": "x"}}})


def test_shuffling_lists_changes_nothing(evaluator: Evaluator) -> None:
    runs = []

    @SETTINGS
    @given(evidence_dicts(), st.randoms(use_true_random=False))
    def check(data, rng) -> None:
        original = evaluator.evaluate(to_evidens(data))
        mixed = evaluator.evaluate(to_evidens(shuffled(data, rng)))
        assert summary(mixed) == summary(original)
        runs.append(1)

    check()
    print(f"shuffle: {len(runs)} examples")


def test_every_requirement_once_in_report_order(evaluator: Evaluator) -> None:
    expected = [r.id for r in CATALOG.requirements]
    assert len(expected) == 74 and len(set(expected)) == 74
    runs = []

    @SETTINGS
    @given(evidence_dicts())
    def check(data) -> None:
        result = evaluator.evaluate(to_evidens(data))
        assert [a.area for a in result.areas] == list("ABCDEFGH")
        ids = [r.id for a in result.areas for r in a.requirements]
        assert ids == expected
        for a in result.areas:
            assert all(r.id.startswith(a.area + "-") for r in a.requirements)
            assert all(r.outcome in OUTCOMES for r in a.requirements)
            assert a.grade in GRADES and a.best_case in GRADES
            assert a.provisional == any(r.outcome == "unknown" for r in a.requirements)
        runs.append(1)

    check()
    print(f"report order: {len(runs)} examples")


def unmet_to_met(evaluator: Evaluator, data: dict, before: UnitResult, req_id: str) -> bool:
    """Override one unmet requirement as met; check that no grade gets worse. True if its area's grade changed."""
    after = evaluator.evaluate(to_evidens(with_override(data, req_id, "uppfyllt")))
    r = after.requirement(req_id)
    assert (r.outcome, r.overridden, r.engine_outcome) == ("met", True, before.requirement(req_id).engine_outcome)
    for old, new in zip(before.areas, after.areas, strict=True):
        assert GRADES.index(new.grade) <= GRADES.index(old.grade), (req_id, old.area, old.grade, new.grade)
        assert GRADES.index(new.best_case) <= GRADES.index(old.best_case)
        if old.area != req_id[0]:
            assert (new.grade, new.best_case) == (old.grade, old.best_case)
    return before.area(req_id[0]).grade != after.area(req_id[0]).grade


def unknown_to_met(evaluator: Evaluator, data: dict, before: UnitResult, req_id: str) -> bool:
    """Settle one unknown requirement as met and as unmet; check both against the provisional grades.
    True if settling it as met changed its area's grade."""
    area = req_id[0]
    old = before.area(area)
    as_met = evaluator.evaluate(to_evidens(with_override(data, req_id, "uppfyllt"))).area(area)
    as_unmet = evaluator.evaluate(to_evidens(with_override(data, req_id, "ej uppfyllt"))).area(area)
    # replacing an unknown with met never makes the grade worse (unknown never grades better than met)
    assert GRADES.index(as_met.grade) <= GRADES.index(old.grade), (req_id, old.grade, as_met.grade)
    # the best case already counts the unknown as met; the conservative grade already counts it as unmet
    assert as_met.best_case == old.best_case, (req_id, old.best_case, as_met.best_case)
    assert as_unmet.grade == old.grade, (req_id, old.grade, as_unmet.grade)
    assert GRADES.index(old.best_case) <= GRADES.index(old.grade)
    return as_met.grade != old.grade


def on_generated_units(evaluator: Evaluator, outcome: str, prop: Callable[..., bool]) -> None:
    """Check `prop` on generated units, each time for one requirement drawn from those with `outcome`."""
    changed = []

    @SETTINGS
    @given(evidence_dicts(), st.data())
    def check(data, draw) -> None:
        before = evaluator.evaluate(to_evidens(data))
        ids = [req_id for req_id, found in outcomes(before).items() if found == outcome]
        assume(ids)
        changed.append(prop(evaluator, data, before, draw.draw(st.sampled_from(ids), label="requirement")))

    check()
    print(f"{outcome}->met: {len(changed)} examples, {sum(changed)} changed a grade")
    assert changed, f"no generated unit had an {outcome} requirement"


def test_override_unmet_to_met_never_worsens_a_grade(evaluator: Evaluator) -> None:
    on_generated_units(evaluator, "unmet", unmet_to_met)


def test_unknown_never_grades_better_than_met(evaluator: Evaluator) -> None:
    on_generated_units(evaluator, "unknown", unknown_to_met)


def test_both_override_properties_hold_where_a_grade_changes(evaluator: Evaluator) -> None:
    """The generated units change a grade in most runs, not all (0 of 40 seen): this case always does.
    Linden's D-07 (IUP not revised) holds area D at D; without the studierektor's specialistkompetens, B-04 is unknown."""
    linden = yaml.safe_load(LINDEN.read_text(encoding="utf-8"))
    before = evaluator.evaluate(to_evidens(linden))
    assert before.requirement("D-07").outcome == "unmet"
    assert unmet_to_met(evaluator, linden, before, "D-07")
    del linden["studierektor"]["specialistkompetens"]
    before = evaluator.evaluate(to_evidens(linden))
    assert before.requirement("B-04").outcome == "unknown"
    assert unknown_to_met(evaluator, linden, before, "B-04")


NAMES = st.text(st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=12).filter(
    # a name, not a yes/no word (which means "appointed?" where a supervisor is named) nor a personnummer
    lambda s: s == s.strip() and s.strip() != "" and s.lower() not in JA | NEJ and not PERSONNUMMER.search(s)
)


@pytest.mark.parametrize("allow_unicode", [False, True])
def test_yaml_round_trip(allow_unicode: bool) -> None:
    runs = []

    @SETTINGS
    @given(evidence_dicts(names=NAMES))
    def check(data) -> None:
        ev = to_evidens(data)
        text = yaml.safe_dump(ev.model_dump(mode="json", exclude_none=True), allow_unicode=allow_unicode)
        again = validate(parse(text, "rundtur.yaml"), CATALOG.known)
        assert again == ev, text
        runs.append(1)

    check()
    print(f"YAML round trip (allow_unicode={allow_unicode}): {len(runs)} examples")


def test_no_state_leaks_between_units(evaluator: Evaluator) -> None:
    runs = []

    @settings(SETTINGS, max_examples=20)
    @given(evidence_dicts(), evidence_dicts())
    def check(x_data, y_data) -> None:
        x, y = to_evidens(x_data), to_evidens(y_data)
        x_first, y_second = evaluator.evaluate(x), evaluator.evaluate(y)
        other = Evaluator(CATALOG)
        y_first, x_second = other.evaluate(y), other.evaluate(x)
        x_fresh, y_fresh = Evaluator(CATALOG).evaluate(x), Evaluator(CATALOG).evaluate(y)
        assert x_first == x_second == x_fresh
        assert y_first == y_second == y_fresh
        assert evaluator.evaluate(x) == x_fresh  # and again, after everything else
        runs.append(1)

    check()
    print(f"state leaks: {len(runs)} pairs")


def test_default_lists_and_dicts_are_never_shared_between_units():
    """The evidence models give `[]`/`{}` as defaults (not default_factory, see README › Benchmarks): the compiled
    validator must copy them for every unit, or one unit's data could leak into the next in a batch."""
    from evidence.model import Evidens
    from evidence.shape import validator

    data = {
        "enhet": {"namn": "E", "vardgivare": "V", "specialitet": "allmänmedicin", "region": "R"},
        "bedomning": {"datum": "2025-01-01", "typ": "inspektion"},
        "sammanfattning": {},
    }
    first, second = validator().validate_python(data), validator().validate_python(data)
    shared = [name for name, info in Evidens.model_fields.items() if isinstance(info.default, list | dict)]
    print(f"defaults checked: sammanfattning.styrkor; Evidens fields with [] or {{}} defaults: {shared}")
    assert {"intyganden", "inspektorsbedomningar", "observationer"} <= set(shared)
    for name in shared:
        assert getattr(first, name) == getattr(second, name) and getattr(first, name) is not getattr(second, name)
    assert first.sammanfattning.styrkor == [] and first.sammanfattning.styrkor is not second.sammanfattning.styrkor
