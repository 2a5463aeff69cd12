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
    return base.overlay(
        loader=ChoiceLoader([PackageLoader("web.app", "templates"), base.loader]), extensions=["jinja2.ext.do"]
    )


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
