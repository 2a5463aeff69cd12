"""The web app in a real browser: `spur db demo` and `spur serve` (gunicorn) on a throwaway SQLite database, driven
by Playwright with Debian's chromium (its executable path; Playwright downloads no browser). axe-core
(tests/vendor/axe.min.js) checks every page against the WCAG 2.1 A and AA rules.

Without chromium or the playwright package the tests are skipped with a loud message (tests/chromium.py)."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.chromium import CHROMIUM, loud_skip

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SPUR = [sys.executable, "-c", "import cli, sys; sys.exit(cli.run(sys.argv[1:]))"]


def need_playwright() -> None:
    if CHROMIUM is None:
        loud_skip("chromium not found")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        loud_skip("the playwright package is not installed (make .venv/bin/spur installs it)")


def axe_source() -> str:
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, "tests/vendor/axe.min.js is not the vendored axe-core"
    return data.decode("utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`spur serve` on a fresh demo database; `passwords` of the demo users as `spur db demo` printed them."""

    def __init__(self, directory: Path) -> None:
        self.env = {**os.environ, "XDG_DATA_HOME": str(directory), "SPUR_SECRET_KEY": "only-for-browser-tests"}
        self.env["SPUR_DATABASE_URL"] = f"sqlite:///{directory}/spur.sqlite3"
        demo = subprocess.run([*SPUR, "db", "demo"], env=self.env, capture_output=True, text=True, check=True)
        self.passwords = dict(
            re.findall(
                r"^  (\w+)\s+(\S+)\s+(?:inspektör|verksamhetschef|studierektor|regional|administratör)",
                demo.stdout,
                re.M,
            )
        )
        assert set(self.passwords) == {"inspektor", "verksamhetschef", "studierektor", "regional", "administrator"}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (directory / "server.log").open("w")
        self.process = subprocess.Popen(
            [*SPUR, "serve", "--port", str(self.port), "--workers", "2"],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/logga-in/", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError((directory / "server.log").read_text()) from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Checked:
    """Pages visited in one browser context: every page's console must stay silent (a CSP violation, a failed load)
    and every page passes axe-core."""

    def __init__(self, context, server: Server, axe: str) -> None:
        self.page = context.new_page()
        self.server = server
        self.axe = axe
        self.problems: list[str] = []
        self.checked: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def _console(self, message) -> None:
        # a form refused with 400 or 409 is logged as a failed load of the page itself: its status is what the
        # tests check; every other message (a blocked script or style, a failed resource) is a problem
        own = message.location.get("url") == self.page.url and "Failed to load resource" in message.text
        if not (own and re.search(r"status of (400|409)", message.text)):
            self.problems.append(f"console {message.type}: {message.text} ({message.location.get('url')})")

    def go(self, path: str) -> None:
        self.page.goto(self.server.url + path)
        self.check()

    def login(self, username: str) -> None:
        self.go("/logga-in/")
        self.page.fill("#f-username", username)
        self.page.fill("#f-password", self.server.passwords[username])
        self.page.get_by_role("button", name="Logga in").click()
        self.page.wait_for_url(self.server.url + "/")
        self.check()

    def check(self) -> None:
        """axe-core on the page as it is now: zero WCAG 2.1 A/AA violations. Evaluated through the browser's
        debugging protocol, which the page's Content-Security-Policy does not block."""
        self.page.evaluate(self.axe)
        result = self.page.evaluate(
            "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
            " return r.violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | ')); }",
            WCAG,
        )
        assert result == [], f"axe-core on {self.page.url}:\n" + "\n".join(result)
        self.checked.append(self.page.url)
        assert not self.problems, f"{self.page.url}: " + "; ".join(self.problems)
