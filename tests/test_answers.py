"""Every yes/no and ja / nej / ej tillämpligt answer is read by one rule, wherever it stands (evidence fields,
intyganden.X.svar, inspektorsbedomningar.X.utfall, plans): the words in any case, or YAML's true / false; never 1 / 0,
never yes / no / on / off; anything else is refused with the words allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.errors import InputError
from evidence.loader import validate
from evidence.plan import validate_plan
from evidence.yamlsafe import parse

LINDEN_PLAN = Path(__file__).parent.parent / "evidence" / "examples" / "handlingsplaner" / "vardcentralen_linden.yaml"
HEAD = """\
enhet: {namn: Testenheten, vardgivare: Region Test, specialitet: allmänmedicin, region: Region Test}
bedomning: {datum: 2025-03-14, typ: självvärdering}
"""
YES = ["ja", "Ja", "JA", "true", "True", "TRUE", '"ja"', "' Ja '"]
NO = ["nej", "Nej", "NEJ", "false", "False", '"nej"']
REFUSED = ["1", "0", "yes", "no", "on", "off", "Yes", "j", "n", "kanske", '"1"', "2", "1.0", "[ja]"]


def _evidence(catalog, text: str):
    return validate(parse(HEAD + text, "enhet.yaml"), catalog.known)


def _refusal(catalog, text: str) -> str:
    with pytest.raises(InputError) as info:
        _evidence(catalog, text)
    lines = info.value.lines
    print(lines)
    assert len(lines) == 1
    return lines[0]


@pytest.mark.parametrize("spelling", YES + NO)
def test_yes_no_fields_read_the_words_in_any_case(catalog, spelling: str) -> None:
    ev = _evidence(catalog, f"st_lakare:\n  - {{namn: Anna Ek, regelverk: HSLF-FS 2021:8, introduktion: {spelling}}}\n")
    assert ev.st_lakare[0].introduktion is (spelling in YES)


@pytest.mark.parametrize("spelling", REFUSED)
def test_yes_no_fields_refuse_anything_else_with_the_words(catalog, spelling: str) -> None:
    line = _refusal(
        catalog, f"st_lakare:\n  - {{namn: Anna Ek, regelverk: HSLF-FS 2021:8, introduktion: {spelling}}}\n"
    )
    assert line.startswith("enhet.yaml:4:")
    assert "st_lakare[1].introduktion: " in line and "ska vara ja eller nej, inte " in line


@pytest.mark.parametrize(
    ("spelling", "read"),
    [
        *((s, "ja") for s in YES),
        *((s, "nej") for s in NO),
        ("ej tillämpligt", "ej tillämpligt"),
        ("Ej tillämpligt", "ej tillämpligt"),
        ("EJ TILLÄMPLIGT", "ej tillämpligt"),
        ("ej  Tillämpligt", "ej tillämpligt"),
        ("", None),
    ],
)
def test_attestation_answers_read_the_same_way(catalog, spelling: str, read: str | None) -> None:
    ev = _evidence(catalog, f"intyganden:\n  A-03: {{svar: {spelling}, underlag: Intervju}}\n")
    assert ev.intyganden["A-03"].svar == read


@pytest.mark.parametrize("spelling", [*REFUSED, "ej tillampligt", "n/a", "ej aktuellt"])
def test_attestation_answers_refuse_anything_else_with_the_words(catalog, spelling: str) -> None:
    line = _refusal(catalog, f"intyganden:\n  A-03: {{svar: {spelling}}}\n")
    assert line.startswith("enhet.yaml:4:") and "intyganden.A-03.svar: " in line
    assert line.endswith("Tillåtna värden: 'ja', 'nej' eller 'ej tillämpligt'."), line


@pytest.mark.parametrize("spelling", ["Ej uppfyllt", "EJ UPPFYLLT", "ej uppfyllt"])
def test_inspector_outcomes_read_in_any_case(catalog, spelling: str) -> None:
    ev = _evidence(catalog, f"inspektorsbedomningar:\n  A-01: {{utfall: {spelling}, motivering: Saknas.}}\n")
    assert ev.inspektorsbedomningar["A-01"].utfall == "ej uppfyllt"


@pytest.mark.parametrize(("spelling", "read"), [("nej", False), ("NEJ", False), ("false", False), ("N", "N")])
def test_a_supervisor_is_a_name_or_nej(catalog, spelling: str, read: object) -> None:
    """'N' is a pseudonym, not a no (it used to read as nej)."""
    ev = _evidence(catalog, f"bt_lakare:\n  - {{namn: Bo, handledare: {spelling}}}\n")
    assert ev.bt_lakare[0].handledare == read


def _plan(catalog, godkand: str):
    text = LINDEN_PLAN.read_text(encoding="utf-8").replace("godkand: ja", f"godkand: {godkand}", 1)
    return validate_plan(parse(text, "plan.yaml"), catalog.known)


@pytest.mark.parametrize("spelling", ["Ja", "JA", "true", "ja"])
def test_plan_answers_read_the_same_way(catalog, spelling: str) -> None:
    assert _plan(catalog, spelling).rader[0].godkand is True


@pytest.mark.parametrize(("spelling", "shown"), [("1", "1"), ("yes", "'yes'"), ("ok", "'ok'")])
def test_plan_answers_refuse_anything_else(catalog, spelling: str, shown: str) -> None:
    with pytest.raises(InputError) as info:
        _plan(catalog, spelling)
    print(info.value.lines)
    assert info.value.lines == [f"plan.yaml:25:5: rader[1].godkand: ska vara ja eller nej, inte {shown}."]


def test_the_json_schema_reads_answers_by_the_same_rule(catalog) -> None:
    """An editor checking a file against `spur schema` accepts and flags the same spellings as the loader."""
    import jsonschema

    from reports.schema import json_schema

    validator = jsonschema.Draft202012Validator(json_schema(catalog))

    def paths(errors) -> set[str]:  # every failing path, also inside the branches of an anyOf (a list or null …)
        return {str(p) for e in errors for p in (*e.absolute_path, *paths(e.context or []))}

    checked = 0
    for spelling in YES + NO + REFUSED:
        for text, path in (
            (
                f"st_lakare:\n  - {{namn: Anna Ek, regelverk: HSLF-FS 2021:8, introduktion: {spelling}}}\n",
                "introduktion",
            ),
            (f"intyganden:\n  A-03: {{svar: {spelling}}}\n", "svar"),
        ):
            data = parse(HEAD + text, "enhet.yaml").data
            assert (path in paths(validator.iter_errors(data))) is (spelling in REFUSED), (spelling, path)
            checked += 1
    print(f"{checked} svar kontrollerade mot schemat")


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("bedomning: {datum: 2025-03-14, typ: Självvärdering}\n", ("bedomning", "typ", "självvärdering")),
        ("st_lakare:\n  - {namn: Anna Ek, regelverk: sosfs 2015:8}\n", ("st_lakare", 0, "regelverk", "SOSFS 2015:8")),
        (
            "st_lakare:\n  - {namn: Anna Ek, regelverk: HSLF-FS 2021:8, vetenskapligt_arbete: {status: Ej Påbörjat}}\n",
            ("st_lakare", 0, "vetenskapligt_arbete", "status", "ej påbörjat"),
        ),
    ],
)
def test_every_closed_set_of_words_is_read_in_any_case(catalog, text: str, read: tuple) -> None:
    """Not only yes/no: 'Pågående', 'Självvärdering', 'sosfs 2015:8' are the words of their sets."""
    head = (
        HEAD.replace("bedomning: {datum: 2025-03-14, typ: självvärdering}\n", "")
        if text.startswith("bedomning")
        else HEAD
    )
    ev = validate(parse(head + text, "enhet.yaml"), catalog.known)
    *path, expected = read
    value = ev
    for part in path:
        value = value[part] if isinstance(part, int) else getattr(value, part)
    assert value == expected


def test_a_plan_reads_its_words_in_any_case(catalog) -> None:
    text = LINDEN_PLAN.read_text(encoding="utf-8").replace("status: pågående", "status: Pågående", 1)
    text = text.replace("niva: Åtgärd krävs", "niva: åtgärd krävs", 1)
    row = validate_plan(parse(text, "plan.yaml"), catalog.known).rader[0]
    assert (row.status, row.niva) == ("pågående", "Åtgärd krävs")
    with pytest.raises(InputError) as info:
        validate_plan(parse(text.replace("status: Pågående", "status: pågår", 1), "plan.yaml"), catalog.known)
    assert info.value.lines[0].endswith(
        "rader[1].status: ogiltigt värde 'pågår'. Tillåtna värden: 'planerad', 'pågående' eller 'genomförd'."
    )
