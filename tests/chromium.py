"""Headless Chromium as the browser tests run it (flags from the machine notes: no background network traffic)."""

from __future__ import annotations

import re

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
