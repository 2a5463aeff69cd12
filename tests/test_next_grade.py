""""Vad krävs för nästa betyg?" (engine/next_grade.py): the promised grade is what the evidence grades to once the
named requirements are met, and no smaller set of requirements reaches it."""

from __future__ import annotations

import json
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import CATALOG, evidence_dicts, to_evidens

from cli import run
from engine.evaluate import Evaluator
from engine.examples import merge
from engine.grading import GRADES, grade, letter
from engine.next_grade import apply, candidates, lift

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator(CATALOG)


def _met(data: dict, ids: list[str]) -> dict:
    """The evidence with each of `ids` turned met by an inspector's assessment (any earlier one replaced)."""
    data = merge(data, {"inspektorsbedomningar": {}})
    for rid in ids:
        data["inspektorsbedomningar"][rid] = {"utfall": "uppfyllt", "motivering": "Prövning"}
    return data


def _worse(a: str, b: str) -> bool:
    return GRADES.index(a) > GRADES.index(b)


def test_the_promised_grade_is_reached_and_no_smaller_set_reaches_it(evaluator) -> None:
    checked = []

    @SETTINGS
    @given(evidence_dicts())
    def check(data) -> None:
        result = evaluator.evaluate(to_evidens(data))
        for which in ("next_grade", "grade_a"):
            promised = {a.area: getattr(a, which) for a in result.areas if getattr(a, which) is not None}
            if not promised:
                continue
            # Applied all at once: an override in one area does not touch another area's grade.
            after = evaluator.evaluate(to_evidens(_met(data, [r for s in promised.values() for r in s.requirements])))
            for area, step in promised.items():
                assert after.area(area).grade == step.grade, (area, which, step)
            # Without any one of its requirements, no area reaches its promised grade (grading is monotone, so no
            # smaller part of the set does either).
            longest = max(len(s.requirements) for s in promised.values())
            for j in range(longest):
                dropped = [r for s in promised.values() for n, r in enumerate(s.requirements) if n != j]
                fewer = evaluator.evaluate(to_evidens(_met(data, dropped)))
                for area, step in promised.items():
                    if j < len(step.requirements):
                        assert _worse(fewer.area(area).grade, step.grade), (area, which, j, step)
            checked.append(which)
        for a in result.areas:
            reqs = [(r.id, r.kind, r.outcome) for r in a.requirements]
            pool = [rid for ids in candidates(reqs).values() for rid in ids]
            if a.next_grade is None:
                everything = grade(list(apply(reqs, set(pool))), CATALOG)[0]
                assert a.grade == "A" or not _worse(a.grade, everything), (a.area, everything)
                continue
            # No set of fewer requirements, chosen anywhere among those not met, lifts the grade at all.
            if len(pool) <= 12:
                for size in range(len(a.next_grade.requirements)):
                    for chosen in combinations(pool, size):
                        got = grade(list(apply(reqs, set(chosen))), CATALOG)[0]
                        assert not _worse(a.grade, got), (a.area, chosen, got)

    check()
    print(f"{checked.count('next_grade')} with a next grade, {checked.count('grade_a')} with a way to A")
    assert checked.count("next_grade") >= 10


def test_missing_evidence_comes_first_and_the_search_reads_rules_data() -> None:
    reqs = [("X-01", "foreskrift", "unmet"), ("X-02", "foreskrift", "unknown"), ("X-03", "kvalitetsindikator", "met")]
    steps = lift(reqs, lambda c: letter(c, CATALOG))
    assert steps.next is not None and steps.next.requirements == ("X-02", "X-01")
    assert steps.next.grade == "A" and steps.to_a == steps.next


def test_an_area_at_a_has_nothing_to_reach() -> None:
    steps = lift([("X-01", "foreskrift", "met")], lambda c: "A")
    assert steps.next is None and steps.to_a is None


def test_an_indicator_short_of_a(capsys) -> None:
    """Eken's area G is B with G-08 and G-09 unmet: A allows one unmet indicator, so one of them is enough."""
    assert run(["grade", "evidence/examples/vardcentralen_eken.yaml", "--format", "json"]) == 0
    g = json.loads(capsys.readouterr().out)["areas"][6]
    assert g["grade"] == "B"
    assert g["next_grade"] == {"grade": "A", "requirements": ["G-08"]} == g["grade_a"]


def test_grade_shows_the_short_section_and_full_the_sentences(capsys) -> None:
    assert run(["grade", "evidence/examples/vardcentralen_aspen.yaml"]) == 0
    out = capsys.readouterr().out
    assert "\nVad krävs för nästa betyg? (krav som ska bli uppfyllda; underlag som saknas står först)\n" in out
    assert "\nB  D → C: B-04 · A: B-04, B-05, B-06, B-08\n" in out
    assert "\nC  D → B: C-02 · A: C-04, C-02\n" in out
    assert "\nD  D → C: 6 krav · A: 10 krav\n" in out
    assert run(["grade", "evidence/examples/vardcentralen_aspen.yaml", "--full"]) == 0
    out = capsys.readouterr().out
    assert "   Nästa betyg: B när C-02 är uppfyllt · A när C-04 och C-02 är uppfyllda (underlag saknas för C-04).\n" in out
    assert "   Nästa betyg: A när A-04 är uppfyllt (underlag saknas för A-04).\n" in out


def test_the_draft_puts_the_rows_that_lift_an_area_first(evaluator) -> None:
    """G-05 is an allmänt råd under HSLF-FS 2021:8 and stands before the föreskrift G-06: with both unmet, the draft
    starts area G with G-06, whose row lifts the area from D."""
    from msgspec.structs import replace

    from engine.next_grade import NextGrade
    from engine.plan import deficiencies, lift_first
    from evidence.loader import load_evidence

    result = evaluator.evaluate(load_evidence("evidence/examples/vardcentralen_linden.yaml", CATALOG.known))
    g = result.area("G")
    reqs = tuple(
        replace(r, outcome="unmet", kind="allmant_rad" if r.id == "G-05" else r.kind) if r.id in ("G-05", "G-06") else r
        for r in g.requirements
    )
    g = replace(g, grade="D", requirements=reqs, next_grade=NextGrade("C", ("G-06",)))
    result = replace(result, areas=tuple(g if a.area == "G" else a for a in result.areas))
    ids = [r.id for _, r in deficiencies(result, CATALOG)]
    assert ids.index("G-05") < ids.index("G-06")
    drafted = [r.id for _, r in lift_first(deficiencies(result, CATALOG), result)]
    assert drafted == ["D-07", "E-08", "G-06", "G-05", "H-06"]
