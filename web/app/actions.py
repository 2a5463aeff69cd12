"""What the web pages do, each a call into the use cases (engine/usecases.py) and the store (web/store/): reading
an assessment's grades and report, starting an assessment, saving a form's changes, drafting a plan. The domain
(validation, grading, plans) stays in the engine; this module only turns stored texts into the use cases' inputs."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import msgspec

from engine import usecases
from evidence.errors import SpurError
from evidence.yamlsafe import YamlText
from web.app import shared
from web.app.evidence_form import keep_parsed, stored
from web.store import engine_calls
from web.store.documents import DELETE, edit
from web.store.models import Assessment, Plan, Unit
from web.store.versions import save_assessment, save_plan

# The reports graded lately, per process: a few per user working at a time (about 0.15 MB each for Linden).
REPORTS_KEPT = 64


@cache
def rules() -> usecases.Rules:
    return usecases.Rules()


@cache
def catalog() -> Any:
    return rules().catalog


def text_name(a: Assessment) -> str:
    return f"{a.unit.name} {a.date.isoformat()} ({a.kind})"


def own_plan(a: Assessment) -> Plan | None:
    return Plan.objects.filter(assessment=a, archived=False, current__isnull=False).select_related("current").first()


def report_input(a: Assessment, plan: Plan | bool | None = True) -> usecases.ReportInput:
    """The assessment's current version graded as `spur report` grades a file, with its own plan where it has one
    (`plan`: the plan already looked up, or True to look it up)."""
    return _graded(a, plan)[0]


def report_view(a: Assessment, plan: Plan | bool | None = True) -> Any:
    """The report's data (reports/report.py), whose area sections the area pages show."""
    data, rep = _graded(a, plan)
    return rep, data


def _graded(a: Assessment, plan: Plan | bool | None) -> tuple[usecases.ReportInput, Any]:
    if plan is True:
        plan = own_plan(a)
    parts = _parts(a, plan)
    return REPORTS.get(parts, lambda: _report(*parts))


def _parts(a: Assessment, plan: Plan | None) -> tuple[str, str, str, str]:
    """What an assessment's report is computed from: its text and name, its plan's text and name."""
    return (
        a.current.text,
        text_name(a),
        *((plan.current.text, f"handlingsplan {a.date.isoformat()}") if plan else ("", "")),
    )  # type: ignore[return-value]


# The report's input and data per stored text (and plan text): a version is never changed, so what a page graded a
# moment ago (the area page before a save, or the save itself) is not graded again, in this process or in another
# worker of `spur serve` (web/app/shared.py). Both are frozen structs, shared by the pages that show them.
REPORTS = shared.Kept("report", REPORTS_KEPT)


def _report(
    text: str, name: str, plan_text: str, plan_name: str, graded: Any = None
) -> tuple[usecases.ReportInput, Any]:
    from reports.report import build_report

    plan = YamlText(plan_text, plan_name) if plan_text else None
    data = usecases.report(rules(), YamlText(text, name), plan, graded)
    return data, build_report(data.result, data.evidence, catalog(), data.plan)


def report_file(a: Assessment, fmt: str) -> str | bytes:
    from reports import views

    return views.report(report_input(a), catalog(), fmt)


def grade_json(a: Assessment) -> dict[str, Any]:
    """What `spur grade --format json` gives for the assessment's text."""
    return usecases.grade(rules(), YamlText(a.current.text, text_name(a))).to_json()


# --- starting an assessment --------------------------------------------------------------------------------------


def latest(unit: Unit) -> Assessment | None:
    return (
        Assessment.objects.filter(unit=unit, archived=False, current__isnull=False)
        .select_related("current")
        .order_by("-date", "-pk")
        .first()
    )


def start_text(unit: Unit, kind: str, day: date, copy_from: Assessment | None, assessor: str) -> str:
    """The first text of a new assessment: a copy of an earlier one (the inspectors' own parts left out of a
    self-assessment), or `spur init`'s template with the unit's details."""
    who = [assessor] if assessor else []
    if copy_from is not None:
        changes: list[tuple[tuple[str | int, ...], Any]] = [
            (("bedomning", "datum"), day),
            (("bedomning", "typ"), kind),
            (("bedomning", "bedomare"), _flow(who)),
        ]
        data = stored(copy_from.current.text)  # which sections it has (the round-trip loader is 40 times slower)
        if kind == "självvärdering":
            changes += [((key,), DELETE) for key in ("inspektorsbedomningar", "observationer", "sammanfattning")
                        if key in data]  # fmt: skip
        return edit(
            copy_from.current.text,
            changes,
            header=f"{kind.capitalize()} av {unit.name} {day.isoformat()}, "
            f"startad som kopia av {copy_from.kind}en {copy_from.date.isoformat()}.",
        )
    from reports.template import render_template

    text = render_template(catalog(), day)
    changes = [
        (("enhet", "namn"), unit.name),
        (("enhet", "vardgivare"), unit.care_provider.name),
        (("enhet", "specialitet"), unit.specialty),
        (("enhet", "region"), unit.care_provider.region.name),
        (("bedomning", "typ"), kind),
        (("bedomning", "bedomare"), _flow(who)),
    ]
    if unit.last_external_review:
        changes.append((("enhet", "senaste_externa_granskning"), unit.last_external_review))
    if kind == "självvärdering" and assessor:
        changes.append((("verksamhetschef", "namn"), assessor))
    return edit(text, changes)


def _flow(items: list[str]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def start(unit: Unit, user: Any, kind: str, day: date, copy: bool) -> Assessment:
    base = latest(unit) if copy else None
    text = start_text(unit, kind, day, base, user.get_full_name() or user.get_username())
    return _save(text, user, name=f"ny {kind}", source="webben: ny bedömning").obj


def save_text(a: Assessment, text: str, user: Any, expected: int, source: str) -> Any:
    """Save a form's text as the assessment's next version."""
    return _save(text, user, name=text_name(a), source=source, assessment=a, expected=expected)


def _save(text: str, user: Any, *, name: str, **how: Any) -> Any:
    """save_assessment, and the grading that validated the text kept as the report of the page after the save (so
    the text is graded once)."""
    graded = engine_calls.grade_text(text, name)
    saved = save_assessment(text, user, name=name, graded=graded, **how)
    if saved.created:
        _keep_report(saved.obj, graded)
    return saved


def _keep_report(a: Assessment, graded: engine_calls.Graded) -> None:
    """The report of the version just saved, made from the grading that validated it (the same text, rules and
    checks), and the form's values read from the nodes it parsed: for the page the save redirects to."""
    if graded.document is None or graded.unit_result is None:
        return
    keep_parsed(graded.document.text, graded.document.root)
    parts = _parts(a, own_plan(a))
    document = msgspec.structs.replace(graded.document, path=parts[1])  # named as the page names the text
    try:
        report = _report(*parts, graded=(document, graded.evidence, graded.unit_result))
    except SpurError:  # e.g. a plan that no longer matches: the page says so when it grades the text itself
        return
    REPORTS.put(parts, report)


# --- the handlingsplan -------------------------------------------------------------------------------------------


def draft_plan(a: Assessment, user: Any, day: date) -> Plan:
    """A new handlingsplan drafted from the assessment, as `spur plan` writes it, saved in the store."""
    draft = usecases.plan(rules(), YamlText(a.current.text, text_name(a)), plan_date=max(day, a.date))
    return save_plan(draft.text, user, source="webben: utkast från bedömningen").obj


def save_plan_text(plan: Plan, text: str, user: Any, expected: int) -> Any:
    return save_plan(text, user, plan=plan, expected=expected, source="webben", name="handlingsplanen")


def owners(a: Assessment) -> list[str]:
    """Who can own a plan row: each role as `spur plan` names it in a draft ("Verksamhetschefen (Karin Lindqvist)"),
    then each handledare of the unit by name."""
    from engine.plan import owner

    cat = catalog()
    evidence = engine_calls.grade_text(a.current.text, text_name(a)).evidence
    named = [owner(role, evidence, cat) for role in cat.vocabulary["roles"]]
    return list(dict.fromkeys([*named, *(h.namn for h in evidence.handledare or [])]))


def plan_view(plan: Plan) -> Any:
    from reports.plan_view import plan_view as view

    return view(engine_calls.plan_from_json(plan.current.data), catalog())
