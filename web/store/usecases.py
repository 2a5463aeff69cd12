"""What a user does with the store, one function each: the store's commands (web/commands.py) and the web interface
call these. Like engine/usecases.py they return data and the Swedish lines to show; Django is set up on first use.

`user` is the name given with --anvandare (None: the database's owner, with every right); each function acts with
exactly that user's rights (web/store/permissions.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.usecases import Followup, as_date
from engine.wording import count
from evidence.errors import UsageError

if TYPE_CHECKING:
    from engine.batch import BatchResult
    from web.store.importing import ImportRun


def open_store(user: str | None) -> Any:
    """Set Django up, refuse a database that needs `spur db init`, and return the user the command acts as."""
    import web

    web.setup()
    from web.store.people import acting_user, ensure_migrated

    ensure_migrated()
    return acting_user(user)


def init_database(admin: str) -> list[str]:
    """`spur db init`: create or migrate the database, and an administrator if there is none."""
    import web

    web.setup()
    from django.contrib.auth import get_user_model

    from web.store.people import create_user, describe_database, migrate

    done = migrate()
    lines = [f"Databasen {describe_database()}: {count(len(done), 'migrering körd')}."]
    if not get_user_model().objects.filter(is_superuser=True).exists():
        _, password = create_user(admin, None, superuser=True)
        lines.append(
            f"Administratör skapad: {admin}, lösenord: {password} (visas bara nu; byt det vid första inloggningen)."
        )
    return lines


def demo() -> list[str]:
    """`spur db demo`: the example units with their follow-ups, and one demo user per role (passwords printed)."""
    import web

    web.setup()
    from web.store.demo import load_demo
    from web.store.people import describe_database, migrate

    migrate()
    return load_demo(describe_database())


def import_files(paths: Sequence[str], user: str | None, jobs: int | None = None) -> ImportRun:
    """`spur db import`: evidence files and plans, each validated as by `spur grade`; one bad file never stops the run."""
    import os

    acting = open_store(user)
    from web.store.importing import import_paths

    return import_paths(tuple(paths), acting, jobs or os.cpu_count() or 1)


def export_files(outdir: str, user: str | None) -> str:
    """`spur db export`: every unit's latest assessment and current plan as files, byte for byte as imported."""
    acting = open_store(user)
    from web.store.importing import export

    target = Path(outdir)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{outdir} finns och är ingen katalog.")
    written = export(target, acting)
    return f"Skrev {count(len(written), 'fil')} i {outdir}."


def audit(user: str | None, unit: str | None = None, with_diff: bool = False) -> list[str]:
    """`spur db logg`: who changed what and when, for administrators."""
    acting = open_store(user)
    from web.store.queries import audit_lines

    return audit_lines(acting, unit, with_diff) or ["Inga händelser som du får läsa."]


def history(user: str | None, unit: str, care_provider: str | None = None, today: date | str | None = None) -> Any:
    """`spur history`: a unit's grades per area across its assessments, its plans and the state of their rows."""
    day = as_date(today, "--today") or date.today()
    acting = open_store(user)
    from web.store.queries import find_unit, unit_history

    return unit_history(acting, find_unit(acting, unit, care_provider), day)


def region_figures(user: str | None, year: int, region: str | None = None) -> Any:
    """`spur region-report`: the region's yearly figures."""
    acting = open_store(user)
    from web.store.queries import region_report

    return region_report(acting, year, region)


def followup(
    user: str | None, today: date | str | None = None, within: int | None = None, region: str | None = None
) -> Followup:
    """`spur followup --db`: every unit's current plan in the store as of `today`, as `spur followup` shows files."""
    day = as_date(today, "--today") or date.today()
    acting = open_store(user)
    from web.store.queries import followup_items

    items, days, plans = followup_items(acting, day, within, region)
    return Followup(plans, items, day, days)


def batch(user: str | None, region: str | None = None) -> BatchResult:
    """`spur batch --db`: one row per unit with its latest assessment and the trend against the one before."""
    acting = open_store(user)
    from web.store.queries import batch_result

    return batch_result(acting, region)


# How long a worker's thread keeps its database connection: a new one per request costs a PostgreSQL login (and
# SQLite's pragmas) each time. A kept connection is checked before each request reuses it (CONN_HEALTH_CHECKS).
CONNECTION_SECONDS = 600


def serve(host: str, port: int, workers: int, threads: int = 1) -> list[str]:
    """`spur serve`: the web app on gunicorn, until stopped; what to say once it has stopped. `threads` per worker
    process (gunicorn's gthread workers; 1: sync workers, one request at a time each). Threads of a process share
    its engine (durable_rules sessions take turns, engine/durable_adapter.py) and the pages it graded lately
    (web/app/actions.py); the workers share what they graded through a private directory (web/app/shared.py). The
    rules and templates are compiled once, before the workers are forked."""
    import gc

    open_store(None)
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    connections.close_all()  # the workers are forked from this process: none may inherit its connection
    from django.conf import settings as django_settings

    for database in django_settings.DATABASES.values():  # a worker's thread keeps its connection from request to request
        database.update(CONN_MAX_AGE=CONNECTION_SECONDS, CONN_HEALTH_CHECKS=True)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            settings = {
                "bind": f"{host}:{port}", "workers": workers, "threads": threads,
                "worker_class": "gthread" if threads > 1 else "sync",
                "timeout": 120, "accesslog": "-", "limit_request_line": 8190, "preload_app": True,
            }  # fmt: skip
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from web.app.render import warm_up
            from web.wsgi import application

            warm_up()
            connections.close_all()
            gc.freeze()  # what the workers inherit lives as long as they do: their collections skip it
            return application

    import os
    import shutil
    import tempfile

    from web.app import shared

    shown = f"[{host}]" if ":" in host else host
    print(f"SPUR-webben: http://{shown}:{port}/ (stoppa med Ctrl+C)", flush=True)
    pages = tempfile.mkdtemp(prefix="spur-serve-")  # what the workers graded, for each other (private, 0700)
    shared.use(pages)
    master = os.getpid()
    try:
        Server().run()
    finally:
        if os.getpid() == master:  # a worker leaves through here too (SystemExit): the directory is the server's
            shared.use(None)
            shutil.rmtree(pages, ignore_errors=True)
    return ["Webbtjänsten har stoppats."]
