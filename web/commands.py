"""The store's commands (`spur db …`, `spur history`, `spur region-report`), attached to cli.py's `spur` group.

Like cli.py each command parses, calls one use case (web/store/usecases.py), writes and picks the exit code. This
module imports only click at start-up: Django is set up by the use case, so `spur grade` never loads it.
"""

from __future__ import annotations

import sys

import click

from reports.click_sv import format_option, output_option, say, user_option
from reports.files import write_output


@click.group()
def db() -> None:
    """Databasen: enheter, bedömningar och handlingsplaner över tid (SQLite som standard).

    \b
    Filen är ~/.local/share/spur/spur.sqlite3; SPUR_DATABASE_URL anger en annan
    (sqlite:///SÖKVÄG eller postgresql://användare@värd/databas).
    """


@db.command("init")
@click.option("--admin", default="admin", show_default=True, metavar="NAMN", help="Administratörens namn.")
def db_init(admin: str) -> None:
    """Skapa databasen eller uppdatera den, och en administratör om ingen finns.

    \b
    Exempel:
      spur db init
      SPUR_DATABASE_URL=postgresql://spur@localhost/spur spur db init
    """
    from web.store import usecases as store

    say(store.init_database(admin), err=False)


@db.command("import")
@click.argument("sokvagar", metavar="SÖKVÄG...", nargs=-1, required=True)
@click.option("-j", "--jobs", type=click.IntRange(1), metavar="N", help="Antal processer; standard är antalet kärnor.")
@user_option()
def db_import(sokvagar: tuple[str, ...], jobs: int | None, user: str | None) -> None:
    """Importera evidensfiler och handlingsplaner (kataloger söks rekursivt).

    \b
    Varje fil valideras som i 'spur grade'; en ogiltig fil stoppar inte resten (kod 3).
    En fil som redan finns i databasen (samma innehåll) ger inget nytt; en ändrad fil
    blir en ny version. En senare bedömning av en enhet för dess handlingsplan vidare.
    Exempel:
      spur db import evidence/examples
    """
    from web.store import usecases as store

    run = store.import_files(sokvagar, user, jobs)
    from web.store.importing import STATUS, summary  # a Django model module: only once the store is set up

    for f in run.files:
        if f.errors:
            say(f.errors)
        else:
            click.echo(f"{f.path}: {STATUS[f.status]} ({f.detail})")
    say([summary(run)])
    sys.exit(run.exit_code())


@db.command("export")
@click.argument("utkatalog", metavar="UTKATALOG")
@user_option()
def db_export(utkatalog: str, user: str | None) -> None:
    """Skriv varje enhets senaste bedömning och aktuella handlingsplan som filer.

    \b
    Filerna är exakt det som importerades (byte för byte) om inget ändrats sedan.
    Exempel:
      spur db export export/
    """
    from web.store import usecases as store

    say([store.export_files(utkatalog, user)])


@db.command("logg")
@click.option("--enhet", metavar="ENHET", help="Bara händelser för enheten.")
@click.option("--diff", "with_diff", is_flag=True, help="Visa också skillnaden i dokumentet.")
@user_option()
def db_log(enhet: str | None, with_diff: bool, user: str | None) -> None:
    """Visa granskningsloggen: vem ändrade vad och när (för administratörer).

    \b
    Exempel:
      spur db logg --enhet "Vårdcentralen Linden" --diff
    """
    from web.store import usecases as store

    click.echo("\n".join(store.audit(user, enhet, with_diff)))


@db.command("demo")
def db_demo() -> None:
    """Skapa databasen med exempelenheterna, deras uppföljningar och en demoanvändare per roll.

    \b
    Lösenorden skrivs ut (nya vid varje körning). Prova sedan:
      spur history "Vårdcentralen Linden"
      spur batch --db --format html -o oversikt/
    """
    from web.store import usecases as store

    say(store.demo(), err=False)


@click.command()
@click.argument("enhet", metavar="ENHET")
@click.option("--vardgivare", metavar="VÅRDGIVARE", help="När flera enheter har samma namn.")
@click.option("--today", metavar="DATUM", help="Radernas läge per datum (ÅÅÅÅ-MM-DD); standard är i dag.")
@format_option("text", "json", default="text")
@output_option()
@user_option()
def history(
    enhet: str, vardgivare: str | None, today: str | None, fmt: str, output: str | None, user: str | None
) -> None:
    """Visa en enhets betyg per område över alla bedömningar, handlingsplanerna och radernas läge.

    \b
    Exempel:
      spur history "Vårdcentralen Linden"
      spur history "Vårdcentralen Linden" --today 2025-10-15 --format json
    """
    from reports.history_view import history_json, render_history_text
    from web.store import usecases as store

    h = store.history(user, enhet, vardgivare, today)
    write_output(history_json(h) if fmt == "json" else render_history_text(h), output)


@click.command("region-report")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, metavar="ÅR", help="Året (per 31 december).")
@click.option("--region", metavar="REGION", help="Bara enheterna i regionen.")
@format_option("html", "csv", "json", default="html")
@output_option()
@user_option()
def region_report(year: int, region: str | None, fmt: str, output: str | None, user: str | None) -> None:
    """Regionens årssiffror: bedömda enheter, extern granskning som förfaller och är försenad,
    sena handlingsplaner, försenade rader och betygsfördelning per område.

    \b
    Exempel:
      spur region-report --year 2025 --region "Region Exempelland" -o region-2025.html
      spur region-report --year 2025 --format csv
    """
    from reports.region_view import render_region
    from web.store import usecases as store

    write_output(render_region(store.region_figures(user, year, region), fmt), output)


# A page costs tens of milliseconds of CPU and a few of waiting for the database: one process per core, each with a
# few threads to use the waits and share what the process graded (README: the web benchmarks).
THREADS = 4


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, metavar="VÄRD", help="Adressen att lyssna på.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), metavar="PORT", help="Porten.")
@click.option(
    "--workers", type=click.IntRange(1, 64), metavar="N", help="Antal arbetsprocesser; standard är antalet kärnor."
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=THREADS,
    show_default=True,
    metavar="N",
    help="Antal trådar per arbetsprocess (1: en begäran i taget per process).",
)
def serve(host: str, port: int, workers: int | None, threads: int) -> None:
    """Kör webbtjänsten (gunicorn) mot databasen.

    \b
    Databasen skapas med 'spur db init' (eller 'spur db demo' för exempeldata).
    Bakom en proxy med TLS: sätt SPUR_HTTPS=1 och SPUR_ALLOWED_HOSTS=värdnamn.
    Exempel:
      spur serve
      spur serve --host 0.0.0.0 --port 8080
    """
    import os

    from web.store import usecases as store

    say(store.serve(host, port, workers or os.cpu_count() or 1, threads), err=False)


def attach(group: click.Group) -> None:
    """Add the store's commands to `spur`."""
    for command in (db, history, region_report, serve):
        group.add_command(command)
