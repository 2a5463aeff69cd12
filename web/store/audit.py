"""The audit trail: every change of an assessment, a plan (its rows), a membership or a unit, with who, when and
the difference of the document. Written in the transaction of the change itself, so neither exists without the
other."""

from __future__ import annotations

import difflib
import functools
import getpass
from typing import Any

from web.store import engine_calls
from web.store.models import Assessment, AuditEvent, Membership, Plan, Unit

ACTIONS = {
    "created": "skapad",
    "new_version": "ny version",
    "archived": "arkiverad",
    "restored": "återställd",
    "membership_added": "medlemskap tillagt",
    "membership_ended": "medlemskap avslutat",
    "user_created": "användare skapad",
}


def actor_name(user: Any) -> str:
    """Who acts: the user's name, or for the command line without --anvandare the operating system's user."""
    return (user.get_full_name() or user.get_username()) if user is not None else _operator()


@functools.cache
def _operator() -> str:
    try:
        return f"{getpass.getuser()} (kommandoraden)"
    except (OSError, KeyError):
        return "kommandoraden"


def text_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), old_label, new_label, lineterm="\n"
        )
    )


def _place(obj: Any) -> dict[str, Any]:
    """The unit, care provider and region the object lies in, as the permission rules place it."""
    from web.store.permissions import place

    where = place(obj)
    if where is None:
        return {}
    unit, care_provider, region = where
    return {"unit_id": unit, "care_provider_id": care_provider, "region_id": region}


KIND_OF = {Assessment: "bedömning", Plan: "handlingsplan", Membership: "medlemskap", Unit: "enhet"}


def record(
    user: Any, action: str, obj: Any, *, summary: str = "", diff: str = "", version: int | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=user,
        actor_name=actor_name(user),
        action=action,
        object_kind=KIND_OF.get(type(obj), "användare"),
        object_id=obj.pk,
        object_label=str(obj)[:500],
        version=version,
        summary=summary,
        diff=diff,
        **_place(obj),
    )


def row_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    """What changed in a plan's rows, one line per row: 'D-07: status planerad → genomförd; …', new rows, and
    rows no longer there."""
    before = {r["krav"]: r for r in (old or {}).get("rader", [])}
    after = {r["krav"]: r for r in new.get("rader", [])}
    lines = []
    for krav, row in after.items():
        was = before.get(krav)
        if was is None:
            lines.append(f"{krav}: ny rad")
            continue
        changed = [
            f"{k} {engine_calls.show(was.get(k))} → {engine_calls.show(v)}" for k, v in row.items() if was.get(k) != v
        ]
        if changed:
            lines.append(f"{krav}: {'; '.join(changed)}")
    lines += [f"{krav}: raden borttagen" for krav in before if krav not in after]
    return "\n".join(lines)
