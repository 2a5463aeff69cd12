"""Grade an area from its requirement outcomes by the procedure in rules/grading.yaml."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from engine.catalog import Area, Catalog
from engine.terms import GRADES, KINDS


def reaches(grades: Iterable[str], fail_on: str | None) -> bool:
    """`--fail-on X`: whether some grade is X or worse."""
    return bool(fail_on) and any(GRADES.index(g) >= GRADES.index(fail_on) for g in grades)


def counts(outcomes: list[tuple[str, str]], unknown_as: str) -> dict[str, int]:
    """`met.<kind>` / `unmet.<kind>` from (kind, outcome) pairs; not applicable drops out."""
    out = {f"{o}.{k}": 0 for o in ("met", "unmet") for k in KINDS}
    for kind, outcome in outcomes:
        if outcome == "unknown":
            outcome = unknown_as
        if outcome in ("met", "unmet"):
            out[f"{outcome}.{kind}"] += 1
    return out


def _number(value: Any, c: dict[str, int], catalog: Catalog) -> float:
    if isinstance(value, dict) and "setting" in value:
        return catalog.setting(value["setting"])
    if isinstance(value, dict) and "count" in value:
        return c[value["count"]]
    return value


def _holds(cond: Any, c: dict[str, int], catalog: Catalog) -> bool:
    if cond is None:
        return True
    if "all_of" in cond:
        return all(_holds(x, c, catalog) for x in cond["all_of"])
    if "any_of" in cond:
        return any(_holds(x, c, catalog) for x in cond["any_of"])
    left = c[cond["count"]]
    for op, raw in cond.items():
        if op == "count":
            continue
        right = _number(raw, c, catalog)
        if not {
            "gte": left >= right,
            "gt": left > right,
            "lte": left <= right,
            "lt": left < right,
            "eq": left == right,
        }[op]:
            return False
    return True


def grade(outcomes: list[tuple[str, str]], catalog: Catalog, unknown_as: str = "unmet") -> tuple[str, str]:
    """The grade with unknown outcomes counted as `unknown_as`, and the step's reason with the real counts."""
    c = counts(outcomes, unknown_as)
    real = {o: SimpleNamespace(**dict.fromkeys(KINDS, 0)) for o in ("met", "unmet", "unknown")}
    for kind, outcome in outcomes:
        if outcome in real:
            setattr(real[outcome], kind, getattr(real[outcome], kind) + 1)
    for step in catalog.grading.procedure:
        if _holds(step.when, c, catalog):
            return step.grade, step.reason.format(**real)
    raise AssertionError("grading procedure has no final step")  # lint guarantees a final step


def scale_for(area: Area) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(area.scale.items()))
