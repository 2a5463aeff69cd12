"""Pages are rendered with the jinja2 environment of reports/ (its filters and macros), with this app's templates
first: a page that is also a report (an area's grades, the plan table, the dashboard) uses the report's macros."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token


@cache
def environment() -> Any:
    from jinja2 import ChoiceLoader, PackageLoader

    from reports.render import environment as report_environment

    base = report_environment(True)
    env = base.overlay(
        loader=ChoiceLoader([PackageLoader("web.app", "templates"), base.loader]), extensions=["jinja2.ext.do"]
    )
    env.filters.update(
        first_upper=first_upper,
        local_time=local_time,
        words_only=_words_only,
        plain_warning=plain_warning,
        on_the_web=area_on_the_web,
    )
    return env


def first_upper(text: str) -> str:
    """A label as a heading or a form shows it: the first letter a capital, the rest as written ('IUP upprättad',
    'enhetens namn' -> 'Enhetens namn'); jinja's `capitalize` would lower the rest."""
    return text[:1].upper() + text[1:]


def local_time(moment: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time (UTC) in the app's time zone (settings.TIME_ZONE, Europe/Stockholm), as a Swedish user reads
    the clock."""
    from django.utils import timezone

    return timezone.localtime(moment).strftime(fmt)


def _words_only(reason: str) -> str:
    from reports.report import words_only

    return words_only(reason)


def area_on_the_web(view: Any) -> Any:
    """An area of the report (reports/report.py AreaView) as an area page shows it: the report's note 'se utkastet
    under HANDLINGSPLAN' points to a section the page does not have; the page says where the plan is drafted."""
    from msgspec.structs import replace

    note = view.plan_note
    if not note or "under HANDLINGSPLAN" not in note:
        return view
    return replace(view, plan_note=note.replace("se utkastet under HANDLINGSPLAN", WEB_PLAN_NOTE))


WEB_PLAN_NOTE = "skapa ett utkast under Handlingsplan på bedömningens översikt"


def plain_warning(line: str) -> str:
    """A warning of the loader as the CLI prints it ('Enhet 2026-11-30 (självvärdering):122:5:
    st_lakare[1].senaste_kompetensbedomning: …') without the file position and with the field's Swedish name
    ('ST-läkare 1, senaste dokumenterade kompetensbedömning: …'): nobody in the web app reads the YAML file."""
    from web.app.evidence_form import located, parse_name, spec_at

    found = located(line)
    loc = parse_name(found[0]) if found else None
    if found is None or loc is None:
        return line
    names: list[str] = []
    for n, part in enumerate(loc):
        if isinstance(part, int):
            if names:
                names[-1] += f" {part + 1}"
            continue
        spec = spec_at(loc[: n + 1])
        names.append(spec.title if spec else str(part))
    return first_upper(", ".join(names)) + ": " + found[1]


def page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    from web.app.access import roles_of

    user = getattr(request, "user", None)
    context.setdefault("title", "")
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            user=user if user is not None and user.is_authenticated else None,
            roles=roles_of(user) if user is not None and user.is_authenticated else [],
            csrf_token=get_token(request),
            **context,
        )
    )
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


@cache
def report_css() -> str:
    """The reports' stylesheet (reports/templates/style.css.j2), served as a file: pages carry no inline style."""
    from reports.render import environment as report_environment

    return report_environment(True).get_template("style.css.j2").render()


def warm_up() -> None:
    """What every worker of `spur serve` would otherwise build on its first requests, built once before gunicorn
    forks them (shared, copy-on-write): the catalogue and the compiled rules, every template compiled, the
    stylesheet, the form's field specs, the Swedish hyphenation dictionary of the report's tables."""
    from evidence.model import Evidens
    from reports.plan_view import soft_hyphens
    from web.app import actions
    from web.app.evidence_form import model_specs
    from web.store import engine_calls

    actions.rules().evaluator  # noqa: B018 - the pages' rules compiled (durable_rules) once, before the fork
    engine_calls.evaluator()  # and the store's, which grades a save
    env = environment()
    for name in env.list_templates(filter_func=lambda n: n.endswith(".j2")):
        env.get_template(name)
    report_css()
    model_specs(Evidens)
    soft_hyphens("uppföljningsrutinerna")  # pyphen's dictionary, ~0.1 s of each worker's first area page
