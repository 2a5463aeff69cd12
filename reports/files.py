"""Writing files safely: a temporary file in the same directory, then a rename, so no reader sees half a file."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import click

from evidence.errors import UsageError, os_reason


def write_output(text: str | bytes, output: str | None, inputs: Iterable[str | None] = ()) -> None:
    """Write to standard output, or atomically to a file (temporary file + rename), never over one of the inputs."""
    if output is None or output == "-":
        click.echo(text, nl=False)
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


def atomic_write(target: Path, text: str | bytes, *, follow_links: bool = True) -> None:
    """`_replace`, with any error reported against `target` (not the temporary file's name). With
    `follow_links=False` a symbolic link at `target` is itself replaced by the file, so nothing outside
    `target`'s directory is written."""
    try:
        _replace(target, text, follow_links)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from exc


def _replace(target: Path, text: str | bytes, follow_links: bool = True) -> None:
    """Replace `target` with `text` (bytes as they are, e.g. a PDF); a file name that is not UTF-8, quoted in `text`,
    is written with '?'.

    A symbolic link is followed (the file it points to is replaced, the link stays); an existing file keeps its
    permissions; a FIFO or device (e.g. /dev/stdout) is written to directly, since it cannot be replaced by a
    rename. With `follow_links=False` whatever is at `target` that is not a regular file is replaced by one."""
    try:
        mode: int | None = (os.stat if follow_links else os.lstat)(target).st_mode
    except FileNotFoundError:
        mode = None
    if not follow_links and mode is not None and not stat.S_ISREG(mode):
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        # by the name given: /dev/stdout's real path (/proc/self/fd/pipe:[…]) cannot be opened
        with _open(target, text) as handle:
            handle.write(text)
        return
    if follow_links:
        target = Path(os.path.realpath(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a new file is readable like any the user writes
        else:
            os.chmod(tmp, stat.S_IMODE(mode))  # a plan made private stays private
        with _open(fd, text) as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _open(file: Path | int, data: str | bytes) -> IO[Any]:
    if isinstance(data, bytes):
        return open(file, "wb")
    return open(file, "w", encoding="utf-8", errors="replace", newline="\n")
