"""The files `spur batch -o UTKATALOG` writes: the overview under a fixed name, and one report per unit under a name
made from the unit's name that cannot leave the directory."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from engine.batch import UnitRow
from reports.files import atomic_write

# Outputs written into UTKATALOG, and the device names Windows reserves (con.html cannot be opened on a Windows file
# share); a unit whose name slugs to one of these gets a numbered report name instead.
OUTPUT_NAMES = {"json": "batch.json", "csv": "batch.csv", "html": "index.html"}
RESERVED_SLUGS = {"index", "batch", "con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}


def slug(name: str) -> str:
    """An ASCII file-name stem from a unit name: no separators, no dots, nothing that can leave the directory."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-")
    return text or "enhet"


class ReportNames:
    """Report file names, unique in one run, assigned in input order: name.html, name-2.html, name-3.html …"""

    def __init__(self) -> None:
        self.used = set(RESERVED_SLUGS)

    def take(self, unit: str) -> str:
        base = slug(unit)
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}-{n}"
        self.used.add(name)
        return f"{name}.html"


def inside(directory: Path, name: str) -> Path:
    """`directory / name` for a name made by `slug()`: one path component, so it cannot leave the directory. (A
    symbolic link already there is replaced, not followed: see the `atomic_write` call.)"""
    if name in ("", ".", "..") or "/" in name or os.sep in name:
        raise AssertionError(f"report name {name!r} is not one path component")  # slug() makes this unreachable
    return directory / name


class ReportFiles:
    """Writes each row's rendered report into `directory` as the rows arrive, and keeps only its file name."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.names = ReportNames()

    def __call__(self, row: UnitRow) -> None:
        if row.report_html is not None and row.unit is not None:
            row.report = self.names.take(row.unit)
            atomic_write(inside(self.directory, row.report), row.report_html, follow_links=False)
            row.report_html = None
