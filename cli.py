"""`spur` — grade ST training units the way a SPUR inspection does. Each command parses its options (the shared ones
in reports/click_sv.py), calls one use case (engine/usecases.py), writes the view of its result (reports/views.py) and
picks the exit code; errors become exit codes in one place, reports/command_line.py's `run`."""

from __future__ import annotations

import gc
import sys

import click

from engine import usecases
from engine.terms import AREAS
from engine.usecases import Rules
from evidence.errors import InputError
from reports import click_sv, command_line, views
from reports.click_sv import (
    StoreQuery,
    fail_on_option,
    file_argument,
    format_option,
    jobs_option,
    output_option,
    plan_option,
    say,
    store_options,
    today_option,
    version_option,
)
from reports.command_line import hint, spur_command
from reports.files import locked_unless_standard_output, write_output

click_sv.install()
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
REPORT_FORMAT = "Utdataformat; måste stämma med ändelsen i -o. Standard: ändelsens, annars html."


@click.group(context_settings=CONTEXT)
@click.option("--regler", "rules", metavar="KATALOG", help="Annan regelkatalog än den inbyggda (rules/).")
@version_option(usecases.version)
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
    full_view = None if full else spur_command("grade", fil, "--plan" if plan_file else None, plan_file, "--full")
    write_output(views.grade(result, rules.catalog, fmt, full_view), output, (fil, plan_file))
    sys.exit(1 if usecases.fails(result, fail_on) else 0)


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
    with locked_unless_standard_output(output) as current:  # one writer at a time reads, merges and writes the plan
        draft = usecases.plan(rules, fil, current, plan_date, warned)
        write_output(draft.text, output, (fil,))
    say(warned, prefix="varning: ")
    say([draft.message])


@main.command()
@file_argument("planer", nargs=-1)
@today_option()
@click.option("--within", type=click.IntRange(0, 3650), metavar="DAGAR", help="Förfaller snart inom så många dagar.")
@format_option("text", "json", "ics", default="text")
@output_option()
@store_options("planer", "planfiler", help="Varje enhets aktuella handlingsplan i databasen i stället för filer.")
@click.pass_obj
def followup(
    rules: Rules,
    planer: tuple[str, ...],
    today: str | None,
    within: int | None,
    fmt: str,
    output: str | None,
    store: StoreQuery | None,
) -> None:
    """Följ upp handlingsplaner: klara, öppna, förfaller snart och försenade rader.

    \b
    Avslutar med kod 1 om någon rad är försenad (för cron).
    Exempel:
      spur followup planer/*.yaml --today 2025-10-15
      spur followup handlingsplan.yaml --format ics -o handlingsplan.ics
      spur followup --db --today 2025-10-15
    """
    if store:
        from web.store import usecases as stored

        state = stored.followup(store.user, today, within, store.region)
    else:
        state = usecases.followup(rules, planer, today, within)
    write_output(views.followup(state, fmt), output, planer)
    sys.exit(1 if state.overdue else 0)


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
@format_option("html", "markdown", "pdf", "docx", help=REPORT_FORMAT)
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
    write_output(views.report(data, rules.catalog, fmt), output, (fil, plan_file), announce=True)


@main.command()
@click.argument("sokvagar", metavar="SÖKVÄG...", nargs=-1)
@output_option("outdir", metavar="UTKATALOG", help="Skriv filerna i katalogen i stället för standard ut.")
@jobs_option()
@format_option("json", "csv", "html", default="json")
@click.option("--reports", is_flag=True, help="Skriv också varje enhets rapport (HTML) i UTKATALOG.")
@click.option("--plan-dir", metavar="KATALOG", help="Handlingsplaner med samma filnamn som evidensfilen.")
@fail_on_option(help="Kod 1 om någon enhet har detta betyg eller sämre.")
@store_options("sokvagar", "sökvägar", help="Från databasen: varje enhets senaste bedömning och trenden.")
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
    store: StoreQuery | None,
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
    from reports.batch_files import ReportFiles, output_target, write_overview
    from reports.progress import Progress

    target = output_target(outdir, reports, plan_dir, from_db=store is not None)
    if store:
        from web.store import usecases as stored

        result = stored.batch(store.user, store.region)
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
@click.option("--area", type=click.Choice(list(AREAS)), help="Bara ett område.")
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
    say([hint(message) if message else None])


@main.command()
@click.pass_obj
def schema(rules: Rules) -> None:
    """Skriv evidensfilens JSON Schema (för kodkomplettering i editorn)."""
    write_output(views.schema(rules.catalog), None)


from web.commands import attach  # noqa: E402  (the store's and the web app's commands; Django loads on use)

attach(main)
click_sv.swedish_usage(main)


def run(argv: list[str] | None = None) -> int:
    """`spur` with `argv` (None: the command line): its exit code."""
    return command_line.run(main, argv)


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
