"""Finding evidence files: files, directories searched recursively and globs, sorted by path, without duplicates.

A path that cannot be searched (a directory that cannot be listed, a FIFO, a glob that matches nothing) is that
path's problem: the caller reports it and goes on with the rest.
"""

from __future__ import annotations

import glob
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from msgspec import Struct

from evidence.errors import os_reason

YAML_SUFFIXES = (".yaml", ".yml")
_PLAN_KEYS = re.compile(r"^(rader|plandatum)[ \t]*:", re.M)
_GLOB_CHARS = re.compile(r"[*?[]")


class FileProblem(Struct, frozen=True):
    """A path that could not be searched or read, with its error lines (`path: what is wrong`)."""

    file: str
    lines: tuple[str, ...]


def problem(path: str, message: str) -> FileProblem:
    return FileProblem(path, (f"{path}: {message}",))


def walk(directory: Path, problems: list[FileProblem]) -> Iterator[str]:
    """YAML files under `directory`, recursively, as POSIX path strings (a Path for each of 30,000 files held at
    once costs more than the run's rows); hidden directories and files are left out. Symbolic links to
    directories are followed, each directory once (no loops). A directory that cannot be read, and an entry that
    is not a regular file (a FIFO would block the run), each become a problem."""

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename or directory).as_posix()
        problems.append(problem(where, f"kan inte läsa katalogen ({os_reason(exc)})."))

    visited: set[str] = set()
    for root, dirs, files in os.walk(directory, onerror=unreadable, followlinks=True):
        real = os.path.realpath(root)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(YAML_SUFFIXES):
                continue
            # a string (no Path: pathlib interns each name, and the parts left behind fragment the heap)
            path = os.path.join(root, name) if os.sep == "/" else (Path(root) / name).as_posix()
            try:
                regular = stat.S_ISREG(os.stat(path).st_mode)
            except OSError:
                regular = True  # a broken link or a loop: reading it gives that file's error
            if regular:
                yield path
            else:
                problems.append(problem(path, "är ingen vanlig fil (t.ex. en namngiven pipe) och hoppas över."))


def collect(paths: Iterable[str]) -> tuple[list[str], list[FileProblem]]:
    """The evidence files named by `paths` (files, directories searched recursively, or globs), sorted by path and
    without duplicates; and a problem for every argument or directory that cannot be searched. A path that cannot
    be looked at is kept as a file: grading it gives that file's error, and the run goes on."""
    found: list[str] = []
    problems: list[FileProblem] = []
    for arg in paths:
        try:
            is_dir = stat.S_ISDIR(os.stat(arg).st_mode)
        except OSError:
            is_dir = None  # missing, unreadable, a loop, a name too long
        if is_dir:
            found.extend(walk(Path(arg), problems))
        elif is_dir is False or not _GLOB_CHARS.search(arg):
            found.append(Path(arg).as_posix())
        else:
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                problems.append(problem(arg, "inga filer matchar mönstret. Kontrollera sökvägen."))
            for match in matches:
                m = Path(match)
                if m.is_dir():
                    found.extend(walk(m, problems))
                elif m.name.lower().endswith(YAML_SUFFIXES):
                    found.append(m.as_posix())
    seen: set[str] = set()
    files: list[str] = []
    found.sort()
    for path in found:
        key = os.path.realpath(path)  # never raises; a loop stays as written
        if key == path:  # the path itself: its copy is freed at once, not left among the paths kept (fragmentation)
            key = path
        if key not in seen:
            seen.add(key)
            files.append(path)
    return files, problems


def is_plan_text(text: str) -> bool:
    """A handlingsplan has top-level `rader:` and `plandatum:` (evidence files have neither)."""
    if "plandatum" not in text:  # the common case, without a regular-expression scan of the whole file
        return False
    return {m.group(1) for m in _PLAN_KEYS.finditer(text)} == {"rader", "plandatum"}
