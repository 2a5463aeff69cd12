"""Terminal text for `spur grade`."""

from __future__ import annotations

from engine.catalog import Catalog
from engine.result import AreaResult, UnitResult

MARK = {"met": "[✓]", "unmet": "[✗]", "unknown": "[?]", "not_applicable": "[–]"}


def grade_label(area: AreaResult) -> str:
    label = f"{area.grade} (preliminärt, bästa fall {area.best_case})" if area.provisional else area.grade
    if area.plan_verdict == "justerad":
        label += f" → {area.adjusted_grade} efter handlingsplan"
    elif area.plan_verdict == "kvarstår":
        label += " (kvarstår efter handlingsplan)"
    return label


def render_text(result: UnitResult, catalog: Catalog) -> str:
    words = catalog.vocabulary["outcomes"]
    kinds = catalog.grading.kinds
    out = [
        f"SPUR-bedömning: {result.unit}",
        f"Vårdgivare: {result.vardgivare} · Specialitet: {result.specialitet} · Region: {result.region}",
        f"Bedömningsdatum: {result.assessed_on} · Typ: {result.assessment_kind}"
        + (f" · Bedömare: {', '.join(result.assessors)}" if result.assessors else ""),
        f"Regelversion: {result.rules_version}",
        "",
        "Sammanfattning",
    ]
    width = max(len(a.title) for a in result.areas)
    for a in result.areas:
        out.append(f"  {a.area}  {a.title.ljust(width)}  {grade_label(a)}")
    out.append("")
    out.append(
        "Tecken: [✓] uppfyllt  [✗] ej uppfyllt  [?] underlag saknas  [–] ej tillämpligt  (*) bedömt av inspektör"
    )
    group = None
    for a in result.areas:
        if a.group != group:
            group = a.group
            out += ["", "=" * 78, group, "=" * 78]
        out += [
            "",
            f"{a.area}. {a.title} – betyg {grade_label(a)}",
            f"   {a.grade}. {a.scale_text}",
            f"   ({a.grade_reason})",
        ]
        if a.plan_text:
            out.append(f"   {a.plan_text}")
            out += [f"     {line}" for line in a.plan_reasons]
        elif a.plan_reasons:
            out += [f"   {line}" for line in a.plan_reasons]
        for kind in ("foreskrift", "allmant_rad", "kvalitetsindikator"):
            reqs = [r for r in a.requirements if r.kind == kind]
            if not reqs:
                continue
            out.append(f"  {kinds[kind].plural}")
            for r in reqs:
                star = " (*)" if r.overridden else ""
                failure = f" – {kinds[kind].failure}" if r.outcome == "unmet" and kinds[kind].failure else ""
                out.append(f"   {MARK[r.outcome]} {r.id} {words[r.outcome]}{star}{failure}: {r.text}")
                out += [f"         {line}" for line in r.reasons]
        if a.provisional:
            n = len(a.missing)
            out.append(
                f"  Preliminärt betyg: {n} {'uppgift' if n == 1 else 'uppgifter'} saknas. Bästa fall: {a.best_case}."
            )
    return "\n".join(out) + "\n"
