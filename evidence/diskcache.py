"""What a `spur` process compiles once and keeps between runs: the rule catalogue and the evidence schema.

Each entry is a pickle named by a key over its inputs (files' bytes, the code that shapes it, the versions of Python
and of the libraries whose objects it holds). SPUR_CACHE_DIR overrides the directory (empty: no cache); the default
is $XDG_CACHE_HOME/spur. A missing, unreadable, damaged or stale entry is rebuilt; a read-only home only costs the
rebuild. Each file starts with the SHA-256 of the pickle after it: a damaged pickle can still load, as something else.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

KEEP = 8  # entries per kind (one per input and code version)
HERE = Path(__file__).resolve().parent.parent


@functools.cache
def pydantic_version() -> bytes:
    """pydantic's version.py, read without importing pydantic (~50 ms)."""
    spec = find_spec("pydantic")
    if spec is None or spec.origin is None:
        return b""
    with contextlib.suppress(OSError):
        return (Path(spec.origin).parent / "version.py").read_bytes()
    return b""


def entry(kind: str, inputs: Iterable[bytes], code: Iterable[str]) -> Path | None:
    """Where the entry of `kind` for these inputs (with the versions of the libraries that shape it) and this code
    (paths relative to the project) is kept."""
    base = os.environ.get("SPUR_CACHE_DIR")
    if base is None:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "spur")
    if not base:
        return None
    key = hashlib.sha256()
    for part in inputs:
        key.update(part + b"\0")
    for name in code:
        key.update((HERE / name).read_bytes())
    key.update(f"{sys.version_info[:3]}".encode())
    return Path(base) / f"{kind}-{key.hexdigest()[:32]}.pickle"


def _dumps(obj: Any) -> bytes:
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def read(path: Path | None, loads: Callable[[bytes], Any] = pickle.loads) -> Any:
    """The cached object, if it is there, intact, and the user's own file that no one else can write; else None."""
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None
            data = handle.read()
        if hashlib.sha256(data[32:]).digest() != data[:32]:
            return None
        return loads(data[32:])
    except Exception:  # missing, unreadable or stale: the caller builds it instead
        return None


def write(path: Path | None, obj: Any, dumps: Callable[[Any], bytes] = _dumps) -> None:
    if path is None:
        return
    tmp = None
    try:
        payload = dumps(obj)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
        _prune(path.parent, path.name.split("-")[0])
    except Exception:  # a read-only home or a full disk only costs the next run the rebuild
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(directory: Path, kind: str) -> None:
    """Every change of the inputs or of the code leaves a new entry; keep the most recently written few."""
    entries = sorted(directory.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
