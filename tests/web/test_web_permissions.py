"""Every address of the web app, requested as every role for objects of another unit and of another region, gives
403 or 404 and never the object's data. A new address without a case here fails `test_every_address_is_covered`."""

from __future__ import annotations

import pytest

# Per URL name: which object fills its <pk>, and whether it is also posted to.
CASES = {
    "unit": ("unit", False),
    "start_assessment": ("unit", True),
    "assessment": ("assessment", False),
    "area": ("assessment", True),
    "people": ("assessment", True),
    "details": ("assessment", True),
    "export": ("assessment", False),
    "import": ("assessment", True),
    "grade_json": ("assessment", False),
    "report": ("assessment", False),
    "compare": ("assessment", True),
    "draft_plan": ("assessment", True),
    "plan": ("plan", True),
    "calendar_revoke": ("token", True),
}
# Addresses that name no object of a unit: each user sees only what its roles allow there (tested in test_pages.py).
NO_OBJECT = {
    "start",
    "login",
    "logout",
    "accessibility",
    "static",
    "followup",
    "calendar_new",
    "calendar",
    "region",
    "audit",
}
ROLES = ("inspektor", "verksamhetschef", "studierektor", "regional_studierektor", "administrator")


def test_every_address_is_covered():
    from web.app.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(CASES) | NO_OBJECT


def _url(name: str, pk: int) -> list[str]:
    from django.urls import reverse

    if name == "area":
        return [reverse(name, args=[pk, "D"])]
    if name == "report":
        return [reverse(name, args=[pk, f]) for f in ("html", "pdf", "docx")]
    return [reverse(name, args=[pk])]


@pytest.fixture
def outsiders(demo, db):
    """Users of every role placed on Linden (a unit), and on Region Norrland (another region); the objects of
    another unit (Eken, same care provider) and of another region (Björken)."""
    from django.contrib.auth import get_user_model

    from web.store.models import Assessment, CalendarToken, Plan, Region, Unit
    from web.store.people import add_membership

    users = []
    linden = Unit.objects.get(name="Vårdcentralen Linden")
    norrland = Region.objects.get(name="Region Norrland")
    for role in ROLES:
        if role != "regional_studierektor":
            u = get_user_model().objects.create_user(f"enhet_{role}", password="x" * 16)
            add_membership(u, role, linden, None)
            users.append((u, ("Vårdcentralen Eken", "Vårdcentralen Björken")))
        u = get_user_model().objects.create_user(f"norr_{role}", password="x" * 16)
        add_membership(u, role, norrland, None)
        users.append((u, ("Vårdcentralen Eken", "Vårdcentralen Linden", "Hälsocentralen Aspen")))
    owner = get_user_model().objects.get(username="studierektor")
    token = CalendarToken.objects.create(user=owner, token_sha256="0" * 64)
    objects = {}
    for name in ("Vårdcentralen Eken", "Vårdcentralen Björken", "Vårdcentralen Linden", "Hälsocentralen Aspen"):
        unit = Unit.objects.get(name=name)
        assessment = Assessment.objects.filter(unit=unit).order_by("-date").first()
        plan = Plan.objects.filter(assessment__unit=unit).first()
        if plan is None:  # every unit gets a plan, so that every plan address has an object to refuse
            from datetime import date

            from web.app.actions import draft_plan

            plan = draft_plan(assessment, None, date(2026, 1, 1))
        objects[name] = {"unit": unit.pk, "assessment": assessment.pk, "plan": plan.pk, "token": token.pk}
    return users, objects


def test_no_role_reaches_another_units_or_regions_objects(outsiders):
    from django.test import Client

    users, objects = outsiders
    checked = 0
    for user, foreign in users:
        client = Client()
        client.force_login(user)
        for unit_name in foreign:
            for name, (kind, posts) in CASES.items():
                for url in _url(name, objects[unit_name][kind]):
                    methods = ["get", "post"] if posts else ["get"]
                    for method in methods:
                        data = {
                            "version": "1",
                            "inspektorsbedomningar.D-07.utfall": "uppfyllt",
                            "typ": "självvärdering",
                        }
                        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
                        assert response.status_code in (403, 404, 405), (
                            user.username,
                            method,
                            url,
                            response.status_code,
                        )
                        body = response.content.decode("utf-8", "replace")
                        assert unit_name not in body, (user.username, url)
                        checked += 1
    assert checked > 500


def test_a_reader_may_not_change(client_as):
    """The regional studierektor reads every unit of the region but changes no assessment or plan."""
    from tests.web.conftest import latest
    from web.store.models import Plan

    client = client_as("regional")
    a = latest("Vårdcentralen Linden")
    assert client.get(f"/bedomning/{a.pk}/omrade/D/").status_code == 200
    response = client.post(f"/bedomning/{a.pk}/omrade/D/", {"version": a.version, "intyganden.D-02.svar": "nej"})
    assert response.status_code == 403
    plan = Plan.objects.filter(assessment__unit__name="Vårdcentralen Linden").first()
    response = client.post(f"/handlingsplan/{plan.pk}/", {"version": plan.version, "rader[1].anteckningar": "x"})
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.current.created_by is None or a.current.created_by.username != "regional"
