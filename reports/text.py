"""Terminal text for `spur grade`."""

from __future__ import annotations

from typing import Any

from engine.catalog import Catalog
from engine.result import AreaResult, UnitResult
from engine.terms import KINDS
from engine.wording import agree, count

MARK = {"met": "[✓]", "unmet": "[✗]", "unknown": "[?]", "not_applicable": "[–]"}


def grade_label(area: AreaResult) -> str:
    label = f"{area.grade} (preliminärt, bästa fall {area.best_case})" if area.provisional else area.grade
    if area.plan_verdict == "justerad":
        label += f" → {area.adjusted_grade} efter handlingsplan"
    elif area.plan_verdict == "kvarstår":
        label += " (kvarstår efter handlingsplan)"
    return label


def _head(result: UnitResult) -> list[str]:
    return [
        f"SPUR-bedömning: {result.unit}",
        f"Vårdgivare: {result.vardgivare} · Specialitet: {result.specialitet} · Region: {result.region}",
        f"Bedömningsdatum: {result.assessed_on} · Typ: {result.assessment_kind}"
        + (f" · Bedömare: {', '.join(result.assessors)}" if result.assessors else ""),
        f"Regelversion: {result.rules_version}",
    ]


def _count(n: int, kind: Any) -> str:  # a kind's record: label "Föreskrift", plural "Föreskrifter"
    return count(n, kind.label.lower(), kind.plural.lower())


def render_summary(result: UnitResult, catalog: Catalog, full: str) -> str:
    """The terminal's first view (`spur grade` without --full): per area its grade (* provisional, → after the
    handlingsplan) and what is not met or has no evidence, then the totals and `full`, the command that shows every
    requirement's reasons. Fits a screen."""
    kinds = catalog.grading.kinds
    out = [*_head(result), "", "   Betyg   Område"]
    unmet: dict[str, int] = {}
    unknown = 0
    for a in result.areas:
        failed = [r for r in a.requirements if r.outcome == "unmet"]
        missing = sum(r.outcome == "unknown" for r in a.requirements)
        unknown += missing
        for r in failed:
            unmet[r.kind] = unmet.get(r.kind, 0) + 1
        grade = a.grade + ("*" if a.provisional else "")
        if a.plan_verdict == "justerad":
            grade += f" → {a.adjusted_grade}"
        notes = [a.title]
        if a.provisional:
            notes.append(f"bästa fall {a.best_case}")
        if failed:
            notes.append(f"ej {agree(len(failed), 'uppfyllt')}: {', '.join(r.id for r in failed)}")
        if missing:
            notes.append(f"underlag saknas för {missing} krav")
        if a.plan_verdict:
            notes.append("justerad efter handlingsplan" if a.plan_verdict == "justerad" else "D kvarstår efter handlingsplan")
        out.append(f"{a.area}  {grade.ljust(7)} {' · '.join(notes)}")
    total = sum(unmet.values())
    if total:
        by_kind = ", ".join(_count(unmet[k], kinds[k]) for k in kinds if unmet.get(k))
        line = f"{total} krav är inte {agree(total, 'uppfyllt')} ({by_kind})"
    elif unknown:
        line = "Inga ej uppfyllda krav"
    else:
        line = "Alla krav är uppfyllda eller ej tillämpliga"
    out += ["", line + (f"; underlag saknas för {unknown} krav." if unknown else ".")]
    provisional = sum(a.provisional for a in result.areas)
    if provisional:
        out.append(
            f"* Preliminärt betyg ({provisional} av {len(result.areas)}): krav utan underlag räknas som ej uppfyllda."
        )
    out.append(f"Skälen för varje krav: {full}")
    return "\n".join(out) + "\n"


def render_text(result: UnitResult, catalog: Catalog) -> str:
    words = catalog.vocabulary["outcomes"]
    kinds = catalog.grading.kinds
    out = [*_head(result), "", "Sammanfattning"]
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
        for kind in KINDS:
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
            out.append(f"  Preliminärt betyg: {count(len(a.missing), 'uppgift')} saknas. Bästa fall: {a.best_case}.")
    return "\n".join(out) + "\n"
