"""What one worker process of `spur serve` graded, for the others: a page graded from a stored text (a version is
never changed) is kept as a pickle in a private directory that `spur serve` makes before it forks its workers and
removes when it stops. The save and the page it redirects to, or the area page before a save and the save, are often
served by different workers; each finds the other's work here (a read of a quarter millisecond, where grading the
text again takes ten). Without a directory (tests, the benchmark's in-process saves, `spur` commands) nothing is
shared and each process keeps only its own.

Keys are SHA-256 digests of everything the value was computed from, so an entry is correct for as long as it exists;
the directory is this server's own (mode 0700, made by it), and lives no longer than the server and its rules.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import pickle
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

KEEP = 2000  # entries (a graded area page of Linden is about 50 kB): pruned to three quarters when exceeded
PRUNE_EVERY = 100  # writes between two looks at how many entries there are

_directory: Path | None = None
_writes = itertools.count(1)
_prune_lock = threading.Lock()


def use(directory: str | Path | None) -> None:
    """Share through `directory` (made by the caller, private); None: share nothing."""
    global _directory
    _directory = Path(directory) if directory is not None else None


def active() -> bool:
    return _directory is not None


def key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256(kind.encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return f"{kind}-{digest.hexdigest()}"


def get(name: str) -> Any:
    """The value another worker (or this one) put under `name`; None if there is none."""
    if _directory is None:
        return None
    try:
        with open(_directory / name, "rb") as handle:
            return pickle.loads(handle.read())
    except Exception:  # not there (never written, or pruned), or a Python that cannot read it: computed instead
        return None


def put(name: str, value: Any) -> None:
    """Keep `value` for the other workers; written to a temporary file and renamed, so a reader never sees half."""
    directory = _directory
    if directory is None:
        return
    tmp = None
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(prefix=".", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, directory / name)
        tmp = None
    except Exception:  # a full disk only costs the other workers a grading
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return
    if next(_writes) % PRUNE_EVERY == 0:
        _prune(directory)


def _prune(directory: Path) -> None:
    """Keep the entries written last; what is removed is computed again when asked for."""
    if not _prune_lock.acquire(blocking=False):
        return
    try:
        entries = []
        with os.scandir(directory) as found:
            for entry in found:
                with contextlib.suppress(OSError):
                    entries.append((entry.stat().st_mtime_ns, entry.path))
        if len(entries) <= KEEP:
            return
        entries.sort()
        for _, path in entries[: len(entries) - KEEP * 3 // 4]:
            with contextlib.suppress(OSError):
                os.unlink(path)
    finally:
        _prune_lock.release()


class Kept:
    """Values computed from texts: the `size` used last in this process, and behind them those the workers share.
    `parts` (texts) are the whole input; a value is shared by the pages that show it and never changed by them."""

    def __init__(self, kind: str, size: int) -> None:
        self.kind, self.size = kind, size
        self._values: OrderedDict[tuple[str, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, parts: tuple[str, ...], compute: Callable[[], Any]) -> Any:
        with self._lock:
            if parts in self._values:
                self._values.move_to_end(parts)
                return self._values[parts]
        name = key(self.kind, *parts)
        value = get(name)
        if value is None:
            value = compute()
            put(name, value)
        self._keep(parts, value)
        return value

    def put(self, parts: tuple[str, ...], value: Any) -> None:
        """A value computed elsewhere (by a save, which graded the text it saved)."""
        put(key(self.kind, *parts), value)
        self._keep(parts, value)

    def _keep(self, parts: tuple[str, ...], value: Any) -> None:
        with self._lock:
            self._values[parts] = value
            self._values.move_to_end(parts)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
