"""The report as PDF: the report's own HTML printed by headless Chromium (version 131 or later).

Chromium, not a second layout engine: the PDF is exactly what the HTML report prints (one stylesheet, one set of
tests), the browser is already on most inspectors' machines (Chrome, Chromium or Edge) and on every machine that runs
`make test`, and since version 131 it lays out CSS page-margin boxes, so the running header (unit, assessment date)
and "Sida 3 av 12" come from the stylesheet (reports/templates/page.css.j2). It writes a tagged PDF with bookmarks
from the headings. What it adds that changes from run to run is made stable in place, byte for byte: the creation
and modification time become the assessment date, and the structure tree's element ids (Chromium's DOM node
numbers, which depend on timing) are renumbered in their own order. So the same evidence gives the same bytes with
the same browser.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from functools import cache
from pathlib import Path

from evidence.errors import UsageError

MIN_VERSION = 131  # CSS @page margin boxes (running header and page numbers)
ENV = "SPUR_CHROMIUM"  # the browser to use, when it is not on PATH under a usual name
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge", "msedge")
APPS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
)
INSTALL = (
    "Installera Chromium (Debian/Ubuntu: sudo apt-get install chromium) eller Google Chrome, eller ange webbläsaren "
    f"med {ENV}=/sökväg/till/chrome. Skriv annars rapporten som .html, .md eller .docx."
)
TIMEOUT = 120
_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[-+Z][^)]*\)")
_NODE = re.compile(rb"\(node(\d{8})\)")


class RendererMissing(UsageError):
    """No usable Chromium: one Swedish line with how to install it (exit 2, nothing written)."""


@cache
def find_browser() -> str:
    """The Chromium to print with: $SPUR_CHROMIUM, a usual name on PATH, or a usual install location."""
    given = os.environ.get(ENV)
    if given:
        found = shutil.which(given)
        if found is None:
            raise RendererMissing(f"PDF: {ENV}={given} finns inte eller är inte körbar. {INSTALL}")
        return _checked(found)
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return _checked(found)
    for app in APPS:
        if Path(app).is_file():
            return _checked(app)
    raise RendererMissing(f"PDF kräver Chromium {MIN_VERSION} eller senare, som inte hittades. {INSTALL}")


def _checked(browser: str) -> str:
    try:
        out = subprocess.run([browser, "--version"], capture_output=True, text=True, timeout=30, errors="replace")
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RendererMissing(f"PDF: {browser} gick inte att starta ({exc.__class__.__name__}). {INSTALL}") from None
    found = re.search(r"(\d+)\.\d+\.\d+", out.stdout)
    if found is None:
        raise RendererMissing(f"PDF: {browser} svarar inte som Chromium på --version. {INSTALL}")
    if int(found.group(1)) < MIN_VERSION:
        raise RendererMissing(
            f"PDF: {browser} är version {found.group(1)}; sidhuvud och sidnummer kräver version {MIN_VERSION} eller "
            f"senare. {INSTALL}"
        )
    return browser


def html_to_pdf(html: str, dated: date) -> bytes:
    """`html` (a self-contained page) printed to PDF by headless Chromium, with `dated` as its creation date."""
    browser = find_browser()
    with tempfile.TemporaryDirectory(prefix="spur-pdf-") as tmp:
        page, pdf = Path(tmp, "rapport.html"), Path(tmp, "rapport.pdf")
        page.write_text(html, encoding="utf-8")
        args = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            f"--user-data-dir={Path(tmp, 'profil')}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        if getattr(os, "geteuid", lambda: 1)() == 0:  # Chromium refuses to run as root with its sandbox
            args.insert(1, "--no-sandbox")
        try:
            done = subprocess.run(args, capture_output=True, text=True, errors="replace", timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise UsageError(f"PDF: {browser} blev inte klar på {TIMEOUT} sekunder; ingen fil skrevs.") from None
        if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            last = next((line for line in reversed(done.stderr.splitlines()) if line.strip()), "inget felmeddelande")
            raise UsageError(f"PDF: {browser} kunde inte skriva ut rapporten (kod {done.returncode}: {last[:200]}).")
        data = pdf.read_bytes()
    return stable(data, dated)


def stable(pdf: bytes, dated: date) -> bytes:
    """The PDF with its creation and modification times set to `dated` and its structure element ids renumbered
    1, 2, 3 … in their numeric order (which keeps the id tree sorted). Every replacement has the length of what it
    replaces, so the offsets in the cross-reference table stay right."""

    def stamp(match: re.Match[bytes]) -> bytes:
        new = b"/%s (D:%s000000+00'00')" % (match.group(1), dated.strftime("%Y%m%d").encode())
        return new if len(new) == len(match.group(0)) else match.group(0)

    ranks = {n: b"(node%08d)" % rank for rank, n in enumerate(sorted(set(_NODE.findall(pdf)), key=int), 1)}
    return _NODE.sub(lambda m: ranks[m.group(1)], _DATE.sub(stamp, pdf))
