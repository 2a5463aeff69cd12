"""A plain-Python reference evaluator of the rule data, independent of the engine's compiler, facts and durable_rules.

It walks the parsed conditions (engine/conditions.py) directly over the validated evidence (records with the
`Evidens` fields) and implements the semantics documented in rules/README.md:

* Kleene three-valued logic (True / False / None = unknown); a missing field is unknown.
* `exists: true` is True when the field is given; a missing field is unknown, never False (README).
* `within_months: N`: date >= assessment date minus N calendar months (day clamped to the month's end);
  `within_days: N`: (assessment date - date).days <= N.
* `items … any` is False on an empty list, `items … all` True; a missing list is unknown.
* Quantifiers: a missing collection is unknown; nobody in scope gives `empty`; `for_all` is unmet when anyone fails,
  else unknown when anyone is unknown; `for_any` met when anyone passes, else unknown / unmet; `for_none` the dual.
* `applies_when` False -> not_applicable, unknown -> unknown.
* Attestation `ej tillämpligt` makes the whole requirement not applicable, also inside all_of/any_of (README).
* A top-level all_of/any_of over quantifiers combines sub-outcomes with not_applicable dropping out
  (all of them not applicable -> not_applicable).
* `covers: supervised` (a handledare's training regulation): the regulation is the same as or newer than (the order
  of evidence/terms.py) every regulation of the ST-läkare naming this handledare as huvudhandledare, or, for a
  handledare nobody names, of every ST-läkare at the unit; unknown when the unit's ST-läkare are not given.
* `recent: {months: M, count_gte: N, distinct: X}`: at least N items of the list (dates, or records with `datum`)
  dated within M months before the assessment date (as within_months), or at least N distinct values of X among them.
* An inspector's assessment (inspektorsbedomningar) overrides the outcome.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from engine.catalog import Catalog, Requirement
from engine.conditions import AllOf, AnyOf, Attestation, Items, Leaf, Not, Quantifier, Recent, Ref, Setting
from evidence.model import Evidens
from evidence.terms import REGULATIONS

T, F, U = True, False, None
OVERRIDE = {"uppfyllt": "met", "ej uppfyllt": "unmet", "ej tillämpligt": "not_applicable"}


def months_before(day: date, months: int) -> date:
    y, m = day.year, day.month - months
    while m < 1:
        m += 12
        y -= 1
    while m > 12:
        m -= 12
        y += 1
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
    return obj


def k_and(values: list[bool | None]) -> bool | None:
    if any(v is F for v in values):
        return F
    if any(v is U for v in values):
        return U
    return T


def k_or(values: list[bool | None]) -> bool | None:
    if any(v is T for v in values):
        return T
    if any(v is U for v in values):
        return U
    return F


def k_not(value: bool | None) -> bool | None:
    return U if value is U else not value


def _attestations(c: Any) -> bool:
    if isinstance(c, Attestation):
        return True
    if isinstance(c, (AllOf, AnyOf)):
        return any(_attestations(i) for i in c.items)
    if isinstance(c, Not):
        return _attestations(c.item)
    return False


class Oracle:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # --- outcomes -------------------------------------------------------------------------------------------
    def outcomes(self, ev: Evidens) -> dict[str, str]:
        return {req.id: self.outcome(req, ev) for req in self.catalog.requirements}

    def outcome(self, req: Requirement, ev: Evidens) -> str:
        override = ev.inspektorsbedomningar.get(req.id)
        if override is not None:
            return OVERRIDE[override.utfall]
        return self.engine_outcome(req, ev)

    def engine_outcome(self, req: Requirement, ev: Evidens) -> str:
        if req.applies_when is not None:
            applies = self.cond(req.applies_when, ev, ev, req.id)
            if applies is F:
                return "not_applicable"
            if applies is U:
                return "unknown"
        if self._contains_attestation(req.check) and self._svar(ev, req.id) == "ej tillämpligt":
            return "not_applicable"
        check = req.check
        if isinstance(check, (AllOf, AnyOf)) and any(isinstance(i, Quantifier) for i in check.items):
            subs = [self.sub(i, ev, req.id) for i in check.items]
            live = [s for s in subs if s != "not_applicable"]
            if not live:
                return "not_applicable"
            order = ("unmet", "unknown", "met") if isinstance(check, AllOf) else ("met", "unknown", "unmet")
            return next(o for o in order if o in live)
        return self.sub(check, ev, req.id)

    def _contains_attestation(self, check: Any) -> bool:
        if isinstance(check, Quantifier):
            return _attestations(check.where) or _attestations(check.require)
        if isinstance(check, (AllOf, AnyOf)):
            return any(self._contains_attestation(i) for i in check.items)
        return _attestations(check)

    def sub(self, check: Any, ev: Evidens, req_id: str) -> str:
        if isinstance(check, Quantifier):
            return self.quantifier(check, ev, req_id)
        return {T: "met", F: "unmet", U: "unknown"}[self.cond(check, ev, ev, req_id)]

    def quantifier(self, q: Quantifier, ev: Evidens, req_id: str) -> str:
        people = getattr(ev, q.collection)
        if people is None:
            return "unknown"
        scope = [p for p in people if q.where is None or self.cond(q.where, p, ev, req_id) is T]
        if not scope:
            return q.empty
        values = [self.cond(q.require, p, ev, req_id) for p in scope]
        if q.mode == "all":
            return {T: "met", F: "unmet", U: "unknown"}[k_and(values)]
        if q.mode == "any":
            return {T: "met", F: "unmet", U: "unknown"}[k_or(values)]
        return {T: "unmet", F: "met", U: "unknown"}[k_or(values)]  # none

    # --- three-valued conditions ----------------------------------------------------------------------------
    @staticmethod
    def _svar(ev: Evidens, req_id: str) -> str | None:
        intyg = ev.intyganden.get(req_id)
        return intyg.svar if intyg is not None else None

    def cond(self, c: Any, node: Any, ev: Evidens, req_id: str) -> bool | None:
        if isinstance(c, Leaf):
            return self.leaf(c, node, ev)
        if isinstance(c, Attestation):
            return {"ja": T, "nej": F}.get(self._svar(ev, req_id), U)
        if isinstance(c, AllOf):
            return k_and([self.cond(i, node, ev, req_id) for i in c.items])
        if isinstance(c, AnyOf):
            return k_or([self.cond(i, node, ev, req_id) for i in c.items])
        if isinstance(c, Not):
            return k_not(self.cond(c.item, node, ev, req_id))
        if isinstance(c, Items):
            items = get(node, c.field)
            if items is None:
                return U
            values = [self.cond(c.cond, item, ev, req_id) for item in items]
            return k_or(values) if c.mode == "any" else k_and(values)
        raise TypeError(c)

    def _number(self, value: Any) -> int:
        return int(self.catalog.setting(value.name)) if isinstance(value, Setting) else value

    def _recent(self, recent: Recent, items: list, assessed: date) -> bool:
        cutoff = months_before(assessed, self._number(recent.months))
        inside = [i for i in items if (i if isinstance(i, date) else i.datum) >= cutoff]
        if recent.distinct:
            inside = list({getattr(i, recent.distinct) for i in inside} - {None})
        return len(inside) >= self._number(recent.count)

    @staticmethod
    def _covers(value: str, handledare: Any, ev: Evidens) -> bool | None:
        if ev.st_lakare is None:
            return U
        mine = [p.regelverk for p in ev.st_lakare if p.huvudhandledare == handledare.namn]
        needed = mine or [p.regelverk for p in ev.st_lakare]
        return all(REGULATIONS.index(value) >= REGULATIONS.index(r) for r in needed)

    def leaf(self, leaf: Leaf, node: Any, ev: Evidens) -> bool | None:
        value = get(node, leaf.field)
        if value is None:
            return U
        if leaf.op == "exists":
            return T
        if leaf.op == "covers":
            return self._covers(value, node, ev)
        if isinstance(leaf.value, Recent):
            return self._recent(leaf.value, value, ev.bedomning.datum)
        target = leaf.value
        if isinstance(target, Setting):
            target = self.catalog.setting(target.name)
        elif isinstance(target, Ref):
            target = get(ev, target.path)
            if target is None:
                return U
        assessed = ev.bedomning.datum
        match leaf.op:
            case "eq":
                return value == target and type(value) is type(target)
            case "ne":
                return not (value == target and type(value) is type(target))
            case "in":
                return any(value == t and type(value) is type(t) for t in target)
            case "gt":
                return value > target
            case "gte":
                return value >= target
            case "lt":
                return value < target
            case "lte":
                return value <= target
            case "within_months":
                return value >= months_before(assessed, int(target))
            case "within_days":
                return (assessed - value).days <= target
            case "count_gte":
                return len(value) >= target
        raise ValueError(leaf.op)
