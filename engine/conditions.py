"""The condition language of rules/: parsed from rule data into a small immutable tree."""

from __future__ import annotations

from typing import Any

from msgspec import Struct

from engine.terms import COLLECTIONS, OUTCOMES

COMPARE_OPS = ("eq", "ne", "in", "gt", "gte", "lt", "lte", "within_months", "within_days", "count_gte", "exists")


class ConditionError(ValueError):
    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        self.loc = loc
        super().__init__(message)


class Setting(Struct, frozen=True):
    name: str


class Ref(Struct, frozen=True):
    path: str


class Leaf(Struct, frozen=True):
    field: str
    op: str
    value: Any  # literal, tuple of literals (in), Setting or Ref


class Attestation(Struct, frozen=True):
    not_applicable: bool = True  # may the assessor answer 'ej tillämpligt'?


class AllOf(Struct, frozen=True):
    items: tuple[Cond, ...]


class AnyOf(Struct, frozen=True):
    items: tuple[Cond, ...]


class Not(Struct, frozen=True):
    item: Cond


class Items(Struct, frozen=True):
    field: str
    mode: str  # "any" | "all"
    cond: Cond


class Quantifier(Struct, frozen=True):
    mode: str  # "all" | "any" | "none"
    collection: str
    where: Cond | None
    require: Cond
    empty: str


Cond = Leaf | Attestation | AllOf | AnyOf | Not | Items
Check = Cond | Quantifier


def _value(raw: Any, loc: tuple[str | int, ...], op: str) -> Any:
    if isinstance(raw, dict):
        if set(raw) == {"setting"} and isinstance(raw["setting"], str):
            return Setting(raw["setting"])
        if set(raw) == {"ref"} and isinstance(raw["ref"], str) and op in ("eq", "ne"):
            return Ref(raw["ref"])
        raise ConditionError(
            loc, f"ogiltigt värde för {op}: {raw!r} (tillåtet: värde, {{setting: NAMN}} eller {{ref: SÖKVÄG}})"
        )
    if op == "in":
        if not isinstance(raw, list) or not raw:
            raise ConditionError(loc, "in kräver en lista med värden")
        return tuple(raw)
    numeric = ("gt", "gte", "lt", "lte", "within_months", "within_days", "count_gte")
    if op in numeric and (isinstance(raw, bool) or not isinstance(raw, (int, float))):
        raise ConditionError(loc, f"{op} kräver ett tal eller {{setting: NAMN}}")
    if op == "exists" and raw is not True:
        raise ConditionError(loc, "exists tar bara värdet true")
    return raw


def parse_condition(raw: Any, loc: tuple[str | int, ...] = ()) -> Cond:
    if not isinstance(raw, dict) or not raw:
        raise ConditionError(loc, "ett villkor ska vara en mappning, t.ex. {field: …, eq: …}")
    keys = set(raw)
    if keys <= {"attestation", "not_applicable"} and "attestation" in keys:
        if raw["attestation"] is not True:
            raise ConditionError(loc, "attestation tar bara värdet true")
        if not isinstance(raw.get("not_applicable", True), bool):
            raise ConditionError((*loc, "not_applicable"), "not_applicable tar värdet true eller false")
        return Attestation(raw.get("not_applicable", True))
    if keys in ({"all_of"}, {"any_of"}):
        key = next(iter(keys))
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise ConditionError((*loc, key), f"{key} kräver en icke-tom lista")
        parsed = tuple(parse_condition(item, (*loc, key, i)) for i, item in enumerate(items))
        return AllOf(parsed) if key == "all_of" else AnyOf(parsed)
    if keys == {"not"}:
        inner = parse_condition(raw["not"], (*loc, "not"))
        if not isinstance(inner, Leaf):
            raise ConditionError((*loc, "not"), "not får bara omge ett enkelt villkor (field + operator)")
        return Not(inner)
    if "items" in keys:
        mode = (keys - {"items"}).pop() if len(keys) == 2 else None
        if mode not in ("any", "all") or not isinstance(raw["items"], str):
            raise ConditionError(loc, "items kräver {items: LISTA, any: VILLKOR} eller {items: LISTA, all: VILLKOR}")
        inner = parse_condition(raw[mode], (*loc, mode))
        allowed = AnyOf if mode == "any" else AllOf
        parts = inner.items if isinstance(inner, allowed) else (inner,)
        if not all(isinstance(p, Leaf) and not isinstance(p.value, Ref) for p in parts):
            combinator = "any_of" if mode == "any" else "all_of"
            raise ConditionError(
                (*loc, mode), f"inom items/{mode} tillåts bara enkla villkor eller {combinator} av enkla villkor"
            )
        return Items(raw["items"], mode, inner)
    if "field" in keys:
        ops = keys - {"field"}
        if len(ops) != 1 or not isinstance(raw["field"], str):
            raise ConditionError(loc, f"ett enkelt villkor har field och exakt en operator ({', '.join(COMPARE_OPS)})")
        op = ops.pop()
        if op not in COMPARE_OPS:
            raise ConditionError((*loc, op), f"okänd operator {op!r} (tillåtna: {', '.join(COMPARE_OPS)})")
        return Leaf(raw["field"], op, _value(raw[op], (*loc, op), op))
    raise ConditionError(loc, f"okänt villkor med nycklarna {sorted(keys)}")


def parse_check(raw: Any, loc: tuple[str | int, ...] = ()) -> Check:
    if isinstance(raw, dict) and keys_of_quantifier(raw):
        return _parse_quantifier(raw, loc)
    if isinstance(raw, dict) and set(raw) in ({"all_of"}, {"any_of"}):
        key = next(iter(raw))
        items = raw[key]
        if isinstance(items, list) and any(isinstance(i, dict) and keys_of_quantifier(i) for i in items):
            parsed = tuple(
                _parse_quantifier(i, (*loc, key, n))
                if isinstance(i, dict) and keys_of_quantifier(i)
                else parse_condition(i, (*loc, key, n))
                for n, i in enumerate(items)
            )
            return AllOf(parsed) if key == "all_of" else AnyOf(parsed)
    return parse_condition(raw, loc)


def keys_of_quantifier(raw: dict) -> str | None:
    for mode in ("for_all", "for_any", "for_none"):
        if mode in raw:
            return mode
    return None


def _parse_quantifier(raw: dict, loc: tuple[str | int, ...]) -> Quantifier:
    mode_key = keys_of_quantifier(raw)
    assert mode_key
    unknown = set(raw) - {mode_key, "where", "require", "empty"}
    if unknown:
        raise ConditionError(loc, f"okända nycklar i {mode_key}: {sorted(unknown)}")
    collection = raw[mode_key]
    if collection not in COLLECTIONS:
        raise ConditionError((*loc, mode_key), f"okänd persongrupp {collection!r} (tillåtna: {', '.join(COLLECTIONS)})")
    if "require" not in raw:
        raise ConditionError(loc, f"{mode_key} kräver require")
    where = parse_condition(raw["where"], (*loc, "where")) if "where" in raw else None
    empty = raw.get("empty", "not_applicable")
    if empty not in OUTCOMES:
        raise ConditionError((*loc, "empty"), f"empty ska vara något av {', '.join(OUTCOMES)}")
    return Quantifier(
        mode_key.removeprefix("for_"), collection, where, parse_condition(raw["require"], (*loc, "require")), empty
    )


def attestation_of(cond: Cond | Quantifier | None) -> Attestation | None:
    """The assessor's attestation a check reads, if any."""
    return next((leaf for leaf in leaves(cond) if isinstance(leaf, Attestation)), None)


def leaves(cond: Cond | Quantifier | None) -> list[Leaf | Attestation | Items]:
    """Every leaf of a condition, in order (a quantifier contributes its where and require)."""
    if cond is None:
        return []
    if isinstance(cond, (Leaf, Attestation, Items)):
        return [cond]
    if isinstance(cond, (AllOf, AnyOf)):
        return [leaf for item in cond.items for leaf in leaves(item)]
    if isinstance(cond, Not):
        return leaves(cond.item)
    return leaves(cond.where) + leaves(cond.require)
