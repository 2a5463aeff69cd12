"""`spur` — grade ST training units the way a SPUR inspection does. A thin click layer over engine/."""

from __future__ import annotations

import gc
import io
import os
import re
import shlex
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from evidence.errors import InputError, SpurError, UsageError, os_reason
from reports import click_sv
from reports.files import atomic_write

click_sv.install()
GRADES = ("A", "B", "C", "D")
REPORT_FORMATS = ("html", "markdown", "pdf", "docx")
SUFFIXES = {".html": "html", ".htm": "html", ".md": "markdown", ".pdf": "pdf", ".docx": "docx"}
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def write_output(text: str | bytes, output: str | None, inputs: tuple[str | None, ...] = ()) -> None:
    """Write to standard output, or atomically to a file (temporary file + rename), never over one of the inputs."""
    if output is None or output == "-":
        click.echo(text, nl=False)  # bytes (PDF, Word) never come here: `report` asks for a file
        return
    target = Path(output)
    if target.is_dir():
        raise UsageError(f"{output}: är en katalog; ange ett filnamn.")
    for source in inputs:
        if source and target.exists() and Path(source).exists() and target.samefile(source):
            raise UsageError(f"-o {output}: är samma fil som indatafilen {source}. Ange en annan fil att skriva till.")
    try:
        atomic_write(target, text)
    except OSError as exc:
        raise UsageError(f"-o {output}: kan inte skriva filen ({os_reason(exc)}).") from None


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"spur {_version()}")
        ctx.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spur")
    except PackageNotFoundError:
        return "okänd (ej installerad)"


class State:
    def __init__(self, rules: str | None) -> None:
        self.rules_dir = Path(rules) if rules else None
        self._evaluator: Any = None

    @property
    def catalog(self) -> Any:
        from engine.catalog import load_catalog

        return load_catalog(self.rules_dir)

    @property
    def evaluator(self) -> Any:
        if self._evaluator is None:
            from engine.evaluate import Evaluator

            self._evaluator = Evaluator(self.catalog)
        return self._evaluator


@click.group(context_settings=CONTEXT)
@click.option("--regler", "rules", metavar="KATALOG", help="Annan regelkatalog än den inbyggda (rules/).")
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Visa versionen och avsluta.",
)
@click.pass_context
def main(ctx: click.Context, rules: str | None) -> None:
    """Bedöm ST-utbildning enligt SPUR-modellen: betyg A–D per område med skäl för varje krav.

    \b
    Exempel:
      spur grade evidence/examples/vardcentralen_linden.yaml
      spur init -o min_enhet.yaml
    """
    ctx.obj = State(rules)


user_option = click.option(
    "--anvandare",
    "user",
    metavar="NAMN",
    envvar="SPUR_ANVANDARE",
    help="Läs och ändra som denna användare (dess roller); utan: som databasens ägare.",
)


def _store(user: str | None) -> Any:
    """Open the store (Django, imported only here) and return the user the command acts as."""
    import web

    web.setup()
    from web.store.people import acting_user, ensure_migrated

    ensure_migrated()
    return acting_user(user)


@main.command()
@click.argument("fil", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Utdataformat.",
)
@click.option(
    "--fail-on", type=click.Choice(GRADES), help="Avsluta med kod 1 om något område har detta betyg eller sämre."
)
@click.option("-o", "--output", metavar="FIL", help="Skriv till fil i stället för standard ut.")
@click.option("--plan", "plan_file", metavar="PLAN", help="Handlingsplan att bedöma om områden med D efter.")
@click.option(
    "--full", is_flag=True, help="Visa skälen för varje krav (text). Utan: betyg och ej uppfyllda krav per område."
)
@click.pass_obj
def grade(
    state: State, fil: str, fmt: str, fail_on: str | None, output: str | None, plan_file: str | None, full: bool
) -> None:
    """Bedöm en enhets evidensfil och visa betyg per område, med skälen för varje krav med --full.

    \b
    JSON och Markdown innehåller alltid skälen.
    Exempel:
      spur grade enhet.yaml
      spur grade enhet.yaml --full
      spur grade enhet.yaml --format json --fail-on D
    """
    from evidence.loader import load_evidence

    evidence = load_evidence(Path(fil), state.catalog.known, fil)
    result = state.evaluator.evaluate(evidence)
    if plan_file:
        from engine.regrade import apply_plan
        from evidence.plan import load_plan

        the_plan = load_plan(Path(plan_file), state.catalog.known, plan_file)
        _check_plan(the_plan, result, plan_file)
        result = apply_plan(result, the_plan, state.catalog)
    if fmt == "json":
        from reports.render import to_json

        text = to_json(result.to_json())
    elif fmt == "markdown":
        from reports.render import render_markdown

        text = render_markdown(result, state.catalog)
    elif full:
        from reports.text import render_text

        text = render_text(result, state.catalog)
    else:
        from reports.text import render_summary

        again = " ".join(shlex.quote(a) for a in (fil, *(("--plan", plan_file) if plan_file else ())))
        text = render_summary(result, state.catalog, f"{invocation()} grade {again} --full")
    write_output(text, output, (fil, plan_file))
    if fail_on and any(GRADES.index(a.adjusted_grade or a.grade) >= GRADES.index(fail_on) for a in result.areas):
        sys.exit(1)


@main.command()
@click.argument("filer", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.pass_obj
def validate(state: State, filer: tuple[str, ...]) -> None:
    """Kontrollera att evidensfiler är giltiga, utan att bedöma dem."""
    from evidence.loader import load_evidence

    errors: list[str] = []
    for fil in filer:
        try:
            ev = load_evidence(Path(fil), state.catalog.known, fil)
        except InputError as exc:
            errors.extend(exc.lines)
            continue
        # No st_lakare key is missing evidence (as `spur grade` says), not a unit without ST-läkare.
        st = "ST-läkare saknas i underlaget" if ev.st_lakare is None else f"{len(ev.st_lakare)} ST-läkare"
        click.echo(f"{fil}: giltig ({ev.enhet.namn}, {st}, bedömd {ev.bedomning.datum.isoformat()})")
    if errors:
        raise InputError(errors)


def _load_all(files: tuple[str, ...], loader: Any, state: State) -> list[Any]:
    """Load every file; report the errors of all of them together (one line each) rather than stopping at the first."""
    loaded, errors = [], []
    for fil in files:
        try:
            loaded.append(loader(Path(fil), state.catalog.known, fil))
        except InputError as exc:
            errors.extend(exc.lines)
    if errors:
        raise InputError(errors)
    return loaded


def _check_plan(
    plan: Any, result: Any, plan_file: str, hint: str = "Kontrollera att planen hör till evidensfilen."
) -> None:
    from evidence.plan import mismatch

    wrong = mismatch(plan, result.unit, date.fromisoformat(result.assessed_on))
    if wrong:
        raise InputError(f"{plan_file}: {wrong}. {hint}")


def _rows(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: ogiltigt datum {value!r}. Ange ÅÅÅÅ-MM-DD.") from None


@main.command()
@click.argument("fil", type=click.Path(dir_okay=False))
@click.option("-o", "--output", metavar="PLAN", help="Handlingsplanens fil; finns den redan uppdateras den.")
@click.option("--plan-date", metavar="DATUM", help="Plandatum (ÅÅÅÅ-MM-DD); standard är bedömningsdatumet.")
@click.pass_obj
def plan(state: State, fil: str, output: str | None, plan_date: str | None) -> None:
    """Skriv ett utkast till handlingsplan för enhetens brister, eller uppdatera en befintlig.

    \b
    En rad per ej uppfylld föreskrift (åtgärd krävs) och allmänt råd (åtgärd rekommenderas).
    Körs den igen mot en befintlig plan läggs nya brister till och rader vars krav nu är uppfyllt
    markeras; inget som redan står i planen ändras eller tas bort.

    \b
    Exempel:
      spur plan enhet.yaml -o handlingsplan.yaml --plan-date 2025-04-01
    """
    from engine.plan import merge_plan, new_plan
    from evidence.loader import load_evidence
    from evidence.plan import load_plan

    evidence = load_evidence(Path(fil), state.catalog.known, fil)
    result = state.evaluator.evaluate(evidence)
    assessed = evidence.bedomning.datum
    given = _date(plan_date, "--plan-date")
    day = given or assessed
    if day < assessed:
        raise UsageError(
            f"--plan-date: {day.isoformat()} ligger före bedömningsdatumet {assessed.isoformat()}. Ange ett senare datum."
        )
    # an empty file (just created) or a pipe is written as a new plan; a plan in the file is updated
    target = Path(output) if output else None
    if target is not None and target.is_file() and target.read_bytes().strip():
        existing = load_plan(target, state.catalog.known, output)
        _check_plan(existing, result, output, "Skriv planen för den här bedömningen till en annan fil.")
        if given and given < existing.plandatum:
            raise UsageError(
                f"--plan-date: {given.isoformat()} ligger före planens plandatum {existing.plandatum.isoformat()} "
                f"i {output}. Ange ett senare datum, eller inget för att datera nya rader från plandatum."
            )
        change = merge_plan(target.read_text(encoding="utf-8"), existing, result, evidence, state.catalog, given)
        write_output(change.text, output, (fil,))
        solved = len(change.solved)
        click.echo(
            f"Uppdaterade {output}: {_rows(len(change.added), 'ny rad', 'nya rader')} "
            f"({', '.join(change.added) or 'inga'}"
            f"{f', daterade från {given.isoformat()}' if given and change.added else ''}), "
            f"{_rows(solved, 'rad', 'rader')} vars krav nu är {'uppfyllt' if solved == 1 else 'uppfyllda'}, "
            f"{_rows(change.kept, 'befintlig rad', 'befintliga rader')} i övrigt "
            f"{'orörd' if change.kept == 1 else 'orörda'}.",
            err=True,
        )
        return
    change = new_plan(result, evidence, state.catalog, day)
    write_output(change.text, output, (fil,))
    if output:
        click.echo(
            f"Skrev {output}: {_rows(len(change.added), 'rad', 'rader')} ({', '.join(change.added) or 'inga brister'}).",
            err=True,
        )


@main.command()
@click.argument("planer", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--today", "today_text", metavar="DATUM", help="Dagens datum (ÅÅÅÅ-MM-DD); standard är i dag.")
@click.option(
    "--within", type=click.IntRange(min=0, max=3650), metavar="DAGAR", help="Förfaller snart inom så många dagar."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ics"]), default="text", show_default=True)
@click.option("-o", "--output", metavar="FIL", help="Skriv till fil i stället för standard ut.")
@click.option("--db", "from_db", is_flag=True, help="Varje enhets aktuella handlingsplan i databasen.")
@click.option("--region", metavar="REGION", help="Med --db: bara enheterna i regionen.")
@user_option
@click.pass_obj
def followup(
    state: State,
    planer: tuple[str, ...],
    today_text: str | None,
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
    today = _date(today_text, "--today") or date.today()
    if from_db:
        if planer:
            raise UsageError("--db läser planerna från databasen: ange inga planfiler.")
        acting = _store(user)
        from web.store.queries import followup_items

        items, days, plans = followup_items(acting, today, within, region)
    else:
        from engine.followup import collect
        from engine.plan import defaults
        from evidence.plan import load_distinct_plans

        if region or user:
            raise UsageError("--region och --anvandare gäller bara med --db.")
        if not planer:
            raise UsageError("ange handlingsplaner (filer), eller --db för databasen.")
        plans = load_distinct_plans(planer, state.catalog.known)
        days = within if within is not None else defaults(state.catalog).due_soon_days
        items = collect(plans, today, days)
    if fmt == "json":
        from reports.render import to_json

        text = to_json([i.to_json() for i in items])
    elif fmt == "ics":
        from reports.ics import render_ics

        text = render_ics(plans)
    else:
        from reports.followup_view import render_followup_text

        text = render_followup_text(items, today, days)
    write_output(text, output, planer)
    if any(i.state == "overdue" for i in items):
        sys.exit(1)


@main.command("show-plan")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True)
@click.option("-o", "--output", metavar="FIL", help="Skriv till fil i stället för standard ut.")
@click.pass_obj
def show_plan(state: State, plan_file: str, fmt: str, output: str | None) -> None:
    """Visa en handlingsplan som tabell i den officiella layouten (Markdown eller HTML).

    \b
    Exempel:
      spur show-plan handlingsplan.yaml --format html -o handlingsplan.html
    """
    from evidence.plan import load_plan
    from reports.render import render_plan

    the_plan = load_plan(Path(plan_file), state.catalog.known, plan_file)
    write_output(render_plan(the_plan, fmt, state.catalog), output, (plan_file,))


@main.command()
@click.argument("fil", type=click.Path(dir_okay=False))
@click.option("--plan", "plan_file", metavar="PLAN", help="Enhetens handlingsplan; utan den visas ett utkast.")
@click.option(
    "-o",
    "--output",
    metavar="FIL",
    help="Skriv till fil (rapport.html, .md, .pdf eller .docx) i stället för standard ut; ändelsen väljer format.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    help="Utdataformat; måste stämma med ändelsen i -o. Standard: ändelsens format, annars html.",
)
@click.pass_obj
def report(state: State, fil: str, plan_file: str | None, output: str | None, fmt: str | None) -> None:
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
    from evidence.loader import validate
    from evidence.yamlsafe import format_loc, load
    from reports.document import render_document
    from reports.pseudonyms import Pseudonyms, evidence_prose, plan_prose

    fmt = _report_format(output, fmt)
    if fmt == "pdf":  # no browser: say so before any work, and write nothing
        from reports.pdf import find_browser

        find_browser()
    doc = load(Path(fil), fil)
    evidence = validate(doc, state.catalog.known)
    alias = Pseudonyms(evidence, state.catalog)
    warnings = [(doc, loc, m) for loc, m in alias.partial_mentions(evidence_prose(evidence))]
    result = state.evaluator.evaluate(evidence)
    the_plan = None
    if plan_file:
        from engine.regrade import apply_plan
        from evidence.plan import validate_plan

        plan_doc = load(Path(plan_file), plan_file)
        the_plan = validate_plan(plan_doc, state.catalog.known)
        _check_plan(the_plan, result, plan_file)
        result = apply_plan(result, the_plan, state.catalog)
        warnings += [(plan_doc, loc, m) for loc, m in alias.partial_mentions(plan_prose(the_plan))]
    for source, loc, message in warnings:
        click.echo(f"varning: {source.where(loc)}: {format_loc(loc)}: {message}", err=True)
    write_output(render_document(result, evidence, state.catalog, the_plan, fmt), output, (fil, plan_file))


def _report_format(output: str | None, fmt: str | None) -> str:
    """The report's format from -o's suffix and --format, which must agree; PDF and Word go to a file."""
    if output is None or output == "-":
        if fmt in ("pdf", "docx"):
            raise UsageError(f"--format {fmt}: ange en fil att skriva till, t.ex. -o rapport.{fmt}.")
        return fmt or "html"
    suffix = Path(output).suffix.lower()
    by_suffix = SUFFIXES.get(suffix)
    if by_suffix is None:
        raise UsageError(
            f"-o {output}: okänd filändelse {suffix or '(ingen)'}. Ange .html, .md, .pdf eller .docx "
            "(ändelsen väljer formatet)."
        )
    if fmt is not None and fmt != by_suffix:
        raise UsageError(f"--format {fmt} stämmer inte med filändelsen i -o {output}. Ändra det ena.")
    return by_suffix


@main.command()
@click.argument("sokvagar", metavar="SÖKVÄG...", nargs=-1)
@click.option("-o", "--output", "outdir", metavar="UTKATALOG", help="Skriv filerna i katalogen i stället för stdout.")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), metavar="N", help="Antal processer; standard är antalet kärnor."
)
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "html"]), default="json", show_default=True)
@click.option("--reports", is_flag=True, help="Skriv också varje enhets rapport (HTML) i UTKATALOG.")
@click.option("--plan-dir", metavar="KATALOG", help="Handlingsplaner med samma filnamn som evidensfilen.")
@click.option("--fail-on", type=click.Choice(GRADES), help="Kod 1 om någon enhet har detta betyg eller sämre.")
@click.option("--db", "from_db", is_flag=True, help="Från databasen: varje enhets senaste bedömning och trenden.")
@click.option("--region", metavar="REGION", help="Med --db: bara enheterna i regionen.")
@user_option
@click.pass_obj
def batch(
    state: State,
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
    from engine.batch import run_batch, summary_lines
    from evidence.discovery import collect
    from evidence.plan import index_plans
    from reports.batch_files import OUTPUT_NAMES, ReportFiles
    from reports.batch_view import render
    from reports.progress import Progress

    if from_db:
        if sokvagar or reports or plan_dir:
            raise UsageError("--db läser enheterna från databasen: ange inga sökvägar, --reports eller --plan-dir.")
        acting = _store(user)
        from web.store.queries import batch_result

        result = batch_result(acting, region)
        text = render(result, fmt)
        if outdir:
            target = Path(outdir)
            target.mkdir(parents=True, exist_ok=True)
            atomic_write(target / OUTPUT_NAMES[fmt], text)
            click.echo(f"Skrev {(target / OUTPUT_NAMES[fmt]).as_posix()}.", err=True)
        else:
            click.echo(text, nl=False)
        n = len(result.rows)
        click.echo(f"{n} {'enhet' if n == 1 else 'enheter'} från databasen ({result.seconds:.1f} s).", err=True)
        code = result.exit_code(fail_on)
        if code:
            sys.exit(code)
        return
    if region or user:
        raise UsageError("--region och --anvandare gäller bara med --db.")
    if not sokvagar:
        raise UsageError("ange evidensfiler eller kataloger, eller --db för databasen.")
    if reports and not outdir:
        raise UsageError("--reports kräver -o UTKATALOG (en rapportfil per enhet).")
    if plan_dir is not None and not Path(plan_dir).is_dir():
        raise UsageError(f"--plan-dir: {plan_dir} är ingen katalog.")
    target = Path(outdir) if outdir else None
    if target is not None:
        if target.exists() and not target.is_dir():
            raise UsageError(f"-o: {outdir} finns och är ingen katalog.")
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"-o {outdir}: kan inte skapa katalogen ({os_reason(exc)}).") from None
        if not os.access(target, os.W_OK | os.X_OK):  # found out now, not after grading every file
            raise UsageError(f"-o {outdir}: behörighet saknas att skriva i katalogen.")
    files, unmatched = collect(sokvagar)
    if not files and not unmatched:
        raise UsageError("inga evidensfiler (*.yaml, *.yml) hittades.")
    plans = None
    if plan_dir is not None:
        plans, plan_problems = index_plans(Path(plan_dir), state.catalog.known)
        unmatched += plan_problems
    render_report = None
    if reports:
        from reports.report import render_report as render_one

        def render_report(result: Any, evidence: Any, catalog: Any, plan: Any) -> str:
            return render_one(result, evidence, catalog, plan, "html")

    with Progress(len(files)) as bar:
        result = run_batch(
            files,
            state.evaluator,
            jobs=jobs or os.cpu_count() or 1,
            plans=plans,
            render_report=render_report,
            on_row=ReportFiles(target) if reports and target is not None else None,
            progress=bar.update,
            extra=unmatched,
        )
    text = render(result, fmt)
    if target is None:
        click.echo(text, nl=False)
    else:
        atomic_write(target / OUTPUT_NAMES[fmt], text)
    for line in summary_lines(result):
        click.echo(line, err=True)
    if target is not None:
        click.echo(f"Skrev {(target / OUTPUT_NAMES[fmt]).as_posix()}.", err=True)
    code = result.exit_code(fail_on)
    if code:
        sys.exit(code)


@main.command()
@click.argument("gammal", metavar="GAMMAL", type=click.Path(dir_okay=False))
@click.argument("ny", metavar="NY", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-o", "--output", metavar="FIL", help="Skriv till fil i stället för standard ut.")
@click.pass_obj
def diff(state: State, gammal: str, ny: str, fmt: str, output: str | None) -> None:
    """Jämför två bedömningar av samma enhet: betyg per område och varje krav vars utfall ändrats, med skälen.

    \b
    Exempel:
      spur diff enhet_2024.yaml enhet_2025.yaml
      spur diff enhet_2024.yaml enhet_2025.yaml --format json
    """
    from engine.diff import diff_units
    from evidence.loader import load_evidence
    from reports.diff_view import render_json
    from reports.diff_view import render_text as render_diff

    def load(path: Path, known: Any, label: str) -> Any:
        return load_evidence(path, known, label, "'spur diff' jämför två evidensfiler; planer jämförs inte.")

    loaded = _load_all((gammal, ny), load, state)
    old, new = (state.evaluator.evaluate(ev) for ev in loaded)
    change = diff_units(old, new, gammal, ny)
    write_output(render_json(change) if fmt == "json" else render_diff(change, state.catalog), output, (gammal, ny))


@main.group()
def rules() -> None:
    """Visa, granska och testa regelkatalogen."""


@rules.command("list")
@click.option("--area", type=click.Choice(list("ABCDEFGH")), help="Bara ett område.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def rules_list(state: State, area: str | None, fmt: str) -> None:
    """Lista kraven i rapportordning (låg klassningssäkerhet markeras)."""
    from reports.catalog_view import list_json, list_text

    catalog = state.catalog
    write_output(list_json(catalog, area) if fmt == "json" else list_text(catalog, area), None)


@rules.command("show")
@click.argument("krav_id", metavar="ID")
@click.pass_obj
def rules_show(state: State, krav_id: str) -> None:
    """Visa ett krav: text, typ, referenser, underlag, åtgärd, villkor och exempel."""
    from reports.catalog_view import show_requirement

    catalog = state.catalog
    write_output(show_requirement(catalog, catalog.by_id[_requirement_id(catalog, krav_id)]), None)


def _requirement_id(catalog: Any, krav_id: str) -> str:
    """A requirement id as the user typed it ('e-04' too), or a usage error with the closest id."""
    import re

    m = re.fullmatch(r"([A-Za-z])-?0*(\d{1,2})", krav_id.strip())
    wanted = f"{m.group(1).upper()}-{int(m.group(2)):02d}" if m else krav_id.upper()
    if wanted in catalog.by_id:
        return wanted
    from evidence.messages import closest

    close = closest(krav_id.upper(), list(catalog.by_id))
    hint = f" Menade du {close[0]}?" if close else ""
    raise UsageError(f"okänt krav-id '{krav_id}'.{hint} Se 'spur rules list'.")


@rules.command("lint")
@click.pass_obj
def rules_lint(state: State) -> None:
    """Granska regelkatalogen: id, fält som finns i evidensmodellen, exempel, motorns gränser."""
    from engine.lint import lint

    catalog = state.catalog
    problems = lint(catalog)
    if problems:
        raise InputError(problems)
    click.echo(
        f"Regelkatalogen är felfri: {len(catalog.requirements)} krav i {len(catalog.areas)} områden ({catalog.version})."
    )


@rules.command("test")
@click.option("--id", "only", metavar="ID", help="Bara exemplen för ett krav.")
@click.pass_obj
def rules_test(state: State, only: str | None) -> None:
    """Kör varje regels exempel och jämför utfallet med det förväntade."""
    from engine.examples import run_examples

    words = state.catalog.vocabulary["outcomes"]
    runs = run_examples(state.evaluator, _requirement_id(state.catalog, only) if only else None)
    failed = [r for r in runs if not r.ok]
    for r in failed:
        got = r.error or f"{words[r.outcome]} ({'; '.join(r.reasons)})"
        click.echo(f"FEL {r.requirement.id} exempel {r.number + 1}: väntat {words[r.example.expect]}, fick {got}")
    click.echo(f"{len(runs) - len(failed)} av {len(runs)} exempel gav väntat utfall, {len(failed)} fel.")
    if failed:
        sys.exit(1)


@main.command()
@click.option("-o", "--output", metavar="FIL", help="Skriv mallen till fil (annars standard ut).")
@click.option("--force", is_flag=True, help="Skriv över en befintlig fil.")
@click.pass_obj
def init(state: State, output: str | None, force: bool) -> None:
    """Skriv en evidensmall med alla frågor och underlagstips som kommentarer."""
    from reports.template import render_template

    if output and Path(output).exists() and not force:
        raise UsageError(f"{output} finns redan. Välj ett annat namn eller lägg till --force för att skriva över.")
    write_output(render_template(state.catalog), output)
    if output:
        click.echo(f"Skrev {output}. Fyll i uppgifterna och kör: {invocation()} grade {shlex.quote(output)}", err=True)


@main.command()
@click.pass_obj
def schema(state: State) -> None:
    """Skriv evidensfilens JSON Schema (för kodkomplettering i editorn)."""
    from reports.render import to_json
    from reports.schema import json_schema

    write_output(to_json(json_schema(state.catalog)), None)


@main.group()
def db() -> None:
    """Databasen: enheter, bedömningar och handlingsplaner över tid (SQLite som standard).

    \b
    Filen är ~/.local/share/spur/spur.sqlite3; SPUR_DATABASE_URL anger en annan
    (sqlite:///SÖKVÄG eller postgresql://användare@värd/databas).
    """


@db.command("init")
@click.option("--admin", "admin", default="admin", show_default=True, metavar="NAMN", help="Administratörens namn.")
def db_init(admin: str) -> None:
    """Skapa databasen eller uppdatera den, och en administratör om ingen finns.

    \b
    Exempel:
      spur db init
      SPUR_DATABASE_URL=postgresql://spur@localhost/spur spur db init
    """
    import web

    web.setup()
    from django.contrib.auth import get_user_model

    from web.store.people import create_user, describe_database, migrate

    done = migrate()
    click.echo(f"Databasen {describe_database()}: {_rows(len(done), 'migrering körd', 'migreringar körda')}.")
    if not get_user_model().objects.filter(is_superuser=True).exists():
        _, password = create_user(admin, None, superuser=True)
        click.echo(f"Administratör skapad: {admin}, lösenord: {password} (visas bara nu; byt det vid första inloggningen).")


@db.command("import")
@click.argument("sokvagar", metavar="SÖKVÄG...", nargs=-1, required=True)
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N", help="Antal processer; standard är antalet kärnor.")
@user_option
def db_import(sokvagar: tuple[str, ...], jobs: int | None, user: str | None) -> None:
    """Importera evidensfiler och handlingsplaner (kataloger söks rekursivt).

    \b
    Varje fil valideras som i 'spur grade'; en ogiltig fil stoppar inte resten (kod 3).
    En fil som redan finns i databasen (samma innehåll) ger inget nytt; en ändrad fil
    blir en ny version. En senare bedömning av en enhet för dess handlingsplan vidare.
    Exempel:
      spur db import evidence/examples
    """
    acting = _store(user)
    from web.store.importing import STATUS, import_paths, summary

    run = import_paths(sokvagar, acting, jobs or os.cpu_count() or 1)
    for f in run.files:
        if f.errors:
            for line in f.errors:
                click.echo(line, err=True)
        else:
            click.echo(f"{f.path}: {STATUS[f.status]} ({f.detail})")
    click.echo(summary(run), err=True)
    if run.exit_code():
        sys.exit(run.exit_code())


@db.command("export")
@click.argument("utkatalog", metavar="UTKATALOG")
@user_option
def db_export(utkatalog: str, user: str | None) -> None:
    """Skriv varje enhets senaste bedömning och aktuella handlingsplan som filer.

    \b
    Filerna är exakt det som importerades (byte för byte) om inget ändrats sedan.
    Exempel:
      spur db export export/
    """
    acting = _store(user)
    from web.store.importing import export

    target = Path(utkatalog)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{utkatalog} finns och är ingen katalog.")
    written = export(target, acting)
    click.echo(f"Skrev {_rows(len(written), 'fil', 'filer')} i {utkatalog}.", err=True)


@db.command("logg")
@click.option("--enhet", metavar="ENHET", help="Bara händelser för enheten.")
@click.option("--diff", "with_diff", is_flag=True, help="Visa också skillnaden i dokumentet.")
@user_option
def db_log(enhet: str | None, with_diff: bool, user: str | None) -> None:
    """Visa granskningsloggen: vem ändrade vad och när (för administratörer).

    \b
    Exempel:
      spur db logg --enhet "Vårdcentralen Linden" --diff
    """
    acting = _store(user)
    from web.store.queries import audit_lines

    lines = audit_lines(acting, enhet, with_diff)
    click.echo("\n".join(lines) if lines else "Inga händelser som du får läsa.")


@db.command("demo")
def db_demo() -> None:
    """Skapa databasen med exempelenheterna, deras uppföljningar och en demoanvändare per roll.

    \b
    Lösenorden skrivs ut (nya vid varje körning). Prova sedan:
      spur history "Vårdcentralen Linden"
      spur batch --db --format html -o oversikt/
    """
    import web

    web.setup()
    from web.store.demo import load_demo
    from web.store.people import describe_database, migrate

    migrate()
    for line in load_demo(describe_database()):
        click.echo(line)


@main.command()
@click.argument("enhet", metavar="ENHET")
@click.option("--vardgivare", metavar="VÅRDGIVARE", help="När flera enheter har samma namn.")
@click.option("--today", "today_text", metavar="DATUM", help="Radernas läge per datum (ÅÅÅÅ-MM-DD); standard är i dag.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-o", "--output", metavar="FIL", help="Skriv till fil i stället för standard ut.")
@user_option
def history(
    enhet: str, vardgivare: str | None, today_text: str | None, fmt: str, output: str | None, user: str | None
) -> None:
    """Visa en enhets betyg per område över alla bedömningar, handlingsplanerna och radernas läge.

    \b
    Exempel:
      spur history "Vårdcentralen Linden"
      spur history "Vårdcentralen Linden" --today 2025-10-15 --format json
    """
    today = _date(today_text, "--today") or date.today()
    acting = _store(user)
    from reports.history_view import history_json, render_history_text
    from web.store.queries import find_unit, unit_history

    h = unit_history(acting, find_unit(acting, enhet, vardgivare), today)
    write_output(history_json(h) if fmt == "json" else render_history_text(h), output)


@main.command("region-report")
@click.option("--year", "year", type=click.IntRange(2000, 2100), required=True, metavar="ÅR", help="Året (per 31 december).")
@click.option("--region", metavar="REGION", help="Bara enheterna i regionen.")
@click.option("--format", "fmt", type=click.Choice(["html", "csv", "json"]), default="html", show_default=True)
@click.option("-o", "--output", metavar="FIL", help="Skriv till fil i stället för standard ut.")
@user_option
def region_report(year: int, region: str | None, fmt: str, output: str | None, user: str | None) -> None:
    """Regionens årssiffror: bedömda enheter, extern granskning som förfaller och är försenad,
    sena handlingsplaner, försenade rader och betygsfördelning per område.

    \b
    Exempel:
      spur region-report --year 2025 --region "Region Exempelland" -o region-2025.html
      spur region-report --year 2025 --format csv
    """
    acting = _store(user)
    from reports.region_view import render_region
    from web.store.queries import region_report as figures

    write_output(render_region(figures(acting, year, region), fmt), output)


def _swedish_usage(command: click.Command) -> None:
    command.options_metavar = "[ALTERNATIV]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = "KOMMANDO [ARGUMENT]..."
        for sub in command.commands.values():
            _swedish_usage(sub)


_swedish_usage(main)


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
_HELP: dict[click.Command, str] = {}


def _name_commands(prog: str, command: click.Command) -> None:
    """The examples in every help text start with `prog` (see `invocation`)."""
    if command.help:
        original = _HELP.setdefault(command, command.help)
        command.help = original if prog == "spur" else _EXAMPLE.sub(lambda m: f"{m.group(1)}{prog} ", original)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _name_commands(prog, sub)


def _hint(line: str, prog: str) -> str:
    """A message that names a command ('spur rules list') names it the way spur was started."""
    return line if prog == "spur" else line.replace("'spur ", f"'{prog} ")


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
        prefix = "fel: " if isinstance(exc, UsageError) else ""
        for line in exc.lines if isinstance(exc, InputError) else [str(exc)]:
            click.echo(prefix + _hint(line, prog), err=True)
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
        click.echo(
            f"internt fel: {type(exc).__name__}: {exc}. Kör med SPUR_DEBUG=1 för detaljer och rapportera felet.",
            err=True,
        )
        return 4


def entry() -> None:
    # One command in a short-lived process: nearly every object made at start-up (modules, pydantic schemas, the
    # catalogue) lives until exit. The cyclic collector would rescan them ~80 times during a `spur grade` and once
    # more at interpreter shutdown, together about a fifth of the run. Collect the young generation only every
    # 100,000 allocations, as mypy does (`spur batch` sets its own thresholds), and leave what is alive at the end to
    # the operating system: frozen objects are skipped by the collection at shutdown; atexit handlers still run.
    gc.set_threshold(100_000, 50, 100)
    code = run()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
