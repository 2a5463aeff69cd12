"""Normalise validated evidence into the flat, typed facts the compiled rules read.

Pure data transformation driven by the fact plan: dates become month/day ages relative to the assessment date,
lists their length, and only fields that some rule reads are copied. No rule logic lives here.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Any

from engine.compiler import Compiled, FactSpec, attestation_field, engine_name
from evidence.model import Evidens


def sub_months(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    year = min(max(year, 1), 9999)
    return date(year, month0 + 1, min(day.day, monthrange(year, month0 + 1)[1]))


def months_age(value: date, assessed: date) -> int:
    """The smallest k such that `value` is on or after the assessment date minus k months."""
    k = (assessed.year - value.year) * 12 + assessed.month - value.month
    while value < sub_months(assessed, k):
        k += 1
    while value >= sub_months(assessed, k - 1) and k > -12000:
        k -= 1
    return k


def get_path(obj: Any, path: str) -> Any:
    for part in path.split("."):
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
    if encoding == "__man":
        return months_age(value, assessed)
    if encoding == "__dag":
        return (assessed - value).days
    if encoding == "__antal":
        return len(value)
    if isinstance(value, list):
        return None
    return display(value)


def _fill(fact: dict[str, Any], spec: FactSpec, source: Any, root: Evidens, assessed: date) -> None:
    for name, (path, encoding) in spec.fields.items():
        value = encode(get_path(source, path), encoding, assessed)
        if value is not None:
            fact[name] = value
    for path, item_fields in spec.items.items():
        items = get_path(source, path)
        if items is not None:
            fact[engine_name(path)] = [
                {name: encode(get_path(item, p), enc, assessed) for name, (p, enc) in item_fields.items()}
                for item in items
            ]
    for ref in spec.refs:
        value = get_path(root, ref)
        if value is not None:
            fact["ref__" + engine_name(ref)] = display(value)
    for req_id in spec.attestations:
        answer = root.intyganden.get(req_id)
        if answer is not None and answer.svar is not None:
            fact[attestation_field(req_id)] = answer.svar


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
