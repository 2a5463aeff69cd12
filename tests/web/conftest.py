"""Fixtures for the web app's tests: the demo data (`spur db demo`) loaded once per module into the test database,
and a logged-in test client per demo user."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo units, plans and users (web/store/demo.py), removed again after the module."""
    from django.core.management import call_command

    from web.app import security
    from web.store.demo import load_demo

    with django_db_blocker.unblock():
        load_demo("testdatabasen")
        security.reset()
        yield
        call_command("flush", verbosity=0, interactive=False)


@pytest.fixture
def client_as(demo, db):
    from django.contrib.auth import get_user_model
    from django.test import Client

    def make(username: str, **kwargs) -> Client:
        client = Client(**kwargs)
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return make


def latest(unit: str, kind: str | None = None):
    from web.store.models import Assessment

    found = Assessment.objects.filter(unit__name=unit, current__isnull=False)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("-date", "-pk").first()
