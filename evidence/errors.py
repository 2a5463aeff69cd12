"""Exceptions that map to the CLI's exit codes."""

from __future__ import annotations

import re

# What would end, rewrite or reorder a line on a terminal: line breaks (also NEL and the Unicode line and paragraph
# separators), other control characters (an escape sequence) and the bidirectional overrides and isolates.
_NOT_IN_A_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


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
        # A line quotes what the file holds (a value, a key): whatever that is, each problem stays one line.
        self.lines = [_NOT_IN_A_LINE.sub("\ufffd", line) for line in ([lines] if isinstance(lines, str) else lines)]
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
    "EEXIST": "finns redan",
    "ENOTEMPTY": "katalogen är inte tom",
    "EBUSY": "används av ett annat program",
    "ETXTBSY": "används av ett annat program",
    "EMFILE": "för många öppna filer",
    "ENFILE": "för många öppna filer i systemet",
    "EFBIG": "filen blir för stor",
    "ENOMEM": "minnet räcker inte",
    "ENXIO": "enheten finns inte",
    "ENODEV": "enheten finns inte",
    "EINVAL": "ogiltigt filnamn eller ogiltig åtgärd",
    "EAGAIN": "tillfälligt otillgänglig, försök igen",
    "EINTR": "avbrutet",
    "EPIPE": "mottagaren har stängt",
    "ETIMEDOUT": "tidsgränsen överskreds",
    "EXDEV": "kan inte flyttas mellan filsystem",
    "ESTALE": "nätverksfilen finns inte längre",
    "ENOTSUP": "stöds inte av filsystemet",
    "EOPNOTSUPP": "stöds inte av filsystemet",
}


def os_reason(exc: OSError) -> str:
    """What the operating system said, in Swedish: the operating system's own text is English (or in the machine's
    language), so an error we have no words for is named by its code."""
    import errno

    code = errno.errorcode.get(exc.errno or 0, "")
    return _OS_ERRORS.get(code) or (f"systemfel {code}" if code else "okänt systemfel")
