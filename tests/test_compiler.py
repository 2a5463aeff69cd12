"""engine/compiler.py: the three-valued forms of a condition (what makes it false, possibly unknown, true), the
engine expressions each literal becomes, and the rules and facts compiled from the catalogue."""

from __future__ import annotations

from engine.codes import APPLIES_WHEN, Encoding, Form, Pol
from engine.compiler import (
    Lit,
    _Builder,
    compile_catalog,
    engine_name,
    false_terms,
    fnv1a32,
    true_terms,
    unknown_terms,
)
from engine.conditions import AllOf, Not, parse_condition

A = parse_condition({"field": "a", "eq": 1})
B = parse_condition({"field": "b", "exists": True})


def pols(terms):
    return [[(lit.node.field, lit.pol) for lit in term] for term in terms]


def test_a_leaf_is_false_or_unknown_and_exists_is_never_false():
    assert pols(false_terms(A)) == [[("a", Pol.FALSE)]]
    assert pols(unknown_terms(A)) == [[("a", Pol.UNKNOWN)]]
    assert false_terms(B) == []  # missing is unknown, not false


def test_all_of_fails_on_any_part_and_any_of_on_every_part():
    both = parse_condition({"all_of": [{"field": "a", "eq": 1}, {"field": "c", "eq": 2}]})
    either = parse_condition({"any_of": [{"field": "a", "eq": 1}, {"field": "c", "eq": 2}]})
    assert pols(false_terms(both)) == [[("a", "F")], [("c", "F")]]
    assert pols(false_terms(either)) == [[("a", "F"), ("c", "F")]]
    # unknown for any_of: no part true and at least one unknown, never all false
    assert pols(unknown_terms(either)) == [[("a", "F"), ("c", "U")], [("a", "U"), ("c", "F")], [("a", "U"), ("c", "U")]]


def test_not_swaps_true_and_false_and_contradictions_drop_out():
    negated = parse_condition({"not": {"field": "a", "eq": 1}})
    assert pols(false_terms(negated)) == [[("a", Pol.TRUE)]]
    contradiction = AllOf((A, Not(A)))  # one node (consistency is per node, not per equal text)
    assert true_terms(contradiction) == []  # a literal true and false at once never fires


def test_a_reference_can_be_unknown_on_its_own_and_lists_can_be_empty():
    ref = parse_condition({"field": "a", "eq": {"ref": "enhet.namn"}})
    assert [lit.pol for term in unknown_terms(ref) for lit in term] == [Pol.UNKNOWN, Pol.UNKNOWN_REF]
    any_item = parse_condition({"items": "x", "any": {"field": "a", "eq": 1}})
    all_items = parse_condition({"items": "x", "all": {"field": "a", "eq": 1}})
    assert [t[0].pol for t in false_terms(any_item)] == [Pol.FALSE_EMPTY, Pol.FALSE]
    assert [t[0].pol for t in true_terms(all_items)] == [Pol.TRUE_EMPTY, Pol.TRUE]


def test_literals_become_engine_expressions(catalog):
    build = _Builder(catalog)
    months = parse_condition({"field": "iup.senast_reviderad", "within_months": 12})
    assert build.lit_expr(Lit(months, Pol.FALSE), "D-07") == {"$gt": {"iup__senast_reviderad" + Encoding.MONTHS: 12}}
    assert build.lit_expr(Lit(months, Pol.UNKNOWN), "D-07") == {"$nex": {"iup__senast_reviderad__man": 1}}
    attested = parse_condition({"attestation": True})
    assert build.lit_expr(Lit(attested, Pol.FALSE), "E-09") == {"intyg__E_09": "nej"}
    assert build.lit_expr(Lit(attested, Pol.NOT_APPLICABLE), "E-09") == {"intyg__E_09": "ej tillämpligt"}
    items = parse_condition({"items": "x", "any": {"field": "a", "eq": 1}})
    assert build.lit_expr(Lit(items, Pol.FALSE_EMPTY), "X-01") == {"x" + Encoding.COUNT: 0}


def test_the_catalogue_compiles_to_rules_named_for_requirement_subcheck_and_form(catalog):
    compiled = compile_catalog(catalog)
    assert compiled.rules and set(compiled.rules) == set(compiled.terms)
    for name, info in compiled.terms.items():
        req, sub, form, n = name.split("|")
        assert (req, int(sub), form) == (info.requirement, info.sub, info.role) and n.isdigit()
        assert form in vars(Form).values()
        assert (info.sub == APPLIES_WHEN) == (form in (Form.INAPPLICABLE, Form.APPLICABILITY_UNKNOWN))
    assert {info.requirement for info in compiled.terms.values()} <= {r.id for r in catalog.requirements}
    assert all(spec.terms <= 60 for spec in compiled.facts)


def test_engine_names_and_their_hash():
    assert engine_name("iup.senast_reviderad") == "iup__senast_reviderad"
    assert fnv1a32("") == 0x811C9DC5 and fnv1a32("a") == 0xE40C292C  # the FNV-1a reference values
