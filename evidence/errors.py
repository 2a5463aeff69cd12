"""Exceptions that map to the CLI's exit codes."""

from __future__ import annotations


class SpurError(Exception):
    """Base class; `exit_code` is what the CLI returns, `prefix` what starts each line it shows."""

    exit_code = 4
    prefix = ""

    def messages(self) -> list[str]:
        return [str(self)]


class InputError(SpurError):
    """Invalid input (evidence, plan or rule files): one Swedish line per problem, no traceback."""

    exit_code = 3

    def __init__(self, lines: list[str] | str) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))

    def messages(self) -> list[str]:
        return self.lines


class UsageError(SpurError):
    exit_code = 2
    prefix = "fel: "


_OS_ERRORS = {
    "ENOENT": "filen eller katalogen finns inte",
    "EACCES": "behörighet saknas",
    "EPERM": "behörighet saknas",
    "ENOSPC": "disken är full",
    "EDQUOT": "diskkvoten är slut",
    "EROFS": "filsystemet är skrivskyddat",
    "EISDIR": "är en katalog",
    "ENOTDIR": "en del av sökvägen är inte en katalog",
    "ENAMETOOLONG": "namnet är för långt",
    "ELOOP": "för många symboliska länkar i rad",
    "EIO": "in- eller utmatningsfel",
}


def os_reason(exc: OSError) -> str:
    """What the operating system said, in Swedish where we know the error."""
    import errno

    return _OS_ERRORS.get(errno.errorcode.get(exc.errno or 0, ""), exc.strerror or type(exc).__name__)
