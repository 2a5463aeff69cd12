"""Fixtures for the store's tests: a small organisation, users with roles, and evidence texts of units."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "evidence" / "examples"
LINDEN = EXAMPLES / "vardcentralen_linden.yaml"
LINDEN_PLAN = EXAMPLES / "handlingsplaner" / "vardcentralen_linden.yaml"


def unit_text(name: str, care_provider: str = "Vårdgivare Ett", region: str = "Region Ett", day: date | None = None,
              kind: str | None = None, base: Path = LINDEN, changes: list | None = None) -> str:  # fmt: skip
    """The Linden example as another unit's evidence (comments and all), optionally on another date or kind."""
    from web.store.documents import edit

    edits = [(("enhet", "namn"), name), (("enhet", "vardgivare"), care_provider), (("enhet", "region"), region)]
    if day:
        edits.append((("bedomning", "datum"), day))
    if kind:
        edits.append((("bedomning", "typ"), kind))
    return edit(base.read_text(encoding="utf-8"), edits + (changes or []))


def plan_text(unit: str, assessed: date = date(2025, 3, 14)) -> str:
    from web.store.documents import edit

    return edit(LINDEN_PLAN.read_text(encoding="utf-8"), [(("enhet",), unit), (("bedomningsdatum",), assessed)])


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    def make(username: str, *memberships: tuple[str, object], superuser: bool = False):
        from web.store.people import add_membership

        user = get_user_model().objects.create_user(username, password="x" * 12, is_superuser=superuser)
        for role, target in memberships:
            add_membership(user, role, target, None)
        return user

    return make
