"""Normalise validated evidence into the flat, typed facts the compiled rules read.

Pure data transformation driven by the fact plan: dates become month/day ages relative to the assessment date,
lists their length, and only fields that some rule reads are copied. No rule logic lives here.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import TYPE_CHECKING, Any

from engine.codes import Encoding
from engine.compiler import Compiled, FactSpec, attestation_field, engine_name

if TYPE_CHECKING:
    from evidence.model import Evidens


def sub_months(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    if not 1 <= year <= 9999:  # beyond the calendar: the nearest day it has
        return date.max if year > 9999 else date.min
    return date(year, month0 + 1, min(day.day, monthrange(year, month0 + 1)[1]))


def months_age(value: date, assessed: date) -> int:
    """The smallest k such that `value` is on or after the assessment date minus k months."""
    k = (assessed.year - value.year) * 12 + assessed.month - value.month
    while value < sub_months(assessed, k):
        k += 1
    while value >= sub_months(assessed, k - 1) and k > -12000:
        k -= 1
    return k


_PARTS: dict[str, list[str]] = {}


def get_path(obj: Any, path: str) -> Any:
    parts = _PARTS.get(path)
    if parts is None:
        parts = path.split(".")
        if len(_PARTS) < 10000:  # paths come from the rules: a small, fixed set
            _PARTS[path] = parts
    for part in parts:
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
    return obj


def display(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def encode(value: Any, encoding: str, assessed: date) -> Any:
    if value is None:
        return None
    if encoding == Encoding.MONTHS:
        return months_age(value, assessed)
    if encoding == Encoding.DAYS:
        return (assessed - value).days
    if encoding == Encoding.COUNT:
        return len(value)
    if isinstance(value, list):
        return None
    return display(value)


_PLANS: dict[int, tuple[FactSpec, tuple, tuple, tuple, tuple]] = {}


def _plan(spec: FactSpec) -> tuple[FactSpec, tuple, tuple, tuple, tuple]:
    """The spec with its paths split and engine names made once (the spec is kept alive with its plan)."""
    plan = _PLANS.get(id(spec))
    if plan is None or plan[0] is not spec:
        plan = _PLANS[id(spec)] = (
            spec,
            tuple((name, path.split("."), encoding) for name, (path, encoding) in spec.fields.items()),
            tuple((engine_name(path), path, tuple(fields.items())) for path, fields in spec.items.items()),
            tuple((ref, "ref__" + engine_name(ref)) for ref in spec.refs),
            tuple((req_id, attestation_field(req_id)) for req_id in spec.attestations),
        )
    return plan


def _fill(fact: dict[str, Any], spec: FactSpec, source: Any, root: Evidens, assessed: date) -> None:
    _, fields, items_plan, refs, attestations = _plan(spec)
    for name, parts, encoding in fields:
        value = source
        for part in parts:  # get_path, inlined: this loop runs for every field of every fact
            if value is None:
                break
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        value = encode(value, encoding, assessed)
        if value is not None:
            fact[name] = value
    for key, path, item_fields in items_plan:
        items = get_path(source, path)
        if items is not None:
            fact[key] = [
                {name: encode(get_path(item, p), enc, assessed) for name, (p, enc) in item_fields} for item in items
            ]
    for ref, key in refs:
        value = get_path(root, ref)
        if value is not None:
            fact[key] = display(value)
    for req_id, key in attestations:
        answer = root.intyganden.get(req_id)
        if answer is not None and answer.svar is not None:
            fact[key] = answer.svar


def build_facts(evidence: Evidens, compiled: Compiled) -> tuple[list[dict[str, Any]], dict[str, tuple[str, int]]]:
    """The facts of one unit, and for each fact id the (entity, index) it came from."""
    assessed = evidence.bedomning.datum
    facts: list[dict[str, Any]] = []
    origin: dict[str, tuple[str, int]] = {}
    for spec in compiled.facts:
        if spec.entity == "enhet":
            sources: list[Any] = [evidence]
        else:
            sources = list(getattr(evidence, spec.entity) or [])
        for index, source in enumerate(sources):
            fact_id = f"f{len(facts)}"
            fact: dict[str, Any] = {"id": fact_id, "t": spec.kind, "i": index}
            _fill(fact, spec, source, evidence, assessed)
            facts.append(fact)
            origin[fact_id] = (spec.entity, index)
    return facts, origin
