"""Regrade after a handlingsplan (`spur grade --plan`): the inspectors' `godkand` decides each row.

An area at D is lifted when every unmet föreskrift in it has a row the inspectors accepted; a row not yet reviewed, a
rejected row or a missing row keeps D, and the verdict names exactly those rows. When a föreskrift of the area has no
evidence (and no accepted row), the lift is provisional: D if the missing evidence shows the requirement unmet, C if
met. What the tool sees in a row (engine/plan_advice.py) is a warning to the inspectors, never a verdict.
"""

from __future__ import annotations

import msgspec

from engine.catalog import Catalog
from engine.followup import submitted_late
from engine.plan import defaults
from engine.plan_advice import advice
from engine.result import AreaResult, UnitResult
from engine.wording import agree
from evidence.plan import Handlingsplan, PlanRad


def _ids(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} och {ids[-1]}"


def _short_of(req_id: str, row: PlanRad | None) -> str | None:
    """Why the row for an unmet föreskrift does not lift the area, or None when the inspectors accepted it."""
    if row is None:
        return f"{req_id}: rad saknas i handlingsplanen."
    if row.godkand is True:
        return None
    if row.godkand is None:
        return f"{req_id}: inte granskad av inspektörerna."
    return f"{req_id}: inte godkänd av inspektörerna."  # their comment stands in the plan, under its author's names


def _verdict(area: AreaResult, rows: dict[str, PlanRad], catalog: Catalog) -> dict[str, object]:
    d = defaults(catalog).verdicts
    short: list[str] = []
    decided: list[str] = []  # the rows that decided the verdict
    accepted: list[str] = []
    missing: list[str] = []  # föreskrifter without evidence and without an accepted row
    for req in area.requirements:
        if req.kind != "foreskrift":
            continue
        row = rows.get(req.id)
        if req.outcome == "unmet":
            why = _short_of(req.id, row)
            if why:
                short.append(why)
                decided.append(req.id)
            else:
                accepted.append(req.id)
        elif req.outcome == "unknown":
            if row is not None and row.godkand is True:
                accepted.append(req.id)
            else:
                missing.append(req.id)
    if short:
        return {
            "adjusted_grade": "D",
            "plan_verdict": "kvarstår",
            "plan_text": d.kept.format(grade="D"),
            "plan_reasons": tuple(short),
            "plan_rows": tuple(decided),
            "plan_worst": "D",
        }
    grade = d.adjusted_grade
    reasons = [f"{agree(len(accepted), 'Godkänd rad', 'Godkända rader')}: {_ids(accepted)}."] if accepted else []
    if missing:
        reasons.append(
            f"Preliminärt: underlag saknas för {_ids(missing)}. Visar underlaget att "
            f"{'kravet' if len(missing) == 1 else 'något av kraven'} inte är uppfyllt kvarstår D (försiktigt fall); "
            f"annars gäller {grade} (bästa fall)."
        )
    return {
        "adjusted_grade": grade,
        "plan_verdict": "justerad",
        "plan_text": (d.adjusted_provisional if missing else d.adjusted).format(grade=grade),
        "plan_reasons": tuple(reasons),
        "plan_rows": tuple(accepted),
        "plan_provisional": bool(missing),
        "plan_worst": "D" if missing else grade,
    }


def _warnings(area: AreaResult, warned: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(f"{r.id}: {w}" for r in area.requirements for w in warned.get(r.id, ()))


def apply_plan(result: UnitResult, plan: Handlingsplan, catalog: Catalog) -> UnitResult:
    rows = {row.krav: row for row in plan.rader}
    warned = advice(plan, catalog)
    late = submitted_late(plan.inlamnad, plan.sista_inlamningsdag)
    late_note = (
        f"Handlingsplanen inkom {plan.inlamnad.isoformat()}, efter sista dag {plan.sista_inlamningsdag.isoformat()}."
        if late and plan.inlamnad
        else None
    )
    areas = []
    for area in result.areas:
        if area.grade != "D":
            changes: dict[str, object] = {
                "adjusted_grade": area.grade,
                "plan_verdict": None,
                "plan_reasons": (late_note,) if late_note else (),
            }
        else:
            changes = _verdict(area, rows, catalog)
            if late_note:
                changes["plan_reasons"] = (*changes["plan_reasons"], late_note)  # type: ignore[misc]
        areas.append(msgspec.structs.replace(area, plan_warnings=_warnings(area, warned), **changes))
    return msgspec.structs.replace(result, areas=tuple(areas), plan_late=late)
