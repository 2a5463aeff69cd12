"""The progress bar of `spur batch`: one line on standard error, only on an interactive terminal and never under CI."""

from __future__ import annotations

import os
import sys
import time
from typing import Any


class Progress:
    """A one-line progress bar on standard error, only on an interactive terminal and never under CI."""

    def __init__(self, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = sys.stderr.isatty() and not os.environ.get("CI")
        self.enabled, self.total, self.last = enabled, 0, 0.0

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        self.total = total
        if not self.enabled or total <= 0 or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        width = 30
        filled = width * done // self.total
        sys.stderr.write(f"\rBedömer [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.total > 0:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()
