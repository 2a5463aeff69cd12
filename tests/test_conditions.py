"""engine/conditions.py: rule data parsed into the condition tree, and every malformed condition refused with the
key path it is at and a Swedish message."""

from __future__ import annotations

import pytest

from engine.conditions import (
    AllOf,
    AnyOf,
    Attestation,
    ConditionError,
    Items,
    Leaf,
    Not,
    Quantifier,
    Ref,
    Setting,
    attestation_of,
    leaves,
    parse_check,
    parse_condition,
)


def test_simple_conditions_and_their_values():
    assert parse_condition({"field": "enhet.namn", "exists": True}) == Leaf("enhet.namn", "exists", True)
    assert parse_condition({"field": "x", "in": ["a", "b"]}) == Leaf("x", "in", ("a", "b"))
    assert parse_condition({"field": "x", "gte": {"setting": "min"}}) == Leaf("x", "gte", Setting("min"))
    assert parse_condition({"field": "x", "eq": {"ref": "enhet.namn"}}) == Leaf("x", "eq", Ref("enhet.namn"))
    assert parse_condition({"attestation": True}) == Attestation(True)
    assert parse_condition({"attestation": True, "not_applicable": False}) == Attestation(False)


def test_combinations_nest():
    a, b = {"field": "a", "exists": True}, {"field": "b", "eq": 1}
    assert parse_condition({"all_of": [a, {"any_of": [b, {"not": b}]}]}) == AllOf(
        (Leaf("a", "exists", True), AnyOf((Leaf("b", "eq", 1), Not(Leaf("b", "eq", 1)))))
    )
    items = parse_condition({"items": "iup", "any": {"any_of": [a, b]}})
    assert items == Items("iup", "any", AnyOf((Leaf("a", "exists", True), Leaf("b", "eq", 1))))


def test_a_quantifier_over_people_with_its_defaults():
    q = parse_check({"for_all": "st_lakare", "require": {"field": "iup.finns", "eq": True}})
    assert q == Quantifier("all", "st_lakare", None, Leaf("iup.finns", "eq", True), "not_applicable")
    mixed = parse_check(
        {"all_of": [{"attestation": True}, {"for_any": "handledare", "require": {"attestation": True}}]}
    )
    assert isinstance(mixed, AllOf) and isinstance(mixed.items[1], Quantifier)


@pytest.mark.parametrize(
    ("raw", "loc", "message"),
    [
        ([], (), "ett villkor ska vara en mappning"),
        ({"field": "x", "eq": 1, "ne": 2}, (), "exakt en operator"),
        ({"field": "x", "like": 1}, ("like",), "okänd operator 'like'"),
        ({"field": "x", "gt": "många"}, ("gt",), "gt kräver ett tal"),
        ({"field": "x", "in": []}, ("in",), "in kräver en lista"),
        ({"field": "x", "exists": False}, ("exists",), "exists tar bara värdet true"),
        ({"field": "x", "gt": {"ref": "y"}}, ("gt",), "ogiltigt värde för gt"),
        ({"all_of": []}, ("all_of",), "all_of kräver en icke-tom lista"),
        ({"not": {"all_of": [{"field": "x", "exists": True}]}}, ("not",), "not får bara omge ett enkelt villkor"),
        ({"items": "iup", "some": {"field": "x", "exists": True}}, (), "items kräver"),
        ({"items": "iup", "any": {"field": "x", "eq": {"ref": "y"}}}, ("any",), "tillåts bara enkla villkor"),
        ({"attestation": False}, (), "attestation tar bara värdet true"),
        ({"attestation": True, "not_applicable": "ja"}, ("not_applicable",), "true eller false"),
        ({"what": 1}, (), "okänt villkor med nycklarna ['what']"),
    ],
)
def test_a_malformed_condition_says_where_and_what(raw, loc, message):
    with pytest.raises(ConditionError) as caught:
        parse_condition(raw, ("check",))
    assert caught.value.loc == ("check", *loc) and message in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "loc", "message"),
    [
        ({"for_all": "patienter", "require": {"attestation": True}}, ("for_all",), "okänd persongrupp 'patienter'"),
        ({"for_all": "st_lakare"}, (), "for_all kräver require"),
        ({"for_all": "st_lakare", "require": {"attestation": True}, "also": 1}, (), "okända nycklar i for_all"),
        ({"for_any": "st_lakare", "require": {"attestation": True}, "empty": "ja"}, ("empty",), "empty ska vara"),
    ],
)
def test_a_malformed_quantifier_says_where_and_what(raw, loc, message):
    with pytest.raises(ConditionError) as caught:
        parse_check(raw, ("check",))
    assert caught.value.loc == ("check", *loc) and message in str(caught.value)


def test_leaves_in_order_and_the_attestation_a_check_reads():
    check = parse_check(
        {
            "for_all": "st_lakare",
            "where": {"field": "regelverk", "eq": "SOSFS 2015:8"},
            "require": {"any_of": [{"field": "a", "exists": True}, {"not": {"field": "b", "eq": 1}}]},
        }
    )
    assert [leaf.field for leaf in leaves(check)] == ["regelverk", "a", "b"]
    assert attestation_of(check) is None
    assert attestation_of(parse_check({"all_of": [{"field": "a", "exists": True}, {"attestation": True}]})) == (
        Attestation(True)
    )
    assert leaves(None) == []
