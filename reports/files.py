"""Writing files safely: a temporary file in the same directory, then a rename, so no reader sees half a file.

The temporary file is named for what it is, `.NAME.XXXXXXXX.spur-PID@HOST.tmp`. A run that is killed while it
writes leaves it behind; the next write into the same directory (once per process and directory) removes such
files whose process, on this host, is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import stat
import tempfile
from pathlib import Path

_HOST = socket.gethostname().replace("/", "_")
_LEFT_BEHIND = re.compile(r"\..+\.spur-(\d+)@(.+)\.tmp")
_TIDIED: set[str] = set()  # directories already rid of what killed runs left


def _suffix(pid: int) -> str:
    return f".spur-{pid}@{_HOST}.tmp"


def temporary_name(name: str, pid: int) -> str:
    """A name for a temporary file of `name` written by process `pid`, as `_replace` makes them."""
    return f".{name}.{secrets.token_hex(4)}{_suffix(pid)}"


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
            if left and left.group(2) == _HOST and not _running(int(left.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(directory / name)


def atomic_write(target: Path, text: str, *, follow_links: bool = True) -> None:
    """`_replace`, with any error reported against `target` (not the temporary file's name). With
    `follow_links=False` a symbolic link at `target` is itself replaced by the file, so nothing outside
    `target`'s directory is written."""
    try:
        _replace(target, text, follow_links)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from exc


def _replace(target: Path, text: str, follow_links: bool = True) -> None:
    """Replace `target` with `text`; a file name that is not UTF-8, quoted in `text`, is written with '?'.

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
        with open(target, "w", encoding="utf-8", errors="replace", newline="\n") as handle:
            handle.write(text)
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
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
