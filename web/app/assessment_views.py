"""The unit's page and an assessment's pages: overview, the evidence form by area, people, the unit's details,
YAML import and export, the report's downloads, the inspectors' comparison and overrides."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_http_methods, require_POST

from evidence.errors import InputError, SpurError
from evidence.terms import ASSESSMENT_KINDS as KINDS
from web.app import access, actions
from web.app import evidence_form as ef
from web.app.render import page
from web.store.models import Assessment
from web.store.permissions import CHANGE, READ, allowed
from web.store.versions import VersionConflict

SAME_DAY = "Enheten har redan en bedömning av den typen det datumet. Välj ett annat datum eller en annan typ."
UPLOAD_LIMIT = 1024 * 1024  # as a file `spur grade` reads (evidence/yamlsafe.py MAX_BYTES)


@access.login_required
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit(request.user, pk)
    assessments = list(
        Assessment.objects.filter(unit=unit, archived=False, current__isnull=False)
        .select_related("current")
        .order_by("-date", "-pk")
    )
    plans = {a.pk: actions.own_plan(a) for a in assessments}
    may_start = [k for k in KINDS if allowed(request.user, CHANGE, Assessment(unit=unit, kind=k, date=date.today()))]
    return page(
        request, "unit.html.j2", title=unit.name, unit=unit, assessments=assessments, plans=plans,
        may_start=may_start, today=date.today(),
    )  # fmt: skip


@access.login_required
@require_POST
def start_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit(request.user, pk)
    kind = request.POST.get("typ", "")
    if kind not in KINDS:
        raise Http404("okänd typ")
    try:
        day = date.fromisoformat(request.POST.get("datum", ""))
    except ValueError:
        day = date.today()
    if not allowed(request.user, CHANGE, Assessment(unit=unit, kind=kind, date=day)):
        return page(request, "fel.html.j2", 403, title="Åtkomst nekad",
                    message=f"Du har ingen roll som får starta en {kind}.")  # fmt: skip
    try:
        a = actions.start(unit, request.user, kind, day, request.POST.get("start") == "kopia")
    except SpurError as exc:
        return page(
            request, "fel.html.j2", 400, title="Bedömningen kunde inte startas", message=" ".join(exc.messages())
        )
    return HttpResponseRedirect(f"/bedomning/{a.pk}/")


def _context(request: HttpRequest, a: Assessment, plan: Any = True) -> dict[str, Any]:
    cat = actions.catalog()
    return {
        "a": a,
        "unit": a.unit,
        "areas": [(ar.letter, ar.title) for ar in cat.areas],
        "may_change": allowed(request.user, CHANGE, a),
        "plan": actions.own_plan(a) if plan is True else plan,
    }


@access.login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.assessment(request.user, pk)
    plan = actions.own_plan(a)
    rep, data = actions.report_view(a, plan)
    others = Assessment.objects.filter(unit=a.unit, archived=False, current__isnull=False).exclude(pk=a.pk)
    return page(
        request, "assessment.html.j2", title=f"{a.kind.capitalize()} {a.date.isoformat()}", rep=rep,
        warnings=data.warnings, others=list(others.order_by("-date")), **_context(request, a, plan),
    )  # fmt: skip


def _save(request: HttpRequest, a: Assessment, where: str) -> tuple[dict[str, list[str]], str, Any]:
    """Apply the posted fields to the current text and save it; (errors by key path, message, data to show)."""
    text = a.current.text
    data = ef.stored(text)
    changes, removals = ef.changes_from(request.POST, data)
    if not changes and not removals:
        return {}, "Inget ändrades.", data
    new_text = ef.apply(text, changes, removals)
    try:
        expected = int(request.POST.get("version", "0"))
    except ValueError:
        expected = 0
    try:
        actions.save_text(a, new_text, request.user, expected, f"webben: {where}")
    except VersionConflict as exc:
        return {"": exc.messages()}, "", ef.load(new_text)
    except InputError as exc:
        return ef.field_errors(exc.messages()), "", ef.load(new_text)
    except SpurError as exc:  # e.g. a kind of assessment the user may not write (NotAllowed)
        return {"": exc.messages()}, "", ef.load(new_text)
    except IntegrityError:
        return {"": [SAME_DAY]}, "", ef.load(new_text)
    return {}, "sparad", None


def _attach(nodes: list[ef.Input], errors: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """Errors onto their inputs; the summary's (message, link target, field label) for every error."""
    summary = []
    by_name = {n.name: n for n in ef.walk(nodes)}
    for key, messages in errors.items():
        node = by_name.get(key)
        if node is None:  # e.g. a required field not on this page, or a conflict
            summary += [(m if not key else f"{key}: {m}", "", "") for m in messages]
            continue
        node.errors = messages
        summary += [(m, node.id, node.label) for m in messages]
    return summary


@access.login_required
@require_http_methods(["GET", "POST"])
def area(request: HttpRequest, pk: int, letter: str) -> HttpResponse:
    a = access.assessment(request.user, pk, CHANGE if request.method == "POST" else READ)
    cat = actions.catalog()
    if letter not in {ar.letter for ar in cat.areas}:
        raise Http404("okänt område")
    errors: dict[str, list[str]] = {}
    data = None
    if request.method == "POST":
        errors, message, data = _save(request, a, f"område {letter}")
        if not errors:
            return HttpResponseRedirect(
                f"/bedomning/{a.pk}/omrade/{letter}/?{'sparad=1' if message == 'sparad' else 'oforandrad=1'}#resultat"
            )
        a = access.assessment(request.user, pk)
    shown = data if data is not None else ef.stored(a.current.text)
    questions = ef.area_questions(cat, letter, shown)
    # the inspectors' prose for the area (löptext, styrkor, svagheter, förbättringspotential), not the unit's
    observations = ef.observation_inputs(shown, letter) if a.kind != "självvärdering" else []
    summary = _attach([*(i for q in questions for i in q.inputs), *observations], errors)
    plan = actions.own_plan(a)
    rep, _ = actions.report_view(a, plan)
    view = next(v for v in rep.areas if v.result.area == letter)
    title = next(ar.title for ar in cat.areas if ar.letter == letter)
    # what stands between the area and a better grade: each unmet requirement with the catalogue's remedy
    to_fix = [(r, cat.by_id[r.id].remediation) for r in view.result.requirements if r.outcome == "unmet"]
    return page(
        request, "area.html.j2", 400 if errors else 200, title=f"Område {letter}. {title}", letter=letter,
        area_title=title, questions=questions, summary=summary, rep=rep, view=view, observations=observations, to_fix=to_fix,
        saved=request.GET.get("sparad") == "1", unchanged=request.GET.get("oforandrad") == "1",
        **_context(request, a, plan),
    )  # fmt: skip


@access.login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, pk: int) -> HttpResponse:
    return _sections(request, pk, "personer", ef.people_inputs, "Personer")


@access.login_required
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest, pk: int) -> HttpResponse:
    return _sections(request, pk, "uppgifter", ef.unit_inputs, "Enhet och bedömning")


def _sections(request: HttpRequest, pk: int, slug: str, inputs: Any, title: str) -> HttpResponse:
    a = access.assessment(request.user, pk, CHANGE if request.method == "POST" else READ)
    errors: dict[str, list[str]] = {}
    data = None
    if request.method == "POST":
        errors, message, data = _save(request, a, title.lower())
        if not errors:
            return HttpResponseRedirect(
                f"/bedomning/{a.pk}/{slug}/?{'sparad=1' if message == 'sparad' else 'oforandrad=1'}"
            )
        a = access.assessment(request.user, pk)
    nodes = inputs(data if data is not None else ef.stored(a.current.text))
    summary = _attach(nodes, errors)
    return page(
        request, "sections.html.j2", 400 if errors else 200, title=title, nodes=nodes, summary=summary, slug=slug,
        saved=request.GET.get("sparad") == "1", unchanged=request.GET.get("oforandrad") == "1",
        **_context(request, a),
    )  # fmt: skip


@access.login_required
def export_yaml(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.assessment(request.user, pk)
    response = HttpResponse(a.current.text, content_type="application/yaml; charset=utf-8")
    name = f"{a.unit.name}-{a.date.isoformat()}-{a.kind}.yaml".replace(" ", "_")
    response["Content-Disposition"] = _attachment(name)
    return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@access.login_required
@require_POST
def import_yaml(request: HttpRequest, pk: int) -> HttpResponse:
    """A YAML file as the assessment's next version: validated exactly as `spur grade` reads a file."""
    a = access.assessment(request.user, pk, CHANGE)
    upload = request.FILES.get("fil")
    problems: list[str] = []
    if upload is None:
        problems = ["Välj en YAML-fil att importera."]
    elif upload.size > UPLOAD_LIMIT:
        problems = [
            f"{upload.name}: filen är större än 1 MB. En evidensfil är mycket mindre; kontrollera att det är rätt fil."
        ]
    else:
        raw = upload.read(UPLOAD_LIMIT + 1)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems = [f"{upload.name}: filen är inte UTF-8-kodad text. Spara den som UTF-8 och försök igen."]
        else:
            try:
                expected = int(request.POST.get("version", "0"))
                actions.save_text(a, text, request.user, expected, f"webben: import av {upload.name}"[:500])
            except SpurError as exc:
                problems = exc.messages()
            except IntegrityError:
                problems = [SAME_DAY]
            except ValueError:
                problems = ["Formuläret saknar version. Ladda om sidan och försök igen."]
    if problems:
        return page(request, "import_error.html.j2", 400, title="Importen misslyckades", problems=problems,
                    **_context(request, a))  # fmt: skip
    return HttpResponseRedirect(f"/bedomning/{a.pk}/?importerad=1")


REPORT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@access.login_required
def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    a = access.assessment(request.user, pk)
    if fmt not in REPORT_TYPES:
        raise Http404("okänt format")
    try:
        body = actions.report_file(a, fmt)
    except SpurError as exc:
        return page(request, "fel.html.j2", 500, title="Rapporten kunde inte skapas", message=" ".join(exc.messages()))
    response = HttpResponse(body, content_type=REPORT_TYPES[fmt])
    name = f"SPUR-rapport {a.unit.name} {a.date.isoformat()}.{fmt}"
    response["Content-Disposition"] = _attachment(name)
    if fmt == "html":  # the report's own policy: it loads nothing, and its inline style is its own
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"
        )
    return response


# --- the inspectors ----------------------------------------------------------------------------------------------


def _outcomes(a: Assessment | None) -> dict[str, dict[str, Any]]:
    if a is None:
        return {}
    return {r["id"]: r for area in a.current.result["areas"] for r in area["requirements"]}


@access.login_required
@require_http_methods(["GET", "POST"])
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's latest self-assessment beside this assessment, requirement by requirement; the inspectors'
    override (utfall with motivering) per requirement."""
    a = access.assessment(request.user, pk, CHANGE if request.method == "POST" else READ)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        errors, message, _ = _save(request, a, "inspektörernas bedömning")
        if not errors:
            return HttpResponseRedirect(
                f"/bedomning/{a.pk}/jamfor/?{'sparad=1' if message == 'sparad' else 'oforandrad=1'}"
            )
        a = access.assessment(request.user, pk)
    own = (
        Assessment.objects.filter(
            unit=a.unit, kind="självvärdering", archived=False, current__isnull=False, date__lte=a.date
        )
        .exclude(pk=a.pk)
        .select_related("current")
        .order_by("-date", "-pk")
        .first()
    )
    mine, theirs = _outcomes(a), _outcomes(own)
    words = actions.catalog().vocabulary["outcomes"]
    data = ef.stored(a.current.text)
    rows = []
    for ar in actions.catalog().areas:
        for req in ar.requirements:
            m, t = mine.get(req.id), theirs.get(req.id)
            differs = bool(m and t and m["outcome"] != t["outcome"])
            override = ef.get(data, ("inspektorsbedomningar", req.id)) or {}
            rows.append({
                "req": req, "area": ar.letter, "mine": m, "theirs": t, "differs": differs,
                "direction": "unit_yes" if differs and t["outcome"] == "met" else "unit_no" if differs else "",
                "utfall": ef.show_value(override.get("utfall")), "motivering": ef.show_value(override.get("motivering")),
                "errors": errors.get(f"inspektorsbedomningar.{req.id}.utfall", []) + errors.get(f"inspektorsbedomningar.{req.id}.motivering", []),
            })  # fmt: skip
    other = [m for k, ms in errors.items() if not k.startswith("inspektorsbedomningar.") for m in ms]
    return page(
        request, "compare.html.j2", 400 if errors else 200, title="Jämförelse med självvärderingen", own=own,
        rows=rows, words=words, other_errors=other, saved=request.GET.get("sparad") == "1",
        differences=sum(1 for r in rows if r["differs"]), **_context(request, a),
    )  # fmt: skip


@access.login_required
def grade_json(request: HttpRequest, pk: int) -> HttpResponse:
    from reports.render import to_json

    a = access.assessment(request.user, pk)
    return HttpResponse(to_json(actions.grade_json(a)), content_type="application/json; charset=utf-8")
