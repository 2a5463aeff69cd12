"""Every view finds its object through these functions, which apply the store's permission rules
(web/store/permissions.py): an object of a unit the user may not read is 404 (its existence stays hidden), an
object the user may read but not change is 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from web.store.models import ROLES, Assessment, Plan, Unit
from web.store.permissions import CHANGE, READ, allowed, memberships, visible_units


def roles_of(user: Any) -> list[str]:
    """The user's roles, in the order of ROLES (a superuser is an administrator)."""
    have = {m.role for m in memberships(user)}
    if user.is_superuser:
        have.add("administrator")
    return [r for r in ROLES if r in have]


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or not request.user.is_active:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _check(user: Any, action: str, obj: Any) -> None:
    if not allowed(user, READ, obj):
        raise Http404("finns inte")
    if action == CHANGE and not allowed(user, CHANGE, obj):
        raise PermissionDenied("Du har ingen roll som får ändra detta.")


def unit(user: Any, pk: int, action: str = READ) -> Unit:
    found = visible_units(user).filter(pk=pk, archived=False).select_related("care_provider__region").first()
    if found is None:
        raise Http404("finns inte")
    _check(user, action, found)
    return found


# The current version's stored JSON (the validated evidence, the result): the pages grade from the text (cached per
# text, web/app/actions.py), so it is read only where a page uses it (the comparison's outcomes).
BULKY = ("current__data", "current__result")


def assessment(user: Any, pk: int, action: str = READ) -> Assessment:
    found = (
        Assessment.objects.filter(pk=pk, archived=False, current__isnull=False)
        .select_related("unit__care_provider__region", "current")
        .defer(*BULKY)
        .first()
    )
    if found is None:
        raise Http404("finns inte")
    _check(user, action, found)
    return found


def plan(user: Any, pk: int, action: str = READ) -> Plan:
    found = (
        Plan.objects.filter(pk=pk, archived=False, current__isnull=False)
        .select_related("assessment__unit__care_provider__region", "current", "assessment__current")
        .first()
    )
    if found is None:
        raise Http404("finns inte")
    _check(user, action, found)
    return found


def may(user: Any, action: str, obj: Any) -> bool:
    return allowed(user, action, obj)
