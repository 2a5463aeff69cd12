"""Who may read and change what: every permission rule of the store and the web app, in this one module.

A membership gives a user one role on a unit, a care provider (vårdgivare) or a region; it covers that unit, or
every unit of that care provider or region. What each role may do with each kind of object is the table TABLE
(README › The store › Permissions prints the same table; a test keeps them equal). `change` includes `read`.
A superuser (the administrator `spur db init` creates) may do everything; an inactive user nothing. The command
line without `--anvandare` acts as the owner of the database (who can open the file or holds its password
anyway) and may do everything; with `--anvandare NAMN` it sees and changes exactly what that user may.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from evidence.errors import SpurError
from web.store.models import (
    ROLES,
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

READ, CHANGE = "read", "change"
# The kinds of object a rule speaks of, with their Swedish names (the README table's columns).
KINDS = {
    "enhet": "enhet (uppgifter)",
    "självvärdering": "självvärdering",
    "förbedömning": "förbedömning",
    "inspektion": "inspektion",
    "handlingsplan": "handlingsplan",
    "medlemskap": "medlemskap",
    "granskningslogg": "granskningslogg",
}
_ALL_ASSESSMENTS = {"självvärdering": READ, "förbedömning": READ, "inspektion": READ}
TABLE: dict[str, dict[str, str]] = {
    # the inspectors pre-grade and inspect, and accept or reject each plan row
    "inspektor": {
        **_ALL_ASSESSMENTS,
        "enhet": READ,
        "förbedömning": CHANGE,
        "inspektion": CHANGE,
        "handlingsplan": CHANGE,
    },
    # the verksamhetschef self-assesses and owns the handlingsplan
    "verksamhetschef": {"enhet": READ, **_ALL_ASSESSMENTS, "självvärdering": CHANGE, "handlingsplan": CHANGE},
    # the studierektor follows every plan row up
    "studierektor": {"enhet": READ, **_ALL_ASSESSMENTS, "handlingsplan": CHANGE},
    # the region's övergripande studierektor reads everything of the region's units
    "regional_studierektor": {"enhet": READ, **_ALL_ASSESSMENTS, "handlingsplan": READ},
    # the administrator keeps the register: units, people, archiving; reads the audit trail
    "administrator": {**dict.fromkeys(KINDS, CHANGE), "granskningslogg": READ},
}
# Where a role may be given; every other role may be given on a unit, a care provider or a region.
LEVELS = {"regional_studierektor": ("region",)}
LEVEL_NAMES = {"unit": "enhet", "care_provider": "vårdgivare", "region": "region"}


class NotAllowed(SpurError):
    """The user may not do this; exit code 5, and in the web app 403 (or 404 where the object must stay hidden)."""

    exit_code = 5


def grants(role: str, kind: str, action: str) -> bool:
    given = TABLE[role].get(kind)
    return given == CHANGE or (given == READ and action == READ)


class Place(tuple):  # (unit id, care provider id, region id); None where the object lies above that level
    __slots__ = ()

    def __new__(cls, unit: int | None, care_provider: int | None, region: int | None) -> Place:
        return super().__new__(cls, (unit, care_provider, region))


def place_of_unit(unit: Unit) -> Place:
    return Place(unit.pk, unit.care_provider_id, unit.care_provider.region_id)


def _kind_and_place(obj: Any) -> tuple[str, Place]:
    if isinstance(obj, AssessmentVersion):
        obj = obj.assessment
    if isinstance(obj, PlanVersion):
        obj = obj.plan
    if isinstance(obj, Assessment):
        return obj.kind, place_of_unit(obj.unit)
    if isinstance(obj, Plan):
        return "handlingsplan", place_of_unit(obj.assessment.unit)
    if isinstance(obj, Unit):
        return "enhet", place_of_unit(obj)
    if isinstance(obj, CareProvider):
        return "enhet", Place(None, obj.pk, obj.region_id)
    if isinstance(obj, Region):
        return "enhet", Place(None, None, obj.pk)
    if isinstance(obj, Membership):
        target = obj.target
        return "medlemskap", _kind_and_place(target)[1]
    if isinstance(obj, AuditEvent):
        return "granskningslogg", Place(obj.unit_id, obj.care_provider_id, obj.region_id)
    raise TypeError(f"no permission rule for {type(obj).__name__}")


def place(obj: Any) -> Place | None:
    """Where the object lies (unit, care provider, region ids); None for what lies in no region (a user)."""
    try:
        return _kind_and_place(obj)[1]
    except TypeError:
        return None


def memberships(user: Any) -> list[Membership]:
    """The user's active memberships (read once per user object)."""
    cached = getattr(user, "_spur_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, ended_at__isnull=True))
        user._spur_memberships = cached
    return cached


def named_memberships(user: Any) -> list[Membership]:
    """The user's active memberships with the unit, care provider or region each is for (to name them: one query,
    not one per membership)."""
    return list(
        Membership.objects.filter(user=user, ended_at__isnull=True).select_related("unit", "care_provider", "region")
    )


def covers(m: Membership, place: Place) -> bool:
    """The membership's unit, care provider or region contains the place."""
    unit, care_provider, region = place
    if m.unit_id is not None:
        return unit == m.unit_id
    if m.care_provider_id is not None:
        return care_provider == m.care_provider_id
    return region == m.region_id


def _within(m: Membership, place: Place) -> bool:
    """The place (a care provider or region) contains the membership's own unit or care provider."""
    unit, care_provider, region = place
    if unit is not None:
        return False
    if m.unit_id is not None:
        u = m.unit
        return care_provider in (None, u.care_provider_id) and region == u.care_provider.region_id
    if m.care_provider_id is not None:
        return care_provider is None and region == m.care_provider.region_id
    return False


def allowed_on(user: Any, action: str, kind: str, place: Place) -> bool:
    """May `user` do `action` on an object of `kind` at `place`? `user` None is the database owner."""
    if user is None or (user.is_active and user.is_superuser):
        return True
    if not user.is_active:
        return False
    for m in memberships(user):
        if not grants(m.role, kind, action):
            continue
        if covers(m, place):
            return True
        # the names of a unit's own care provider and region are part of what the unit's people read
        if kind == "enhet" and action == READ and _within(m, place):
            return True
    return False


def allowed(user: Any, action: str, obj: Any) -> bool:
    kind, place = _kind_and_place(obj)
    if kind == "medlemskap" and action == READ and user is not None and obj.user_id == user.pk:
        return user.is_active  # one's own memberships
    return allowed_on(user, action, kind, place)


def require(user: Any, action: str, obj: Any) -> None:
    if not allowed(user, action, obj):
        raise NotAllowed(denied(user, action, obj))


def denied(user: Any, action: str, obj: Any) -> str:
    kind, _ = _kind_and_place(obj)
    verb = "läsa" if action == READ else "ändra"
    return f"{user.get_username()} har ingen roll som får {verb} {KINDS[kind]} för {obj}."


def _readable(user: Any, rows: QuerySet[Any], kind: str, fields: tuple[str, str, str]) -> QuerySet[Any]:
    """`rows` filtered to those at a place where `user` may read `kind`; `fields` name the unit, care provider and
    region of a row."""
    if user is None or (user.is_active and user.is_superuser):
        return rows
    if not user.is_active:
        return rows.none()
    q = Q(pk__in=[])
    for m in memberships(user):
        if grants(m.role, kind, READ):
            level = 0 if m.unit_id is not None else 1 if m.care_provider_id is not None else 2
            q |= Q(**{fields[level]: (m.unit_id, m.care_provider_id, m.region_id)[level]})
    return rows.filter(q)


def visible_units(user: Any) -> QuerySet[Unit]:
    """The units whose assessments and plans `user` may read (every role that reads a unit reads all of it)."""
    return _readable(user, Unit.objects.all(), "enhet", ("pk", "care_provider_id", "care_provider__region_id"))


def visible_audit(user: Any) -> QuerySet[AuditEvent]:
    return _readable(user, AuditEvent.objects.all(), "granskningslogg", ("unit_id", "care_provider_id", "region_id"))


def check_level(role: str, level: str) -> None:
    """A role given where it cannot be (a regional studierektor on a unit) is refused."""
    if role not in ROLES:
        raise NotAllowed(f"okänd roll '{role}'. Roller: {', '.join(ROLES)}.")
    levels = LEVELS.get(role, tuple(LEVEL_NAMES))
    if level not in levels:
        where = " eller ".join(LEVEL_NAMES[x] for x in levels)
        raise NotAllowed(f"rollen {ROLES[role]} ges för en {where}, inte för en {LEVEL_NAMES[level]}.")


def markdown_table() -> str:
    """The permission table as the README prints it."""
    words = {CHANGE: "ändra", READ: "läsa", None: "–"}
    head = ["roll", *KINDS.values()]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for role, label in ROLES.items():
        lines.append("| " + " | ".join([label, *(words[TABLE[role].get(k)] for k in KINDS)]) + " |")
    return "\n".join(lines) + "\n"
