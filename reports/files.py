"""Writing files safely: a temporary file in the same directory, then a rename, so no reader sees half a file.

The temporary file is named for what it is, `.NAME.XXXXXXXX.spur-PID@HOST.tmp`. A run that is killed while it
writes leaves it behind; the next write into the same directory (once per process and directory) removes such
files whose process, on this host, is gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import click

from evidence.errors import UsageError, os_reason
from evidence.yamlsafe import YamlText, read_from

LOCK_TIMEOUT = 60.0  # seconds a writer waits for the one before it

_LEFT_BEHIND = re.compile(r"\..+\.spur-(\d+)@(.+)\.tmp")
_TIDIED: set[str] = set()  # directories already rid of what killed runs left


@functools.cache
def _host() -> str:
    import socket  # only when a file is written: ~2 ms of every start otherwise

    return socket.gethostname().replace("/", "_")


def _suffix(pid: int) -> str:
    return f".spur-{pid}@{_host()}.tmp"


def temporary_name(name: str, pid: int) -> str:
    """A name for a temporary file of `name` written by process `pid`, as `_replace` makes them."""
    return f".{name}.{os.urandom(4).hex()}{_suffix(pid)}"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process
        return True
    return True


def _tidy(directory: Path) -> None:
    """Remove the temporary files that killed runs of spur on this host left in `directory`."""
    key = os.path.realpath(directory)
    if key in _TIDIED:
        return
    _TIDIED.add(key)
    with contextlib.suppress(OSError):
        for name in os.listdir(directory):
            left = _LEFT_BEHIND.fullmatch(name)
            if left and left.group(2) == _host() and not _running(int(left.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(directory / name)


def write_output(
    text: str | bytes, output: str | None, inputs: Iterable[str | None] = (), *, announce: bool = False
) -> None:
    """Write to standard output, or atomically to a file (temporary file + rename), never over one of the inputs;
    `announce`: then say "Skrev FIL." on standard error."""
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
        raise _cannot_write(output, exc) from None
    if announce:
        click.echo(f"Skrev {output}.", err=True)


def _cannot_write(output: str, exc: OSError) -> UsageError:
    return UsageError(f"-o {output}: kan inte skriva filen ({os_reason(exc)}).")


def atomic_write(target: Path, text: str | bytes | Iterable[str], *, follow_links: bool = True) -> None:
    """`_replace`, with any error reported against `target` (not the temporary file's name). With
    `follow_links=False` a symbolic link at `target` is itself replaced by the file, so nothing outside
    `target`'s directory is written."""
    try:
        _replace(target, text, follow_links)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from exc


def _replace(target: Path, text: str | bytes | Iterable[str], follow_links: bool = True) -> None:
    """Replace `target` with `text` (bytes as they are, e.g. a PDF; or text in pieces, written as they come, so a
    large output is never whole in memory); a file name that is not UTF-8, quoted in `text`, is written with '?'.

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
            _write(handle, text)
        return
    if follow_links:
        target = Path(os.path.realpath(target))
    _tidy(target.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=_suffix(os.getpid()), dir=target.parent)
    try:
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a new file is readable like any the user writes
        else:
            os.chmod(tmp, stat.S_IMODE(mode))  # a plan made private stays private
        with _open(fd, text) as handle:
            _write(handle, text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def locked(output: str) -> Iterator[YamlText | str]:
    """Hold an advisory lock (flock) on the file `output` for as long as the block runs, and give its text, read once
    through the locked descriptor: write it (write_output) inside the block. A file that does not exist yet is
    created empty, so that two writers of a new file wait for each other too (and removed again if the block fails
    before writing it). Something other than a regular file (a FIFO, /dev/stdout) gives `output` itself, unlocked.

    Another writer that replaced the file (a rename) while this one waited has locked the old file: the lock is
    taken again on the new one. A writer that cannot get the lock within LOCK_TIMEOUT seconds gives up."""
    target = Path(output)
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            fd, created = _open_for_lock(target)
        except OSError as exc:
            raise _cannot_write(output, exc) from None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                yield output
                return
            os.set_blocking(fd, True)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        waited = f"{LOCK_TIMEOUT:g}".replace(".", ",")
                        raise UsageError(
                            f"{output}: en annan körning av 'spur plan' uppdaterar filen; väntade {waited} s. "
                            "Försök igen när den är klar."
                        ) from None
                    time.sleep(0.02)
            try:
                now = os.stat(target)
            except FileNotFoundError:
                continue
            if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
                continue  # replaced while this writer waited: lock the new file
            try:
                yield YamlText(read_from(handle, output), output)
            except BaseException:
                if created:
                    with contextlib.suppress(OSError):
                        if os.stat(target).st_ino == info.st_ino and os.path.getsize(target) == 0:
                            os.unlink(target)
                raise
            return


def locked_unless_standard_output(output: str | None) -> contextlib.AbstractContextManager[YamlText | str | None]:
    """`locked(output)`, or None (nothing to lock or read) when the output is standard output: no -o, or -o -."""
    return contextlib.nullcontext() if not output or output == "-" else locked(output)


def _open_for_lock(target: Path) -> tuple[int, bool]:
    """A read-only descriptor of `target`, created empty if it is not there; and whether it was created."""
    try:
        return os.open(target, os.O_RDONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), True
    except FileExistsError:
        try:
            return os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), False
        except FileNotFoundError:  # a symbolic link to a file that is not there yet
            return os.open(target, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666), True


def _write(handle: IO[Any], data: str | bytes | Iterable[str]) -> None:
    if isinstance(data, str | bytes):
        handle.write(data)
    else:
        handle.writelines(data)


def _open(file: Path | int, data: str | bytes | Iterable[str]) -> IO[Any]:
    if isinstance(data, bytes):
        return open(file, "wb")
    return open(file, "w", encoding="utf-8", errors="replace", newline="\n")
