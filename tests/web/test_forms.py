"""The self-assessment form is generated from the rules and the evidence model: every requirement of the catalogue
is a question with the inputs its rule reads, and a rule added to a copy of the catalogue appears as a question."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from tests.conftest import ROOT

LINDEN = ROOT / "evidence" / "examples" / "vardcentralen_linden.yaml"


def test_every_requirement_is_a_question_with_something_to_enter(catalog):
    from web.app import evidence_form as ef

    data = ef.load(LINDEN.read_text(encoding="utf-8"))
    for area in catalog.areas:
        questions = ef.area_questions(catalog, area.letter, data)
        assert [q.req.id for q in questions] == [r.id for r in area.requirements]  # report order
        for q in questions:
            assert q.inputs or q.people or q.lists or q.elsewhere, f"{q.req.id} has nothing to enter"
            for node in q.inputs:
                assert ef.parse_name(node.name) is not None, node.name


def test_a_rule_added_to_a_copy_of_the_catalogue_appears_as_a_question(tmp_path: Path):
    from engine.catalog import load_catalog
    from web.app import evidence_form as ef

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    area_a = rules / "areas" / "A.yaml"
    area_a.write_text(
        area_a.read_text(encoding="utf-8")
        + """
  - id: A-05
    kind: allmant_rad
    confidence: low
    text: "Riktlinjerna för ST är daterade och granskade av verksamhetschefen."
    references:
      - {source: "HSLF-FS 2021:8", verified: false}
    responsible: verksamhetschef
    underlag: "När är riktlinjerna för ST daterade, och har verksamhetschefen granskat dem?"
    remediation: "Datera riktlinjerna och låt verksamhetschefen granska dem."
    check:
      all_of:
        - {field: dokument.riktlinjer_st.datum, within_months: 36}
        - {attestation: true}
    examples: []
""",
        encoding="utf-8",
    )
    catalog = load_catalog(rules)
    assert "A-05" in catalog.by_id
    questions = ef.area_questions(catalog, "A", ef.load(LINDEN.read_text(encoding="utf-8")))
    new = next(q for q in questions if q.req.id == "A-05")
    names = [n.name for n in new.inputs]
    assert names == [
        "dokument.riktlinjer_st.datum",
        "intyganden.A-05.svar",
        "intyganden.A-05.underlag",
        "intyganden.A-05.kommentar",
    ]
    date_input = new.inputs[0]
    assert date_input.spec.kind == "date" and date_input.value == "2023-01-15"
    assert new.inputs[1].spec.kind == "svar"


def test_names_are_the_paths_the_cli_messages_show():
    from web.app.evidence_form import parse_name, shown

    for loc in [("st_lakare", 1, "iup", "senast_reviderad"), ("intyganden", "A-03", "svar"), ("enhet", "namn")]:
        assert parse_name(shown(loc)) == loc
    assert shown(("st_lakare", 0, "namn")) == "st_lakare[1].namn"
    for bad in ["", "[1]", "a..b", "a[0]", "a[x]", "a.[1]"]:
        assert parse_name(bad) is None, bad


def test_a_posted_form_changes_only_what_differs_and_keeps_comments():
    from web.app import evidence_form as ef

    text = LINDEN.read_text(encoding="utf-8")
    data = ef.load(text)
    post = {
        "st_lakare[1].iup.senast_reviderad": "2025-02-01",  # changed
        "st_lakare[2].namn": "Bengt Ek",  # unchanged
        "intyganden.D-02.kommentar": "",  # cleared
        "st_lakare[4].namn": "Ny Läkare",  # a new person
        "st_lakare[4].regelverk": "HSLF-FS 2021:8",
        "handledare[3].__ta_bort": "1",
    }
    changes, removals = ef.changes_from(post, data)
    assert sorted(str(c[0]) for c in changes) == sorted(
        str(loc)
        for loc in [
            ("st_lakare", 0, "iup", "senast_reviderad"),
            ("intyganden", "D-02", "kommentar"),
            ("st_lakare", 3, "namn"),
            ("st_lakare", 3, "regelverk"),
        ]
    )
    out = ef.apply(text, changes, removals)
    new = ef.load(out)
    assert new["st_lakare"][0]["iup"]["senast_reviderad"] == date(2025, 2, 1)
    assert "kommentar" not in new["intyganden"]["D-02"]
    assert new["st_lakare"][3]["namn"] == "Ny Läkare"
    assert [h["namn"] for h in new["handledare"]] == ["Maria Holm", "Johan Berg"]
    assert out.startswith("# Fiktiv enhet")  # the file's comments stay


def test_error_lines_land_at_their_fields():
    from web.app.evidence_form import field_errors

    lines = [
        "x.yaml:5:5: st_lakare[1].regelverk: obligatoriskt fält saknas. Lägg till 'regelverk:'.",
        "x.yaml: filen är tom.",
    ]
    assert field_errors(lines) == {
        "st_lakare[1].regelverk": ["måste fyllas i."],  # the form's words, not the YAML key to add
        "": ["x.yaml: filen är tom."],
    }


def test_a_changed_value_is_replaced_where_it_stands():
    """The quick path: new values for values already written change those bytes only, also inside a flow mapping
    (a comma, a colon or a hash in the new text is quoted), and read back as given."""
    from web.app import evidence_form as ef

    text = LINDEN.read_text(encoding="utf-8")
    changes = [
        (("intyganden", "D-02", "kommentar"), "Jour, se avtal: #3"),
        (("st_lakare", 1, "handledning", "minuter_per_vecka"), 45),
        (("st_lakare", 0, "iup", "senast_reviderad"), date(2025, 2, 1)),
    ]
    out = ef.apply(text, changes, [])
    changed = [(a, b) for a, b in zip(text.splitlines(), out.splitlines(), strict=True) if a != b]
    assert len(changed) == 3
    data = ef.load(out)
    assert data["intyganden"]["D-02"]["kommentar"] == "Jour, se avtal: #3"
    assert data["st_lakare"][1]["handledning"] == {"schemalagd": "nej", "minuter_per_vecka": 45}
    assert data["st_lakare"][0]["iup"]["senast_reviderad"] == date(2025, 2, 1)
