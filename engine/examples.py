"""Run every rule's examples: each example's evidence is merged into rules/example_base.yaml and graded."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from engine.catalog import Catalog, Requirement
from engine.evaluate import Evaluator
from evidence.errors import InputError
from evidence.loader import validate
from evidence.yamlsafe import Document

if TYPE_CHECKING:
    from engine.rule_model import Example


def merge(base: Any, overlay: Any) -> Any:
    if isinstance(base, dict) and isinstance(overlay, dict):
        out = dict(base)
        for key, value in overlay.items():
            out[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(overlay)


def stringify_dates(value: Any) -> Any:
    """Rule files are read with our safe loader, so dates are already text; keep this total anyway."""
    if isinstance(value, dict):
        return {k: stringify_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [stringify_dates(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


class ExampleRun(Struct, frozen=True):
    requirement: Requirement
    example: Example
    number: int
    outcome: str | None
    reasons: tuple[str, ...]
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None and self.outcome == self.example.expect


def example_evidence(catalog: Catalog, example: Example) -> dict[str, Any]:
    return stringify_dates(merge(catalog.example_base, example.evidence))


def run_examples(evaluator: Evaluator, only: str | None = None) -> list[ExampleRun]:
    catalog = evaluator.catalog
    runs = []
    for req in catalog.requirements:
        if only and req.id != only:
            continue
        for n, example in enumerate(req.examples):
            data = example_evidence(catalog, example)
            try:
                evidence = validate(Document(f"{req.id} exempel {n + 1}", data, None), catalog.known)
            except InputError as exc:
                runs.append(ExampleRun(req, example, n, None, (), "; ".join(exc.lines)))
                continue
            result = evaluator.evaluate(evidence).requirement(req.id)
            runs.append(ExampleRun(req, example, n, result.outcome, result.reasons, None))
    return runs
