"""Issue 17: the finer evidence model for the judgement-heavy requirements, read as inspectors read them.

Each test changes the bundled Linden unit the way a real unit differs and checks the outcome and its reason."""

from __future__ import annotations

from pathlib import Path

from evidence.loader import validate
from evidence.yamlsafe import parse

LINDEN = Path("evidence/examples/vardcentralen_linden.yaml")


def _linden(catalog, *replacements: tuple[str, str]):
    text = LINDEN.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return validate(parse(text, "linden.yaml"), catalog.known)


def _requirement(evaluator, evidence, req_id):
    return evaluator.evaluate(evidence).requirement(req_id)


# --- item 1: handledarutbildning for the current målbeskrivning -------------------------------------------------


def test_linden_training_for_2015_8_covers_its_only_2015_8_st_lakare(catalog, evaluator):
    e10 = _requirement(evaluator, _linden(catalog), "E-10")
    assert e10.outcome == "met"
    assert "täcker de handledda ST-läkarnas regelverk" in e10.reasons[0]


def test_training_for_2015_8_fails_e10_for_a_2021_8_st_lakare_and_says_whose(catalog, evaluator):
    evidence = _linden(
        catalog,
        (
            "    regelverk: HSLF-FS 2021:8\n    huvudhandledare: Johan Berg\n    introduktion: ja\n    iup:\n      finns: ja\n"
            "      upprattad: 2024-03-01",
            "    regelverk: HSLF-FS 2021:8\n    huvudhandledare: Maria Holm\n    introduktion: ja\n"
            "    iup:\n      finns: ja\n      upprattad: 2024-03-01",
        ),
    )
    result = evaluator.evaluate(evidence)
    e10 = result.requirement("E-10")
    assert e10.outcome == "unmet" and e10.kind == "allmant_rad"
    assert e10.persons == ("handledare Maria Holm",)
    assert e10.reasons[1] == (
        "Handledare Maria Holm: handledarutbildning – regelverk som utbildningen avsåg är SOSFS 2015:8, men "
        "handledaren är huvudhandledare för ST-läkare enligt HSLF-FS 2021:8 (Cecilia Lund) "
        "(handledare[1].handledarutbildning.regelverk)"
    )
    # Decision: B-02 (a föreskrift) asks only that a training was done, as in the published case.
    assert result.requirement("B-02").outcome == "met"


def test_a_handledare_nobody_names_must_cover_the_newest_regulation_at_the_unit(catalog, evaluator):
    evidence = _linden(
        catalog,
        (
            "handledarutbildning: {genomford: ja, datum: 2024-05-06, regelverk: HSLF-FS 2021:8}",
            "handledarutbildning: {genomford: ja, datum: 2014-05-06, regelverk: SOSFS 2015:8}",
        ),
    )
    e10 = _requirement(evaluator, evidence, "E-10")
    assert e10.outcome == "unmet"
    assert (
        "Handledare Sara Nyström: handledarutbildning – regelverk som utbildningen avsåg är SOSFS 2015:8, men "
        "enheten har ST-läkare enligt HSLF-FS 2021:8" in e10.reasons[1]
    )


def test_training_without_its_regulation_is_underlag_saknas(catalog, evaluator):
    evidence = _linden(
        catalog,
        (
            "handledarutbildning: {genomford: ja, datum: 2022-02-08, regelverk: HSLF-FS 2021:8}",
            "handledarutbildning: {genomford: ja, datum: 2022-02-08}",
        ),
    )
    e10 = _requirement(evaluator, evidence, "E-10")
    assert e10.outcome == "unknown"
    assert e10.missing == ("handledare[1].handledarutbildning.regelverk",)


# --- item 2: the IUP is followed up regularly, not only at the yearly check ---------------------------------------


def test_an_iup_followed_up_only_at_the_yearly_check_fails_d07(catalog, evaluator):
    evidence = _linden(
        catalog,
        (
            "        - {datum: 2024-05-14, sammanhang: årskontroll med studierektor}\n"
            "        - {datum: 2024-11-04, sammanhang: handledning}\n",
            "        - {datum: 2024-11-04, sammanhang: årskontroll med studierektor}\n",
        ),
    )
    d07 = _requirement(evaluator, evidence, "D-07")
    assert d07.outcome == "unmet" and d07.persons == ("ST-läkare Amira Hassan", "ST-läkare Bengt Ek")
    assert (
        "ST-läkare Bengt Ek: uppföljningar av IUP sedan 2024-03-14: 1 (2024-11-04), ska vara minst 2 inom 12 månader "
        "(st_lakare[2].iup.uppfoljningar)"
    ) in d07.reasons


def test_an_iup_without_recorded_follow_ups_is_underlag_saknas(catalog, evaluator):
    evidence = _linden(
        catalog,
        (
            "      uppfoljningar:\n        - {datum: 2024-09-10, sammanhang: handledning}\n"
            "        - {datum: 2025-01-15, sammanhang: årskontroll med studierektor}\n",
            "",
        ),
        ("senast_reviderad: 2023-09-15", "senast_reviderad: 2024-09-15"),
    )
    d07 = _requirement(evaluator, evidence, "D-07")
    assert d07.outcome == "unknown" and d07.missing == ("st_lakare[2].iup.uppfoljningar",)
