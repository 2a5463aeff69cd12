"""`spur` — grade ST training units the way a SPUR inspection does. A thin click layer over engine/."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from engine.errors import InputError, SpurError, UsageError
from reports import click_sv

click_sv.install()
GRADES = ("A", "B", "C", "D")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def write_output(text: str, output: str | None) -> None:
    """Write to standard output, or atomically to a file (temporary file + rename)."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    target = Path(output)
    if target.is_dir():
        raise UsageError(f"{output}: är en katalog; ange ett filnamn.")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
@click.version_option(package_name="spur", message="spur %(version)s")
@click.pass_context
def main(ctx: click.Context, rules: str | None) -> None:
    """Bedöm ST-utbildning enligt SPUR-modellen: betyg A–D per område med skäl för varje krav.

    \b
    Exempel:
      spur grade evidence/examples/vardcentralen_linden.yaml
      spur init -o min_enhet.yaml
    """
    ctx.obj = State(rules)


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
@click.pass_obj
def grade(state: State, fil: str, fmt: str, fail_on: str | None, output: str | None) -> None:
    """Bedöm en enhets evidensfil och visa betyg och skäl per område.

    \b
    Exempel:
      spur grade enhet.yaml
      spur grade enhet.yaml --format json --fail-on D
    """
    from evidence.loader import load_evidence

    evidence = load_evidence(Path(fil), state.catalog, fil)
    result = state.evaluator.evaluate(evidence)
    if fmt == "json":
        from reports.render import to_json

        text = to_json(result.to_json())
    elif fmt == "markdown":
        from reports.render import render_markdown

        text = render_markdown(result, state.catalog)
    else:
        from reports.text import render_text

        text = render_text(result, state.catalog)
    write_output(text, output)
    if fail_on and any(GRADES.index(a.grade) >= GRADES.index(fail_on) for a in result.areas):
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
            ev = load_evidence(Path(fil), state.catalog, fil)
        except InputError as exc:
            errors.extend(exc.lines)
            continue
        n = len(ev.st_lakare or [])
        click.echo(f"{fil}: giltig ({ev.enhet.namn}, {n} ST-läkare, bedömd {ev.bedomning.datum.isoformat()})")
    if errors:
        raise InputError(errors)


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
    req = catalog.by_id.get(krav_id.upper())
    if req is None:
        import difflib

        close = difflib.get_close_matches(krav_id.upper(), list(catalog.by_id), n=1)
        hint = f" Menade du {close[0]}?" if close else ""
        raise UsageError(f"okänt krav-id {krav_id!r}.{hint} Se 'spur rules list'.")
    write_output(show_requirement(catalog, req), None)


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
    runs = run_examples(state.evaluator, only)
    failed = [r for r in runs if not r.ok]
    for r in failed:
        got = r.error or f"{words[r.outcome]} ({'; '.join(r.reasons)})"
        click.echo(f"FEL {r.requirement.id} exempel {r.number + 1}: väntat {words[r.example.expect]}, fick {got}")
    click.echo(f"{len(runs) - len(failed)} passed, {len(failed)} failed")
    if failed:
        sys.exit(1)


@main.command()
@click.option("-o", "--output", metavar="FIL", help="Skriv mallen till fil (annars standard ut).")
@click.option("--force", is_flag=True, help="Skriv över en befintlig fil.")
@click.pass_obj
def init(state: State, output: str | None, force: bool) -> None:
    """Skriv en evidensmall med alla frågor och underlagstips som kommentarer."""
    from evidence.template import render_template

    if output and Path(output).exists() and not force:
        raise UsageError(f"{output} finns redan. Välj ett annat namn eller lägg till --force för att skriva över.")
    write_output(render_template(state.catalog), output)
    if output:
        click.echo(f"Skrev {output}. Fyll i uppgifterna och kör: spur grade {output}", err=True)


@main.command()
@click.pass_obj
def schema(state: State) -> None:
    """Skriv evidensfilens JSON Schema (för kodkomplettering i editorn)."""
    from evidence.schema import json_schema
    from reports.render import to_json

    write_output(to_json(json_schema(state.catalog)), None)


def run(argv: list[str] | None = None) -> int:
    try:
        main.main(args=argv, prog_name="spur", standalone_mode=False)
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
            click.echo(prefix + line, err=True)
        return exc.exit_code
    except SystemExit as exc:
        return int(exc.code or 0)
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("SPUR_DEBUG"):
            raise
        click.echo(
            f"internt fel: {type(exc).__name__}: {exc}. Kör med SPUR_DEBUG=1 för detaljer och rapportera felet.",
            err=True,
        )
        return 4


def entry() -> None:
    sys.exit(run())


if __name__ == "__main__":
    entry()
