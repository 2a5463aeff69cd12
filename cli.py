"""`spur` — grade ST training units the way a SPUR inspection does. Each command parses its options, calls one use
case (engine/usecases.py), writes the view of its result (reports/views.py) and picks the exit code; `run` is the one
place where errors become exit codes."""

from __future__ import annotations

import gc
import io
import os
import re
import shlex
import shutil
import sys
from pathlib import Path

import click

from engine import usecases
from engine.usecases import Rules
from evidence.errors import InputError, SpurError, UsageError, os_reason
from reports import click_sv, views
from reports.click_sv import (
    db_option,
    fail_on_option,
    file_argument,
    format_option,
    output_option,
    plan_option,
    region_option,
    say,
    user_option,
)
from reports.files import locked, write_output

click_sv.install()
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
VERSION = "Visa versionen och avsluta."


def _sources(given: tuple[str, ...], from_db: bool, region: str | None, user: str | None, what: str) -> None:
    """Files, or --db: the store (with --region and --anvandare), never both and never neither."""
    if from_db and given:
        raise UsageError(f"--db läser från databasen: ange inga {what}.")
    if not from_db and (region or user):
        raise UsageError("--region och --anvandare gäller bara med --db.")
    if not from_db and not given:
        raise UsageError(f"ange {what}, eller --db för databasen.")


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(usecases.version())
        ctx.exit()


@click.group(context_settings=CONTEXT)
@click.option("--regler", "rules", metavar="KATALOG", help="Annan regelkatalog än den inbyggda (rules/).")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version, help=VERSION)
@click.pass_context
def main(ctx: click.Context, rules: str | None) -> None:
    """Bedöm ST-utbildning enligt SPUR-modellen: betyg A–D per område med skäl för varje krav.

    \b
    Exempel:
      spur grade evidence/examples/vardcentralen_linden.yaml
      spur init -o min_enhet.yaml
    """
    ctx.obj = Rules(rules)


@main.command()
@file_argument("fil")
@format_option("text", "json", "markdown", default="text", help="Utdataformat.")
@fail_on_option(help="Avsluta med kod 1 om något område har detta betyg eller sämre.")
@output_option()
@plan_option(help="Handlingsplan att bedöma om områden med D efter.")
@click.option(
    "--full", is_flag=True, help="Visa skälen för varje krav (text). Utan: betyg och ej uppfyllda krav per område."
)
@click.pass_obj
def grade(
    rules: Rules, fil: str, fmt: str, fail_on: str | None, output: str | None, plan_file: str | None, full: bool
) -> None:
    """Bedöm en enhets evidensfil och visa betyg per område, med skälen för varje krav med --full.

    \b
    JSON och Markdown innehåller alltid skälen.
    Exempel:
      spur grade enhet.yaml
      spur grade enhet.yaml --full
      spur grade enhet.yaml --format json --fail-on D
    """
    warned: list[str] = []
    result = usecases.grade(rules, fil, plan_file, warned)
    say(warned, prefix="varning: ")
    again = " ".join(shlex.quote(a) for a in (fil, *(("--plan", plan_file) if plan_file else ())))
    full_view = None if full else f"{invocation()} grade {again} --full"
    write_output(views.grade(result, rules.catalog, fmt, full_view), output, (fil, plan_file))
    if usecases.fails(result, fail_on):
        sys.exit(1)


@main.command()
@file_argument("filer", nargs=-1, required=True)
@click.pass_obj
def validate(rules: Rules, filer: tuple[str, ...]) -> None:
    """Kontrollera att evidensfiler är giltiga, utan att bedöma dem."""
    warned: list[str] = []
    checked = usecases.validate(rules, filer, warned)
    say(warned, prefix="varning: ")
    say(checked.valid, err=False)
    if checked.errors:
        raise InputError(list(checked.errors))


@main.command()
@file_argument("fil")
@output_option(metavar="PLAN", help="Handlingsplanens fil; finns den redan uppdateras den.")
@click.option("--plan-date", metavar="DATUM", help="Plandatum (ÅÅÅÅ-MM-DD); standard är bedömningsdatumet.")
@click.pass_obj
def plan(rules: Rules, fil: str, output: str | None, plan_date: str | None) -> None:
    """Skriv ett utkast till handlingsplan för enhetens brister, eller uppdatera en befintlig.

    \b
    En rad per ej uppfylld föreskrift (åtgärd krävs) och allmänt råd (åtgärd rekommenderas).
    Körs den igen mot en befintlig plan läggs nya brister till och rader vars krav nu är uppfyllt
    markeras; inget som redan står i planen ändras eller tas bort.

    \b
    Exempel:
      spur plan enhet.yaml -o handlingsplan.yaml --plan-date 2025-04-01
    """
    warned: list[str] = []
    if not output or output == "-":
        draft = usecases.plan(rules, fil, None, plan_date, warned)
        write_output(draft.text, output, (fil,))
    else:  # one writer at a time reads, merges and writes the plan file
        with locked(output) as current:
            draft = usecases.plan(rules, fil, current, plan_date, warned)
            write_output(draft.text, output, (fil,))
    say(warned, prefix="varning: ")
    say([draft.message])


@main.command()
@file_argument("planer", nargs=-1)
@click.option("--today", metavar="DATUM", help="Dagens datum (ÅÅÅÅ-MM-DD); standard är i dag.")
@click.option("--within", type=click.IntRange(0, 3650), metavar="DAGAR", help="Förfaller snart inom så många dagar.")
@format_option("text", "json", "ics", default="text")
@output_option()
@db_option(help="Varje enhets aktuella handlingsplan i databasen i stället för filer.")
@region_option()
@user_option()
@click.pass_obj
def followup(
    rules: Rules,
    planer: tuple[str, ...],
    today: str | None,
    within: int | None,
    fmt: str,
    output: str | None,
    from_db: bool,
    region: str | None,
    user: str | None,
) -> None:
    """Följ upp handlingsplaner: klara, öppna, förfaller snart och försenade rader.

    \b
    Avslutar med kod 1 om någon rad är försenad (för cron).
    Exempel:
      spur followup planer/*.yaml --today 2025-10-15
      spur followup handlingsplan.yaml --format ics -o handlingsplan.ics
      spur followup --db --today 2025-10-15
    """
    _sources(planer, from_db, region, user, "planfiler")
    if from_db:
        from web.store import usecases as store

        state = store.followup(user, today, within, region)
    else:
        state = usecases.followup(rules, planer, today, within)
    write_output(views.followup(state, fmt), output, planer)
    if state.overdue:
        sys.exit(1)


@main.command("show-plan")
@file_argument("plan_file", metavar="PLAN")
@format_option("markdown", "html", default="markdown")
@output_option()
@click.pass_obj
def show_plan(rules: Rules, plan_file: str, fmt: str, output: str | None) -> None:
    """Visa en handlingsplan som tabell i den officiella layouten (Markdown eller HTML).

    \b
    Exempel:
      spur show-plan handlingsplan.yaml --format html -o handlingsplan.html
    """
    write_output(views.plan(usecases.show_plan(rules, plan_file), fmt, rules.catalog), output, (plan_file,))


@main.command()
@file_argument("fil")
@plan_option(help="Enhetens handlingsplan; utan den visas ett utkast.")
@output_option(
    help="Skriv till fil (rapport.html, .md, .pdf eller .docx) i stället för standard ut; ändelsen väljer format."
)
@format_option(
    "html", "markdown", "pdf", "docx", help="Utdataformat; måste stämma med ändelsen i -o. Standard: ändelsens, annars html."
)
@click.pass_obj
def report(rules: Rules, fil: str, plan_file: str | None, output: str | None, fmt: str | None) -> None:
    """Skriv inspektionsrapporten i SPUR-rapportens form: sammanfattning, STRUKTUR, PROCESS, HANDLINGSPLAN och bilaga.

    \b
    HTML-filen är fristående (inga skript, inga externa filer), läsbar i mobilen
    och går att skriva ut på A4. PDF skrivs ut av Chromium (version 131 eller
    senare); Word-filen (.docx) går att redigera, med rubriker i navigeringsfönstret.
    Utan --plan innehåller rapporten ett utkast till handlingsplan.
    Exempel:
      spur report enhet.yaml -o rapport.html
      spur report enhet.yaml --plan handlingsplan.yaml -o rapport.pdf
      spur report enhet.yaml --plan handlingsplan.yaml -o rapport.docx
    """
    fmt = views.report_format(fmt, output)  # a wrong suffix, or no Chromium for a PDF: said before any work
    data = usecases.report(rules, fil, plan_file)
    say(data.warnings, prefix="varning: ")
    write_output(views.report(data, rules.catalog, fmt), output, (fil, plan_file))


@main.command()
@click.argument("sokvagar", metavar="SÖKVÄG...", nargs=-1)
@output_option("outdir", metavar="UTKATALOG", help="Skriv filerna i katalogen i stället för standard ut.")
@click.option("-j", "--jobs", type=click.IntRange(1), metavar="N", help="Antal processer; standard är antalet kärnor.")
@format_option("json", "csv", "html", default="json")
@click.option("--reports", is_flag=True, help="Skriv också varje enhets rapport (HTML) i UTKATALOG.")
@click.option("--plan-dir", metavar="KATALOG", help="Handlingsplaner med samma filnamn som evidensfilen.")
@fail_on_option(help="Kod 1 om någon enhet har detta betyg eller sämre.")
@db_option(help="Från databasen: varje enhets senaste bedömning och trenden.")
@region_option()
@user_option()
@click.pass_obj
def batch(
    rules: Rules,
    sokvagar: tuple[str, ...],
    outdir: str | None,
    jobs: int | None,
    fmt: str,
    reports: bool,
    plan_dir: str | None,
    fail_on: str | None,
    from_db: bool,
    region: str | None,
    user: str | None,
) -> None:
    """Bedöm många evidensfiler: betyg per enhet och område, fördelning, D, preliminära betyg och fel.

    \b
    SÖKVÄG är filer, kataloger (söks rekursivt efter *.yaml och *.yml) eller mönster.
    Handlingsplaner hoppas över. Ogiltiga filer listas; övriga bedöms ändå (kod 3).
    Utan -o skrivs json och csv till standard ut; med -o skrivs batch.json,
    batch.csv eller index.html (och med --reports en rapport per enhet) i katalogen.
    Med --db kommer enheterna från databasen (spur db import) i stället för filer:
    en rad per enhet med dess senaste bedömning och trenden mot den förra.
    Exempel:
      spur batch enheter/ --format csv > enheter.csv
      spur batch enheter/ --format html --reports --plan-dir planer/ -o granskning/
      spur batch --db --region "Region Exempelland" --format html -o oversikt/
    """
    from reports.batch_files import ReportFiles, output_directory, write_overview
    from reports.progress import Progress

    _sources(sokvagar, from_db, region, user, "sökvägar")
    if from_db and (reports or plan_dir):
        raise UsageError("--db läser enheterna från databasen: --reports och --plan-dir gäller bara filer.")
    if reports and not outdir:
        raise UsageError("--reports kräver -o UTKATALOG (en rapportfil per enhet).")
    if plan_dir is not None and not os.path.isdir(plan_dir):
        raise UsageError(f"--plan-dir: {plan_dir} är ingen katalog.")
    target = output_directory(outdir) if outdir else None
    if from_db:
        from web.store import usecases as store

        result = store.batch(user, region)
    else:
        files = ReportFiles(target) if reports and target is not None else None
        with Progress() as bar:
            result = usecases.batch(rules, sokvagar, jobs=jobs, plan_dir=plan_dir, reports=files, progress=bar.update)
    say(write_overview(result, fmt, target))
    sys.exit(result.exit_code(fail_on))


@main.command()
@file_argument("gammal", metavar="GAMMAL")
@file_argument("ny", metavar="NY")
@format_option("text", "json", default="text")
@output_option()
@click.pass_obj
def diff(rules: Rules, gammal: str, ny: str, fmt: str, output: str | None) -> None:
    """Jämför två bedömningar av samma enhet: betyg per område och varje krav vars utfall ändrats, med skälen.

    \b
    Exempel:
      spur diff enhet_2024.yaml enhet_2025.yaml
      spur diff enhet_2024.yaml enhet_2025.yaml --format json
    """
    warned: list[str] = []
    change = usecases.diff(rules, gammal, ny, warned)
    say(warned, prefix="varning: ")
    write_output(views.diff(change, rules.catalog, fmt), output, (gammal, ny))


@main.group("rules")
def rules_group() -> None:
    """Visa, granska och testa regelkatalogen."""


@rules_group.command("list")
@click.option("--area", type=click.Choice(list("ABCDEFGH")), help="Bara ett område.")
@format_option("text", "json", default="text")
@click.pass_obj
def rules_list(rules: Rules, area: str | None, fmt: str) -> None:
    """Lista kraven i rapportordning (låg klassningssäkerhet markeras)."""
    write_output(views.rules_list(rules.catalog, usecases.rules_list(rules, area), fmt), None)


@rules_group.command("show")
@click.argument("krav_id", metavar="ID")
@click.pass_obj
def rules_show(rules: Rules, krav_id: str) -> None:
    """Visa ett krav: text, typ, referenser, underlag, åtgärd, villkor och exempel."""
    write_output(views.requirement(rules.catalog, usecases.rules_show(rules, krav_id)), None)


@rules_group.command("lint")
@click.pass_obj
def rules_lint(rules: Rules) -> None:
    """Granska regelkatalogen: id, fält som finns i evidensmodellen, exempel, motorns gränser."""
    click.echo(usecases.rules_lint(rules))


@rules_group.command("test")
@click.option("--id", "only", metavar="ID", help="Bara exemplen för ett krav.")
@click.pass_obj
def rules_test(rules: Rules, only: str | None) -> None:
    """Kör varje regels exempel och jämför utfallet med det förväntade."""
    tested = usecases.rules_test(rules, only)
    say(tested.lines, err=False)
    sys.exit(1 if tested.failed else 0)


@main.command()
@output_option(help="Skriv mallen till fil (annars standard ut).")
@click.option("--force", is_flag=True, help="Skriv över en befintlig fil.")
@click.pass_obj
def init(rules: Rules, output: str | None, force: bool) -> None:
    """Skriv en evidensmall med alla frågor och underlagstips som kommentarer."""
    message = usecases.init(rules, output, force)
    write_output(views.template(rules.catalog), output)
    say([_hint(message) if message else None])


@main.command()
@click.pass_obj
def schema(rules: Rules) -> None:
    """Skriv evidensfilens JSON Schema (för kodkomplettering i editorn)."""
    write_output(views.schema(rules.catalog), None)


from web.commands import attach  # noqa: E402  (the store's and the web app's commands; Django loads on use)

attach(main)
click_sv.swedish_usage(main)


def invocation() -> str:
    """How to run spur again, as a hint can print it: `spur` when that name on PATH is this program, otherwise the
    path it was started by (`.venv/bin/spur` from the checkout), so a command spur prints always works when pasted."""
    started = sys.argv[0] if sys.argv else ""
    if Path(started).name != "spur":  # in-process (tests) or `python -m`: the documented name
        return "spur"
    on_path = shutil.which("spur")
    try:
        if on_path and os.path.samefile(on_path, started):
            return "spur"
    except OSError:
        pass
    return shlex.quote(started)


_EXAMPLE = re.compile(r"(?m)^(\s*)spur ")
_HINT = re.compile(r"('|kör: )spur ")
_HELP: dict[click.Command, str] = {}


def _name_commands(prog: str, command: click.Command) -> None:
    """The examples in every help text start with `prog` (see `invocation`)."""
    if command.help:
        original = _HELP.setdefault(command, command.help)
        command.help = original if prog == "spur" else _EXAMPLE.sub(lambda m: f"{m.group(1)}{prog} ", original)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _name_commands(prog, sub)


def _hint(line: str) -> str:
    """A message that names a command ("Se 'spur rules list'", "kör: spur grade …") names it as spur was started."""
    prog = invocation()
    return line if prog == "spur" else _HINT.sub(lambda m: f"{m.group(1)}{prog} ", line)


def run(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is shown with '?', never a crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    prog = invocation()
    _name_commands(prog, main)
    try:
        main.main(args=argv, prog_name=prog, standalone_mode=False)
        return 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Abort:
        click.echo("Avbrutet.", err=True)
        return 2
    except SpurError as exc:
        say([_hint(m) for m in exc.messages()], prefix=exc.prefix)
        return exc.exit_code
    except SystemExit as exc:
        return int(exc.code or 0)
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the user's file system, not a bug: e.g. standard output on a full disk
        click.echo(f"fel: {exc.filename or 'utdata'}: {os_reason(exc)}.", err=True)
        return 2
    except Exception as exc:
        if os.environ.get("SPUR_DEBUG"):
            raise
        bug = f"{type(exc).__name__}: {exc}"
        click.echo(f"internt fel: {bug}. Kör med SPUR_DEBUG=1 för detaljer och rapportera felet.", err=True)
        return 4


def entry() -> None:
    # Nearly every object made at start-up lives until exit; the cyclic collector would rescan them ~80 times during
    # a `spur grade` and once more at shutdown (a fifth of the run). Collect the young generation only every 100,000
    # allocations, as mypy does (`spur batch` sets its own), and freeze what is alive at the end: shutdown skips it.
    gc.set_threshold(100_000, 50, 100)
    code = run()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
