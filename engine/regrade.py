"""Regrade after a handlingsplan (`spur grade --plan`, README): an area at D is lifted when every unmet föreskrift has an
accepted, concrete row; otherwise D stands and the rows that fall short are named."""

from __future__ import annotations

import msgspec

from engine.catalog import Catalog
from engine.followup import submitted_late
from engine.plan import defaults
from engine.result import UnitResult
from evidence.plan import Handlingsplan, PlanRad


def _normalise(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def repeats(plan: Handlingsplan, catalog: Catalog) -> dict[str, str]:
    """krav id -> the requirement whose planned action its row repeats word for word. Of rows with the same action,
    the requirement that comes first in the catalogue keeps it, wherever the rows stand in the file."""
    order = {req.id: i for i, req in enumerate(catalog.requirements)}
    first: dict[str, str] = {}
    out = {}
    for row in sorted(plan.rader, key=lambda r: (order.get(r.krav, len(order)), r.krav)):
        text = _normalise(row.planerad_atgard)
        if text and text in first:
            out[row.krav] = first[text]
        first.setdefault(text, row.krav)
    return out


def row_problems(row: PlanRad, repeated: dict[str, str]) -> list[str]:
    problems = []
    if not row.planerad_atgard:
        problems.append("planerad åtgärd saknas")
    elif row.krav in repeated:
        problems.append(
            f"samma planerade åtgärd som för {repeated[row.krav]} (ingen konkret åtgärd för just denna brist)"
        )
    if not row.ansvarig_genomforande:
        problems.append("ansvarig för genomförandet saknas")
    if row.status == "genomförd":
        if row.status_datum is None:
            problems.append("status genomförd utan datum")
    elif row.datum_genomford is None:
        problems.append("datum när åtgärden ska vara genomförd saknas")
    if row.datum_uppfoljning is None:
        problems.append("datum för uppföljning saknas")
    if row.godkand is not True:
        problems.append(
            "inte godkänd av inspektörerna" if row.godkand is False else "inspektörernas godkännande saknas"
        )
    return problems


def apply_plan(result: UnitResult, plan: Handlingsplan, catalog: Catalog) -> UnitResult:
    d = defaults(catalog)
    rows = {row.krav: row for row in plan.rader}
    repeated = repeats(plan, catalog)
    late = submitted_late(plan.inlamnad, plan.sista_inlamningsdag)
    late_note = (
        f"Handlingsplanen inkom {plan.inlamnad.isoformat()}, efter sista dag {plan.sista_inlamningsdag.isoformat()}."
        if late and plan.inlamnad
        else None
    )
    areas = []
    for area in result.areas:
        if area.grade != "D":
            areas.append(
                msgspec.structs.replace(
                    area, adjusted_grade=area.grade, plan_verdict=None, plan_reasons=(late_note,) if late_note else ()
                )
            )
            continue
        reasons: list[str] = []
        for req in area.requirements:
            if req.kind != "foreskrift":
                continue
            if req.outcome == "unknown":
                reasons.append(f"{req.id}: underlag saknas – kravet kan inte bedömas och inte åtgärdas i planen.")
            elif req.outcome == "unmet":
                row = rows.get(req.id)
                if row is None:
                    reasons.append(f"{req.id}: rad saknas i handlingsplanen.")
                else:
                    problems = row_problems(row, repeated)
                    if problems:
                        reasons.append(f"{req.id}: {'; '.join(problems)}.")
        lifted = not reasons
        grade = d.verdicts.adjusted_grade if lifted else "D"
        verdict = (d.verdicts.adjusted if lifted else d.verdicts.kept).format(grade=grade)
        if late_note:
            reasons.append(late_note)
        areas.append(
            msgspec.structs.replace(
                area,
                adjusted_grade=grade,
                plan_verdict="justerad" if lifted else "kvarstår",
                plan_text=verdict,
                plan_reasons=tuple(reasons),
            )
        )
    return msgspec.structs.replace(result, areas=tuple(areas), plan_late=late)
