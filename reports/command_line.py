"""spur as a command: `run`, the one place where an error becomes a Swedish line and an exit code, and the name
spur was started by. The examples in every help text and the commands in hints ("Se 'spur rules list'", "kör: spur
grade …") read `spur` when that name on PATH is this program, and otherwise the path it was started by
(`.venv/bin/spur` from the checkout), so that a command spur prints always works when pasted."""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import sys
from pathlib import Path

import click

from evidence.errors import SpurError, os_reason
from reports.click_sv import say

_EXAMPLE = re.compile(r"(?m)^(\s*)spur ")
_HINT = re.compile(r"('|kör: )spur ")
_HELP: dict[click.Command, str] = {}


def invocation() -> str:
    """How to run spur again, as a hint can print it."""
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


def name_commands(prog: str, command: click.Command) -> None:
    """The examples in every help text start with `prog`."""
    if command.help:
        original = _HELP.setdefault(command, command.help)
        command.help = original if prog == "spur" else _EXAMPLE.sub(lambda m: f"{m.group(1)}{prog} ", original)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            name_commands(prog, sub)


def hint(line: str) -> str:
    """A message that names a command names it as spur was started."""
    prog = invocation()
    return line if prog == "spur" else _HINT.sub(lambda m: f"{m.group(1)}{prog} ", line)


def spur_command(*words: str | None) -> str:
    """A spur command to paste, as spur was started: each word quoted for the shell, None words left out."""
    return " ".join((invocation(), *(shlex.quote(w) for w in words if w is not None)))


def run(group: click.Group, argv: list[str] | None) -> int:
    """`group` run with `argv` (None: the command line), named as spur was started; its exit code."""
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is shown with '?', never a crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    prog = invocation()
    name_commands(prog, group)
    try:
        group.main(args=argv, prog_name=prog, standalone_mode=False)
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
        say([hint(m) for m in exc.messages()], prefix=exc.prefix)
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
