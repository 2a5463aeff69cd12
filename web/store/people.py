"""People: the database's set-up, users, memberships (roles), and who the command line acts as."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from evidence.errors import UsageError
from web.store import audit
from web.store.models import CareProvider, Membership, Region, Unit
from web.store.permissions import CHANGE, NotAllowed, check_level, require


def pending_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    return [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(targets)]


def ensure_migrated() -> None:
    """Refuse to work on a database that `spur db init` has not created or brought up to date."""
    from pathlib import Path

    from django.db.utils import OperationalError

    if connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).is_file():
        raise UsageError(f"databasen {describe_database()} finns inte. Kör 'spur db init' eller 'spur db demo'.")
    try:
        pending = pending_migrations()
    except OperationalError as exc:
        raise UsageError(f"databasen kan inte öppnas ({exc}). Kontrollera SPUR_DATABASE_URL.") from None
    if pending:
        raise UsageError(
            f"databasen {describe_database()} är inte skapad eller inte uppdaterad ({len(pending)} migreringar "
            "återstår). Kör 'spur db init'."
        )


def describe_database() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(settings["NAME"])
    host = settings.get("HOST") or "lokalt"
    return f"{settings['NAME']} (PostgreSQL, {host})"


def migrate() -> list[str]:
    """Bring the database up to date (creating it, for SQLite the file and its directory); the migrations run."""
    from pathlib import Path

    from django.core.management import call_command

    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    pending = pending_migrations()
    call_command("migrate", verbosity=0, interactive=False)
    return pending


def new_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(
    username: str, by: Any, *, password: str | None = None, full_name: str = "", superuser: bool = False
) -> tuple[Any, str]:
    """A new user with a password (a random one unless given); returns (user, password)."""
    users = get_user_model()
    if by is not None and not by.is_superuser:
        raise NotAllowed(f"{by.get_username()} får inte skapa användare (det gör en administratör).")
    if users.objects.filter(username=username).exists():
        raise UsageError(f"användaren '{username}' finns redan.")
    password = password or new_password()
    first, _, last = full_name.partition(" ")
    with transaction.atomic():
        user = users.objects.create_user(username, password=password, first_name=first, last_name=last)
        if superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        audit.record(by, "user_created", user, summary="administratör" if superuser else "")
    return user, password


def set_password(user: Any, by: Any, password: str | None = None) -> str:
    if by is not None and not by.is_superuser:
        raise NotAllowed(f"{by.get_username()} får inte byta lösenord åt andra.")
    password = password or new_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


def add_membership(user: Any, role: str, target: Unit | CareProvider | Region, by: Any) -> Membership:
    level = "unit" if isinstance(target, Unit) else "care_provider" if isinstance(target, CareProvider) else "region"
    check_level(role, level)
    membership = Membership(user=user, role=role, **{level: target})
    require(by, CHANGE, membership)
    with transaction.atomic():
        existing = Membership.objects.filter(user=user, role=role, ended_at__isnull=True, **{level: target}).first()
        if existing:
            return existing
        membership.save()
        audit.record(by, "membership_added", membership)
    return membership


def end_membership(membership: Membership, by: Any) -> None:
    require(by, CHANGE, membership)
    with transaction.atomic():
        membership.ended_at = timezone.now()
        membership.save(update_fields=["ended_at"])
        audit.record(by, "membership_ended", membership)


def acting_user(name: str | None) -> Any:
    """The user the command acts as; None (no --anvandare) is the database's owner, who may do everything."""
    if name is None:
        return None
    user = get_user_model().objects.filter(username=name).first()
    if user is None or not user.is_active:
        raise UsageError(f"--anvandare: ingen aktiv användare heter '{name}'.")
    return user
