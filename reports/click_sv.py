"""Swedish for click's own messages (usage, errors, help headings).

click looks its strings up through `gettext` at call time in each of its modules; we point those lookups at this
table. Strings not in the table stay as click wrote them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any, NamedTuple

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from engine.terms import GRADES
from evidence.errors import UsageError

SV = {
    "Usage:": "Användning:",
    "Options": "Alternativ",
    "Commands": "Kommandon",
    "Arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Error": "fel",
    "Error: {message}": "fel: {message}",
    "Aborted!": "Avbrutet.",
    "Missing argument": "argument saknas:",
    "Missing option": "alternativ saknas:",
    "Missing parameter": "parameter saknas:",
    "Missing command.": "kommando saknas.",
    "No such option {name!r}.": "okänt alternativ {name!r}.",
    "Option {name!r} does not take a value.": "alternativet {name!r} tar inget värde.",
    "Positional arguments": "Argument",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "No such option: {name}": "okänt alternativ: {name}",
    "No such command {name!r}.": "okänt kommando {name!r}.",
    "Missing argument {param_hint}.": "argument saknas: {param_hint}.",
    "Missing option {param_hint}.": "alternativ saknas: {param_hint}.",
    "Missing parameter {param_hint}.": "parameter saknas: {param_hint}.",
    "Invalid value for {param_hint}: {message}": "ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "ogiltigt värde: {message}",
    "Got unexpected extra argument ({args})": "oväntat extra argument ({args}).",
    "Option {name!r} requires an argument.": "alternativet {name!r} kräver ett värde.",
    "{value!r} is not {choice}.": "{value!r} är inte {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} är inte något av {choices}.",
    "{value!r} is not a valid integer.": "{value!r} är inte ett heltal.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en katalog.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa (behörighet saknas).",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva (behörighet saknas).",
    "{value} is not in the range {range}.": "{value} är inte tillåtet; värdet ska vara {range}.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt tal.",
    "file": "filen",
    "directory": "katalogen",
    "path": "sökvägen",
    "(dynamic)": "(dynamisk)",
    "default": "standard",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "required": "krävs",
    "Missing parameter: {param_name}": "parameter saknas: {param_name}",
    "Missing {param_type}": "{param_type} saknas",
    "Could not open file {filename!r}: {message}": "kan inte öppna filen {filename!r}: {message}",
    "unknown error": "okänt fel",
    "Argument {name!r} takes {nargs} values.": "argumentet {name!r} tar {nargs} värden.",
    "Invalid start character for option ({option})": "ogiltigt första tecken i alternativet ({option})",
    "Value must be an iterable.": "värdet ska vara en lista.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    "{value!r} is not a valid UUID.": "{value!r} är inte ett giltigt UUID.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} är inte ja eller nej. Tillåtna värden: {states}",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "Choice({choices})": "Val({choices})",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "deprecated": "föråldrat",
    "Error: invalid input": "fel: ogiltigt värde",
    "Error: The two entered values do not match.": "fel: de två värdena är olika.",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Press any key to continue...": "Tryck på valfri tangent för att fortsätta …",
    "Do you want to continue?": "Vill du fortsätta?",
    "Confirm the action without prompting.": "Bekräfta åtgärden utan att fråga.",
    "Windows error: {error}": "Windows-fel: {error}",
}
# Developer errors (a command declared wrongly) and features spur does not use: never shown to a user.
NOT_FOR_USERS = frozenset(
    {
        "Arguments take exactly one parameter declaration, got {length}: {decls}.",
        "Boolean option {decl!r} cannot use the same flag for true/false.",
        "Could not determine name for option with declarations {decls!r}",
        "DeprecationWarning: The command {name!r} is deprecated.{extra_message}",
        "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}",
        "Name '{name}' defined twice",
        "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you "
        "mean to pass '--{name}'?",
        "Couldn't detect Bash version, shell completion is not supported.",
        "Shell completion is not supported for Bash versions older than 4.4.",
        "Unknown color {colour!r}",
        "Unknown standard stream '{name}'",
        "{editor}: Editing failed",
        "{editor}: Editing failed: {e}",
        "d",
    }
)
SV_PLURAL = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Menade du {possibility}?",
        "(Menade du något av: {possibilities}?)",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "alternativet {name!r} kräver ett värde.",
        "alternativet {name!r} kräver {nargs} värden.",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "oväntat extra argument ({args}).",
        "oväntade extra argument ({args}).",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} är inte {choice}.",
        "{value!r} är inte något av {choices}.",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "tar {nargs} värden men fick 1.",
        "tar {nargs} värden men fick {len}.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): ("{len_type} värden krävs men fick {len_value}.", "{len_type} värden krävs men fick {len_value}."),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): (
        "{value!r} har inte formatet {format}.",
        "{value!r} har inget av formaten {formats}.",
    ),
}


def _gettext(message: str) -> str:
    return SV.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    pair = SV_PLURAL.get((singular, plural))
    if pair:
        return pair[0] if n == 1 else pair[1]
    return _gettext(singular) if n == 1 else _gettext(plural)


def _describe_range(self: click.types._NumberRangeBase) -> str:  # type: ignore[type-arg]
    """A number range in words, in help and errors: 'minst 1', '0–3650' (click writes 'x>=1', '0<=x<=3650')."""
    low = None if self.min is None else f"{'mer än' if self.min_open else 'minst'} {self.min}"
    high = None if self.max is None else f"{'mindre än' if self.max_open else 'högst'} {self.max}"
    if low and high and not self.min_open and not self.max_open:
        return f"{self.min}–{self.max}"
    return " och ".join(part for part in (low, high) if part)


def install() -> None:
    click.types._NumberRangeBase._describe_range = _describe_range  # type: ignore[method-assign]
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


def swedish_usage(command: click.Command) -> None:
    """Swedish placeholders in the usage lines of `command` and of every command under it."""
    command.options_metavar = "[ALTERNATIV]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = "KOMMANDO [ARGUMENT]..."
        for sub in command.commands.values():
            swedish_usage(sub)


# --- what the commands share (cli.py and the store's commands in web/commands.py) ---

TO_STDOUT = "Skriv till fil i stället för standard ut."

# Options shared by several commands (each command may give its own help text).
output_option = partial(click.option, "-o", "--output", metavar="FIL", help=TO_STDOUT)
fail_on_option = partial(click.option, "--fail-on", type=click.Choice(GRADES))
plan_option = partial(click.option, "--plan", "plan_file", metavar="PLAN")
file_argument = partial(click.argument, type=click.Path(dir_okay=False))
today_option = partial(click.option, "--today", metavar="DATUM", help="Dagens datum (ÅÅÅÅ-MM-DD); standard är i dag.")
jobs_option = partial(
    click.option,
    "-j",
    "--jobs",
    type=click.IntRange(1),
    metavar="N",
    help="Antal processer; standard är antalet kärnor.",
)


db_option = partial(click.option, "--db", "from_db", is_flag=True)
region_option = partial(click.option, "--region", metavar="REGION", help="Med --db: bara enheterna i regionen.")
user_option = partial(
    click.option,
    "--anvandare",
    "user",
    metavar="NAMN",
    envvar="SPUR_ANVANDARE",
    help="Läs och ändra som denna användare (dess roller); utan: som databasens ägare.",
)


def sources(given: tuple[str, ...], from_db: bool, region: str | None, user: str | None, what: str) -> None:
    """Files, or --db: the store (with --region and --anvandare), never both and never neither."""
    if from_db and given:
        raise UsageError(f"--db läser från databasen: ange inga {what}.")
    if not from_db and (region or user):
        raise UsageError("--region och --anvandare gäller bara med --db.")
    if not from_db and not given:
        raise UsageError(f"ange {what}, eller --db för databasen.")


class StoreQuery(NamedTuple):
    """`--db`: the store is read as `user` (None: its owner), for one region or (None) all."""

    user: str | None
    region: str | None


def store_options(files: str, what: str, help: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """`--db` (help `help`), `--region` and `--anvandare`: the command reads the store instead of the files in its
    argument `files` (`what`, in errors) and is given `store`, a StoreQuery, or None where it reads files."""

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        @wraps(command)
        def checked(*args: Any, from_db: bool, region: str | None, user: str | None, **kwargs: Any) -> None:
            sources(kwargs[files], from_db, region, user, what)
            command(*args, store=StoreQuery(user, region) if from_db else None, **kwargs)

        for option in (user_option(), region_option(), db_option(help=help)):
            checked = option(checked)
        return checked

    return decorate


def version_option(version: Callable[[], str]) -> Any:
    """`--version`: prints `version()` and exits before anything else is parsed."""

    def show(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value and not ctx.resilient_parsing:
            click.echo(version())
            ctx.exit()

    return click.option(
        "--version",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=show,
        help=SV["Show the version and exit."],
    )


def format_option(*choices: str, default: str | None = None, help: str = "Utdataformat.") -> Any:
    kind = click.Choice(list(choices))
    return click.option("--format", "fmt", type=kind, default=default, show_default=default is not None, help=help)


def say(lines: Any, err: bool = True, prefix: str = "") -> None:
    """Each line that is not None, on standard error unless `err=False`."""
    for line in lines:
        if line is not None:
            click.echo(prefix + line, err=err)
