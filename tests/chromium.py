"""Headless Chromium as the browser tests run it (flags from the machine notes: no background network traffic)."""

from __future__ import annotations

import re
import shutil
import sys
import warnings
from pathlib import Path

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]
# A console message, a blocked or failed load: any of these fails a browser test.
PROBLEM = re.compile(r":CONSOLE[^\]]*\].*|.*Failed to load.*|.*net::ERR_.*")

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
PDFTOTEXT, PDFINFO = shutil.which("pdftotext"), shutil.which("pdfinfo")


def loud_skip(reason: str) -> None:
    """Skip, and say so where nobody can miss it: on standard error and in pytest's warnings summary."""
    banner = "!" * 100
    message = f"\n{banner}\n!!! BROWSER TESTS SKIPPED: {reason}\n!!! Install with: apt-get install -y chromium poppler-utils (or run 'make test' as root)\n{banner}\n"
    sys.__stderr__.write(message)
    warnings.warn(message, UserWarning, stacklevel=2)
    pytest.skip(f"BROWSER TESTS SKIPPED: {reason}")


def need_browser() -> None:
    if CHROMIUM is None:
        loud_skip("chromium not found")
    if PDFTOTEXT is None or PDFINFO is None:
        loud_skip("pdftotext/pdfinfo (poppler-utils) not found")
