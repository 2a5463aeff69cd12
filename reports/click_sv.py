"""Swedish for click's own messages (usage, errors, help headings).

click looks its strings up through `gettext` at call time in each of its modules; we point those lookups at this
table. Strings not in the table stay as click wrote them.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

SV = {
    "Usage:": "Användning:",
    "Options": "Alternativ",
    "Commands": "Kommandon",
    "Arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Error": "Fel",
    "Error: {message}": "Fel: {message}",
    "Aborted!": "Avbrutet.",
    "Missing argument": "Argument saknas:",
    "Missing option": "Alternativ saknas:",
    "Missing parameter": "Parameter saknas:",
    "Missing command.": "Kommando saknas.",
    "No such option {name!r}.": "Okänt alternativ {name!r}.",
    "Option {name!r} does not take a value.": "Alternativet {name!r} tar inget värde.",
    "Positional arguments": "Argument",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "No such option: {name}": "Okänt alternativ: {name}",
    "No such command {name!r}.": "Okänt kommando {name!r}.",
    "Missing argument {param_hint}.": "Argument saknas: {param_hint}.",
    "Missing option {param_hint}.": "Alternativ saknas: {param_hint}.",
    "Missing parameter {param_hint}.": "Parameter saknas: {param_hint}.",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Got unexpected extra argument ({args})": "Oväntat extra argument ({args})",
    "Option {name!r} requires an argument.": "Alternativet {name!r} kräver ett värde.",
    "{value!r} is not {choice}.": "{value!r} är inte {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} är inte något av {choices}.",
    "{value!r} is not a valid integer.": "{value!r} är inte ett heltal.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en katalog.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa (behörighet saknas).",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva (behörighet saknas).",
    "{value} is not in the range {range}.": "{value} ligger utanför det tillåtna intervallet {range}.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt tal.",
    "file": "filen",
    "directory": "katalogen",
    "path": "sökvägen",
    "(dynamic)": "(dynamisk)",
    "default": "standard",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "required": "krävs",
}
SV_PLURAL = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Menade du {possibility}?",
        "(Menade du något av: {possibilities}?)",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "Alternativet {name!r} kräver ett värde.",
        "Alternativet {name!r} kräver {nargs} värden.",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Oväntat extra argument ({args})",
        "Oväntade extra argument ({args})",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} är inte {choice}.",
        "{value!r} är inte något av {choices}.",
    ),
}


def _gettext(message: str) -> str:
    return SV.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    pair = SV_PLURAL.get((singular, plural))
    if pair:
        return pair[0] if n == 1 else pair[1]
    return _gettext(singular) if n == 1 else _gettext(plural)


def install() -> None:
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

GRADES = ("A", "B", "C", "D")
TO_STDOUT = "Skriv till fil i stället för standard ut."

# Options shared by several commands (each command may give its own help text).
output_option = partial(click.option, "-o", "--output", metavar="FIL", help=TO_STDOUT)
fail_on_option = partial(click.option, "--fail-on", type=click.Choice(GRADES))
plan_option = partial(click.option, "--plan", "plan_file", metavar="PLAN")
file_argument = partial(click.argument, type=click.Path(dir_okay=False))


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


def format_option(*choices: str, default: str | None = None, help: str | None = None) -> Any:
    kind = click.Choice(list(choices))
    return click.option("--format", "fmt", type=kind, default=default, show_default=default is not None, help=help)


def say(lines: Any, err: bool = True, prefix: str = "") -> None:
    """Each line that is not None, on standard error unless `err=False`."""
    for line in lines:
        if line is not None:
            click.echo(prefix + line, err=err)
