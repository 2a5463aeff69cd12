"""Terminal text for `spur grade`."""

from __future__ import annotations

from typing import Any

from engine.catalog import Catalog
from engine.fields import person_label, shown_path
from engine.indicators import TITLE, heading, line, tally
from engine.result import AreaResult, UnitResult
from engine.terms import KINDS
from engine.wording import agree, count

STEPS_TITLE = "Vad krävs för nästa betyg? (krav som ska bli uppfyllda; underlag som saknas står först)"
MARK = {"met": "[✓]", "unmet": "[✗]", "unknown": "[?]", "not_applicable": "[–]"}


def grade_label(area: AreaResult) -> str:
    label = f"{area.grade} (preliminärt, bästa fall {area.best_case})" if area.provisional else area.grade
    if area.plan_verdict == "justerad":
        label += f" → {area.adjusted_grade}{' (preliminärt)' if area.plan_provisional else ''} efter handlingsplan"
    elif area.plan_verdict == "kvarstår":
        label += " (kvarstår efter handlingsplan)"
    return label


def _ids(ids: tuple[str, ...]) -> str:
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} och {ids[-1]}"


def steps_text(area: AreaResult) -> str | None:
    """"C när D-07 är uppfyllt · A när D-07 och D-10 är uppfyllda (underlag saknas för D-10)" (engine/next_grade.py)."""
    steps = [s for s in (area.next_grade, area.grade_a) if s is not None]
    if not steps:
        return None
    if len(steps) == 2 and steps[0] == steps[1]:
        steps = steps[:1]
    parts = [f"{s.grade} när {_ids(s.requirements)} är {agree(len(s.requirements), 'uppfyllt', 'uppfyllda')}" for s in steps]
    named = {rid for s in steps for rid in s.requirements}
    unknown = tuple(r.id for r in area.requirements if r.outcome == "unknown" and r.id in named)
    if not unknown:
        return " · ".join(parts)
    which = "samtliga" if len(unknown) == len(named) > 1 else _ids(unknown)
    return " · ".join(parts) + f" (underlag saknas för {which})"


def _brief_steps(area: AreaResult) -> str:
    """The summary's short form: 'D → C: B-04 · A: 4 krav'."""
    shown = []
    for s in (area.next_grade, area.grade_a):
        if s is not None:
            ids = ", ".join(s.requirements) if len(s.requirements) <= 4 else f"{len(s.requirements)} krav"
            shown.append(f"{s.grade}: {ids}")
    return f"{area.grade} → " + " · ".join(dict.fromkeys(shown))


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
            grade += f" → {a.adjusted_grade}" + ("*" if a.plan_provisional else "")
        notes = [a.title]
        if a.provisional:
            notes.append(f"bästa fall {a.best_case}")
        if failed:
            notes.append(f"ej {agree(len(failed), 'uppfyllt')}: {', '.join(r.id for r in failed)}")
        if missing:
            notes.append(f"underlag saknas för {missing} krav")
        if a.plan_verdict == "justerad":
            notes.append(f"justerad{' (preliminärt)' if a.plan_provisional else ''} efter handlingsplan")
        elif a.plan_verdict:
            notes.append(f"D kvarstår efter handlingsplan ({', '.join(a.plan_rows)})" if a.plan_rows else "D kvarstår efter handlingsplan")
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
    warned = [w.split(":")[0] for a in result.areas for w in a.plan_warnings]
    if warned:
        ids = list(dict.fromkeys(warned))
        out.append(
            f"Handlingsplanen: {count(len(ids), 'rad', 'rader')} att kontrollera för inspektörerna "
            f"({', '.join(ids)}); se --full."
        )
    if result.indicators:
        out += ["", f"{TITLE}: {tally(result.indicators)} (påverkar inte betyget; se --full)."]
    below = [a for a in result.areas if a.next_grade is not None]
    if below:
        out += ["", STEPS_TITLE]
        out += [f"{a.area}  {_brief_steps(a)}" for a in below]
    provisional = sum(a.provisional for a in result.areas)
    if provisional:
        out.append(
            f"* Preliminärt betyg ({provisional} av {len(result.areas)}): krav utan underlag räknas som ej uppfyllda."
        )
    out.append(f"Skälen för varje krav: {full}")
    return "\n".join(out) + "\n"


def _indicators(result: UnitResult, catalog: Catalog) -> list[str]:
    """Under area G: each indicator with start, target, result and whether the target was reached."""
    if not result.indicators:
        return []
    role = catalog.vocabulary["collections"]["st_lakare"]["singular"]
    lines = [f"  {heading(result.indicators)}"]
    return lines + [f"   {line(i, person_label(role, i.person))} ({shown_path(i.path)})" for i in result.indicators]


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
        steps = steps_text(a)
        if steps:
            out.append(f"   Nästa betyg: {steps}.")
        if a.plan_text:
            out.append(f"   {a.plan_text}")
            out += [f"     {line}" for line in a.plan_reasons]
        elif a.plan_reasons:
            out += [f"   {line}" for line in a.plan_reasons]
        if a.plan_warnings:
            out.append("   Att kontrollera i handlingsplanen (inspektörerna avgör):")
            out += [f"     {line}" for line in a.plan_warnings]
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
        if a.area == "G":
            out += _indicators(result, catalog)
        if a.provisional:
            out.append(f"  Preliminärt betyg: {count(len(a.missing), 'uppgift')} saknas. Bästa fall: {a.best_case}.")
    return "\n".join(out) + "\n"
