"""The web app's pages. Each view finds its objects through web/app/access.py (the store's permission rules), calls
web/app/actions.py or a use case, and renders a template; none holds domain logic."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_http_methods, require_POST

from web.app import access, security
from web.app.render import page, report_css
from web.store.models import ROLES, Assessment, Plan
from web.store.permissions import CHANGE, visible_units

STATIC = Path(__file__).parent / "static"
CONTENT_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def static(request: HttpRequest, name: str) -> HttpResponse:
    if name == "rapport.css":
        response = HttpResponse(report_css(), content_type=CONTENT_TYPES[".css"])
    else:
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file() or path.suffix not in CONTENT_TYPES:
            raise Http404("finns inte")
        response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES[path.suffix])
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    username = ""
    status = 200
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        wait = security.throttled(request, username)
        if wait:
            minutes = (wait + 59) // 60
            error = (
                f"För många misslyckade inloggningar. Försök igen om {minutes} "
                f"{'minut' if minutes == 1 else 'minuter'}."
            )
            status = 429
        else:
            user = authenticate(request, username=username, password=request.POST.get("password", ""))
            if user is None:
                security.failed(request, username)
                error = "Fel användarnamn eller lösenord."
                status = 200
            else:
                security.succeeded(request, username)
                login(request, user)
                from django.utils.http import url_has_allowed_host_and_scheme

                target = request.POST.get("next") or "/"
                safe = url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/")
                return HttpResponseRedirect(target if safe else "/")
    return page(
        request, "login.html.j2", status, title="Logga in", error=error, username=username,
        next=request.GET.get("next") or request.POST.get("next") or "",
    )  # fmt: skip


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect("/logga-in/")


def accessibility(request: HttpRequest) -> HttpResponse:
    return page(request, "tillganglighet.html.j2", title="Tillgänglighetsredogörelse")


@access.login_required
def start(request: HttpRequest) -> HttpResponse:
    """The start page: what each of the user's roles does, and the units the user may read."""
    from web.store.permissions import named_memberships

    user = request.user
    units = list(visible_units(user).filter(archived=False).select_related("care_provider__region"))
    latest: dict[int, list[Assessment]] = {}
    for a in (
        Assessment.objects.filter(unit__in=units, archived=False, current__isnull=False)
        .order_by("unit_id", "-date", "-pk")
        .select_related("unit")
    ):
        latest.setdefault(a.unit_id, []).append(a)
    plans = {
        p.assessment_id: p
        for p in Plan.objects.filter(assessment__unit__in=units, archived=False, current__isnull=False)
    }
    where = [(ROLES[m.role], str(m.target)) for m in named_memberships(user)]
    return page(
        request, "start.html.j2", title="Start", units=units, latest=latest, plans=plans, where=where,
    )  # fmt: skip


def _today(request: HttpRequest) -> date:
    """The date the page acts as of: ?idag=ÅÅÅÅ-MM-DD (to see a follow-up as of a day), else today."""
    try:
        return date.fromisoformat(request.GET.get("idag", ""))
    except ValueError:
        return date.today()


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return page(request, "fel.html.j2", 403, title="Åtkomst nekad",
                message="Du har ingen roll som får göra detta.")  # fmt: skip


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return page(request, "fel.html.j2", 404, title="Sidan finns inte",
                message="Sidan finns inte, eller så har du inte behörighet att se den.")  # fmt: skip


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return page(request, "fel.html.j2", 400, title="Felaktig begäran",
                message="Begäran kunde inte tolkas. Gå tillbaka och försök igen.")  # fmt: skip


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return page(request, "fel.html.j2", 403, title="Formuläret har gått ut",
                message="Formuläret kunde inte skickas (säkerhetskontrollen misslyckades). Ladda om sidan och försök igen.")  # fmt: skip


def server_error(request: HttpRequest) -> HttpResponse:
    return page(request, "fel.html.j2", 500, title="Internt fel",
                message="Ett internt fel uppstod. Försök igen; kvarstår felet, kontakta administratören.")  # fmt: skip


__all__ = ["CHANGE"]
