"""The handlingsplan (draft, edit, the inspectors' decisions), the studierektor's follow-up with its calendar
subscription, the region's dashboard and the audit trail."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from evidence.errors import InputError, SpurError
from web.app import access, actions
from web.app import evidence_form as ef
from web.app.render import page
from web.store.models import CalendarToken, Plan
from web.store.permissions import CHANGE, READ, allowed
from web.store.versions import VersionConflict


@access.login_required
@require_POST
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.assessment(request.user, pk)
    if actions.own_plan(a) is not None:
        return HttpResponseRedirect(f"/handlingsplan/{actions.own_plan(a).pk}/")
    if not allowed(request.user, CHANGE, Plan(assessment=a)):
        return page(request, "fel.html.j2", 403, title="Åtkomst nekad",
                    message="Du har ingen roll som får skriva handlingsplanen.")  # fmt: skip
    try:
        plan = actions.draft_plan(a, request.user, date.today())
    except SpurError as exc:
        return page(
            request, "fel.html.j2", 400, title="Handlingsplanen kunde inte skapas", message=" ".join(exc.messages())
        )
    return HttpResponseRedirect(f"/handlingsplan/{plan.pk}/")


EDITABLE = (
    "planerad_atgard", "datum_genomford", "ansvarig_genomforande", "datum_uppfoljning", "ansvarig_uppfoljning",
    "status", "status_datum", "uppfoljning_gjord", "anteckningar", "godkand", "godkand_kommentar",
)  # fmt: skip
INSPECTORS_ONLY = ("godkand", "godkand_kommentar")


def _rows(plan: Plan, data: Any, user: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    from evidence.plan import PlanRad

    specs = {s.key: s for s in ef.model_specs(PlanRad)}
    inspector = _is_inspector(user, plan)
    owners = actions.owners(plan.assessment)
    rows = []
    for i, row in enumerate(ef.get(data, ("rader",)) or []):
        inputs = []
        for key in EDITABLE:
            if key in INSPECTORS_ONLY and not inspector:
                continue
            node = ef.build(data, ("rader", i, key), specs[key])
            node.errors = errors.get(node.name, [])
            inputs.append(node)
        rows.append({"n": i + 1, "row": row, "inputs": inputs, "owners": owners,
                     "godkand": ef.show_value(row.get("godkand")), "kommentar": ef.show_value(row.get("godkand_kommentar"))})  # fmt: skip
    return rows


def _is_inspector(user: Any, plan: Plan) -> bool:
    from web.store.permissions import covers, memberships, place

    where = place(plan)
    return user.is_superuser or any(m.role == "inspektor" and covers(m, where) for m in memberships(user))


@access.login_required
@require_http_methods(["GET", "POST"])
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    from evidence.plan import Handlingsplan

    plan = access.plan(request.user, pk, CHANGE if request.method == "POST" else READ)
    errors: dict[str, list[str]] = {}
    conflict = None
    refused = None
    if request.method == "POST":
        text = plan.current.text
        data = ef.load(text)
        allowed_keys = {f"rader[{i + 1}].{k}" for i in range(len(ef.get(data, ('rader',)) or [])) for k in EDITABLE
                        if k not in INSPECTORS_ONLY or _is_inspector(request.user, plan)} | {"inlamnad"}  # fmt: skip
        posted = {k: request.POST.get(k, "") for k in request.POST if k in allowed_keys}
        changes, _ = ef.changes_from(posted, data, Handlingsplan)
        if changes:
            new_text = None
            try:
                expected = int(request.POST.get("version", "0"))
                new_text = ef.apply(text, changes, [])
                actions.save_plan_text(plan, new_text, request.user, expected)
            except VersionConflict as exc:
                conflict = exc
            except InputError as exc:
                errors = ef.field_errors(exc.messages())
                refused = new_text  # shown as typed, with the errors at their fields: nothing written is lost
            except SpurError as exc:
                errors = {"": exc.messages()}
            except ValueError:
                errors = {"": ["Formuläret saknar version. Ladda om sidan och försök igen."]}
            if not errors and conflict is None:
                return HttpResponseRedirect(f"/handlingsplan/{plan.pk}/?sparad=1")
        else:
            return HttpResponseRedirect(f"/handlingsplan/{plan.pk}/?oforandrad=1")
        plan = access.plan(request.user, pk)
    data = ef.load(refused or plan.current.text)
    view = actions.plan_view(plan)
    rows = _rows(plan, data, request.user, errors)
    for r, v in zip(rows, view.rows, strict=True):
        r["warnings"] = v.warnings
    result = _regraded(plan)
    return page(
        request, "plan.html.j2", 409 if conflict else 400 if errors else 200, title="Handlingsplan", plan=plan,
        a=plan.assessment, unit=plan.assessment.unit, rows=rows, pv=view, areas=_areas(result, rows),
        stored_verdicts=plan.verdicts if result is None else {},
        late=result.plan_late if result else view.late,
        conflict=conflict, other_errors=[m for k, ms in errors.items() if not k.startswith("rader[") for m in ms],
        inlamnad=ef.show_value(ef.get(data, ("inlamnad",))), may_change=allowed(request.user, CHANGE, plan),
        saved=request.GET.get("sparad") == "1",
        overdue_unsubmitted=bool(not plan.submitted and plan.deadline and _day(request) > plan.deadline),
        inspector=_is_inspector(request.user, plan),
    )  # fmt: skip


def _regraded(plan: Plan) -> Any:
    """The assessment graded with this plan, as `spur report` grades them (engine/regrade.py): each area's verdict
    and the tool's warnings on its rows; None when the stored texts no longer go together."""
    try:
        return actions.report_input(plan.assessment).result
    except SpurError:
        return None


def _areas(result: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per area with a verdict or a warning: the verdict, its reasons, and the plan rows the warnings are on."""
    if result is None:
        return []
    out = []
    for a in result.areas:
        ids = {r.id for r in a.requirements}
        warned = [r for r in rows if r["row"].get("krav") in ids and r["warnings"]]
        if a.plan_verdict or warned:
            out.append({"area": a, "warned": warned})
    return out


# --- follow-up ---------------------------------------------------------------------------------------------------


def _day(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("idag", ""))
    except ValueError:
        return date.today()


@access.login_required
def followup(request: HttpRequest) -> HttpResponse:
    """Every plan row the user follows, grouped as `spur followup` groups them."""
    from engine.followup import STATES
    from engine.wording import agree
    from reports.followup_view import LABEL
    from web.store import usecases as store
    from web.store.queries import current_plans

    day = _day(request)
    state = store.followup(request.user.get_username(), day)
    _, _, records = current_plans(request.user)
    plan_of = {p.assessment.unit.name: p for p in records}
    # each item links to its row of the plan, where genomförd and uppföljning gjord are recorded
    row_of = {
        (p.assessment.unit.name, row.get("krav")): n + 1
        for p in records
        for n, row in enumerate(p.current.data.get("rader", []))
    }
    groups = [(s, LABEL[s], agree(2, LABEL[s]), [i for i in state.items if i.state == s]) for s in STATES]
    tokens = CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True).order_by("-created_at")
    return page(
        request, "followup.html.j2", title="Uppföljning", groups=groups, today=day, within=state.within,
        plan_of=plan_of, row_of=row_of, tokens=list(tokens), new_url=request.session.pop("new_calendar_url", None),
    )  # fmt: skip


@access.login_required
@require_POST
def calendar_new(request: HttpRequest) -> HttpResponse:
    secret = secrets.token_urlsafe(32)
    CalendarToken.objects.create(user=request.user, token_sha256=hashlib.sha256(secret.encode()).hexdigest())
    request.session["new_calendar_url"] = request.build_absolute_uri(f"/kalender/{secret}.ics")
    return HttpResponseRedirect("/uppfoljning/#kalender")


@access.login_required
@require_POST
def calendar_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        token = CalendarToken.objects.filter(pk=pk, user=request.user, revoked_at__isnull=True).first()
        if token is None:
            raise Http404("finns inte")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return HttpResponseRedirect("/uppfoljning/#kalender")


def calendar(request: HttpRequest, secret: str) -> HttpResponse:
    """The subscription itself: no login (a calendar program cannot log in); the secret in the address is the key,
    and it reads exactly what its user may read, today."""
    from reports import views
    from web.store import usecases as store

    token = (
        CalendarToken.objects.filter(token_sha256=hashlib.sha256(secret.encode()).hexdigest(), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        raise Http404("finns inte")
    state = store.followup(token.user.get_username(), date.today())
    response = HttpResponse(views.followup(state, "ics"), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# --- the region --------------------------------------------------------------------------------------------------


@access.login_required
def region(request: HttpRequest) -> HttpResponse:
    """The dashboard of `spur batch --db`, live from the store, with the yearly figures of `spur region-report`."""
    from reports.batch_view import cells
    from web.store import usecases as store
    from web.store.models import Unit
    from web.store.permissions import visible_units
    from web.store.queries import grade_trends

    units = visible_units(request.user).filter(archived=False).select_related("care_provider__region")
    providers = sorted({u.care_provider.name for u in units})
    specialties = sorted({u.specialty for u in units})
    chosen_provider = request.GET.get("vardgivare", "")
    chosen_specialty = request.GET.get("specialitet", "")
    result = store.batch(request.user.get_username())
    # a batch row names its unit and, as its file, where it is: two units may share a name
    by_name: dict[tuple[str, str], Unit] = {(u.name, u.care_provider.where): u for u in units}
    trends = grade_trends(request.user, chosen_provider or None, chosen_specialty or None)
    rows = []
    for row in result.graded:
        u = by_name.get((row.unit or "", row.file))
        if u is None:
            continue
        if chosen_provider and u.care_provider.name != chosen_provider:
            continue
        if chosen_specialty and u.specialty != chosen_specialty:
            continue
        shown = [{**c, "notes": [n for n in c["notes"] if not n.startswith("oförändrat")]} for c in cells(result, row)]
        rows.append({"row": row, "unit": u, "cells": shown, "series": trends.get(u.pk, [])})
    try:
        year = int(request.GET.get("ar", "")) if request.GET.get("ar") else date.today().year
    except ValueError:
        year = date.today().year
    figures = store.region_figures(request.user.get_username(), max(2000, min(year, 2100)))
    return page(
        request, "region.html.j2", title="Regionens översikt", result=result, rows=rows, providers=providers,
        specialties=specialties, chosen_provider=chosen_provider, chosen_specialty=chosen_specialty,
        figures=figures, year=year,
    )  # fmt: skip


@access.login_required
def audit(request: HttpRequest) -> HttpResponse:
    from web.store.permissions import visible_audit

    events = list(visible_audit(request.user).order_by("-at", "-id")[:200])
    if not events and not request.user.is_superuser:
        from web.store.permissions import grants, memberships

        if not any(grants(m.role, "granskningslogg", READ) for m in memberships(request.user)):
            return page(request, "fel.html.j2", 403, title="Åtkomst nekad",
                        message="Granskningsloggen läses av administratörer.")  # fmt: skip
    from web.store.audit import ACTIONS

    return page(request, "audit.html.j2", title="Granskningslogg", events=events, action_words=ACTIONS)
