"""Exceptions that map to the CLI's exit codes."""

from __future__ import annotations


class SpurError(Exception):
    """Base class; `exit_code` is what the CLI returns."""

    exit_code = 4


class InputError(SpurError):
    """Invalid input (evidence, plan or rule files): one Swedish line per problem, no traceback."""

    exit_code = 3

    def __init__(self, lines: list[str] | str) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))


class UsageError(SpurError):
    exit_code = 2
