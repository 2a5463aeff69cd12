"""Every role, given on a unit, a care provider or a region, against every kind of object of its own unit, a sister
unit of the same care provider, a unit of another care provider in the region and a unit of another region: read
and change. The expected answers are written out here, independently of web/store/permissions.py."""

from __future__ import annotations

from datetime import date

import pytest

from web.store.models import (
    Assessment,
    AssessmentVersion,
    AuditEvent,
    CareProvider,
    Membership,
    Plan,
    PlanVersion,
    Region,
    Unit,
)
from web.store.permissions import CHANGE, READ, allowed, markdown_table, visible_audit, visible_units

# r = read, w = read and change, - = neither.
EXPECTED = """
role                   enhet  självvärdering  förbedömning  inspektion  handlingsplan  medlemskap  granskningslogg
inspektor              r      r               w             w           w              -           -
verksamhetschef        r      w               r             r           w              -           -
studierektor           r      r               r             r           w              -           -
regional_studierektor  r      r               r             r           r              -           -
administrator          w      w               w             w           w              w           r
"""
ROWS = [line.split() for line in EXPECTED.strip().splitlines()]
KINDS = ROWS[0][1:]
TABLE = {row[0]: dict(zip(KINDS, row[1:], strict=True)) for row in ROWS[1:]}
# Which of the four units a membership on each level covers.
COVERS = {"unit": {"own"}, "care_provider": {"own", "sister"}, "region": {"own", "sister", "neighbour"}}
LEVELS = {
    "inspektor": ("unit", "care_provider", "region"),
    "verksamhetschef": ("unit", "care_provider", "region"),
    "studierektor": ("unit", "care_provider", "region"),
    "regional_studierektor": ("region",),
    "administrator": ("unit", "care_provider", "region"),
}


def expected(role: str, level: str, target: str, kind: str, action: str) -> bool:
    grant = TABLE[role][kind]
    return target in COVERS[level] and (grant == "w" or (grant == "r" and action == READ))


@pytest.fixture
def world(db):
    """Four units: own and sister (care provider P1), neighbour (P2, same region), far (another region); each with
    one assessment of every kind, each assessment's version, a plan with a version, a membership and an event."""
    r1, r2 = Region.objects.create(name="Region Ett"), Region.objects.create(name="Region Två")
    p1 = CareProvider.objects.create(region=r1, name="P1")
    p2 = CareProvider.objects.create(region=r1, name="P2")
    p3 = CareProvider.objects.create(region=r2, name="P3")
    units = {
        "own": Unit.objects.create(care_provider=p1, name="Egen", specialty="allmänmedicin"),
        "sister": Unit.objects.create(care_provider=p1, name="Syster", specialty="allmänmedicin"),
        "neighbour": Unit.objects.create(care_provider=p2, name="Granne", specialty="allmänmedicin"),
        "far": Unit.objects.create(care_provider=p3, name="Fjärran", specialty="allmänmedicin"),
    }
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user("annan")
    objects: dict[tuple[str, str], list[object]] = {}
    for key, unit in units.items():
        for i, kind in enumerate(("självvärdering", "förbedömning", "inspektion")):
            a = Assessment.objects.create(unit=unit, date=date(2025, 1, 1 + i), kind=kind)
            v = AssessmentVersion.objects.create(
                assessment=a, number=1, text="x", sha256="0", data={}, result={}, rules_version="", author="t"
            )
            objects[(key, kind)] = [a, v]
        plan = Plan.objects.create(assessment=a)
        pv = PlanVersion.objects.create(plan=plan, number=1, text="x", sha256="0", data={}, author="t")
        objects[(key, "handlingsplan")] = [plan, pv]
        objects[(key, "enhet")] = [unit]
        objects[(key, "medlemskap")] = [Membership.objects.create(user=other, role="studierektor", unit=unit)]
        objects[(key, "granskningslogg")] = [
            AuditEvent.objects.create(
                actor_name="t",
                action="created",
                object_kind="bedömning",
                object_id=a.pk,
                object_label="x",
                unit=unit,
                care_provider=unit.care_provider,
                region=unit.care_provider.region,
            )
        ]
    return {"units": units, "objects": objects, "levels": {"unit": units["own"], "care_provider": p1, "region": r1}}


@pytest.mark.parametrize(("role", "level"), [(role, level) for role, levels in LEVELS.items() for level in levels])
def test_every_kind_of_object_of_every_unit(world, make_user, role, level):
    user = make_user("anvandare", (role, world["levels"][level]))
    wrong = []
    checked = 0
    for (target, kind), objs in world["objects"].items():
        for obj in objs:
            for action in (READ, CHANGE):
                want = expected(role, level, target, kind, action)
                checked += 1
                if allowed(user, action, obj) != want:
                    wrong.append(f"{action} {kind} ({type(obj).__name__}) of {target}: expected {want}")
    assert not wrong, "\n".join(wrong)
    assert checked == 4 * (2 * 3 + 2 + 1 + 1 + 1) * 2
    readable = {key for key, unit in world["units"].items() if unit in visible_units(user)}
    assert readable == COVERS[level]
    events = {e.unit.name for e in visible_audit(user) if e.object_kind == "bedömning"}
    assert events == (
        {world["units"][t].name for t in COVERS[level]} if TABLE[role]["granskningslogg"] != "-" else set()
    )


def test_membership_above_the_administrators_level(world, make_user):
    """An administrator of a unit may not read or hand out roles on its care provider or region."""
    admin = make_user("admin1", ("administrator", world["units"]["own"]))
    regional = make_user("admin2", ("administrator", world["levels"]["region"]))
    someone = make_user("x")
    on_provider = Membership(user=someone, role="studierektor", care_provider=world["levels"]["care_provider"])
    on_region = Membership(user=someone, role="regional_studierektor", region=world["levels"]["region"])
    for m in (on_provider, on_region):
        assert not allowed(admin, READ, m) and not allowed(admin, CHANGE, m)
        assert allowed(regional, CHANGE, m)


def test_own_memberships_and_organisation_names(world, make_user):
    chief = make_user("chef", ("verksamhetschef", world["units"]["own"]))
    mine = chief.memberships.get()
    assert allowed(chief, READ, mine) and not allowed(chief, CHANGE, mine)
    # the names of the unit's own care provider and region, not another region's
    assert allowed(chief, READ, world["levels"]["care_provider"]) and allowed(chief, READ, world["levels"]["region"])
    assert not allowed(chief, CHANGE, world["levels"]["region"])
    assert not allowed(chief, READ, Region.objects.get(name="Region Två"))
    assert not allowed(chief, READ, CareProvider.objects.get(name="P2"))


def test_nobody_superuser_inactive_and_ended(world, make_user):
    nobody = make_user("ingen")
    boss = make_user("root", superuser=True)
    gone = make_user("borta", ("administrator", world["levels"]["region"]))
    gone.is_active = False
    ended = make_user("slutat", ("administrator", world["levels"]["region"]))
    from web.store.people import end_membership

    end_membership(ended.memberships.get(), None)
    ended = type(ended).objects.get(pk=ended.pk)  # a fresh object: memberships are read once per user object
    for (_, _), objs in world["objects"].items():
        for obj in objs:
            for action in (READ, CHANGE):
                assert allowed(boss, action, obj)
                assert allowed(None, action, obj)  # the command line without --anvandare: the database's owner
                assert not allowed(nobody, action, obj)
                assert not allowed(gone, action, obj)
                assert not allowed(ended, action, obj)
    assert not visible_units(nobody).exists() and not visible_units(gone).exists() and not visible_units(ended).exists()
    assert visible_units(boss).count() == 4


def test_regional_studierektor_only_on_a_region(world, make_user):
    from web.store.permissions import NotAllowed

    with pytest.raises(NotAllowed, match="ges för en region"):
        make_user("r", ("regional_studierektor", world["units"]["own"]))


def test_readme_prints_the_table():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme
    words = {"r": "läsa", "w": "ändra", "-": "–"}
    for role, row in TABLE.items():  # and the README's table says what this test expects
        from web.store.models import ROLES

        line = "| " + " | ".join([ROLES[role], *(words[row[k]] for k in KINDS)]) + " |"
        assert line in readme, line
