"""The HTML report in a real browser: headless Chromium loads each example unit's report, prints it to PDF (A4) and
takes a phone-sized screenshot; the PDF text must hold the eight area sections with their grades.

A console message or a blocked/failed resource load fails the test. The report carries a Content-Security-Policy of
`default-src 'none'`, so any attempt to load anything (image, script, font, frame) is refused and Chromium logs it to
stderr as a CONSOLE line; `test_detector_catches_a_broken_image` proves that with an injected <img src="missing.png">.

Needs the Debian packages `chromium` and `poppler-utils` (`make test` installs them when it can). Without them the
tests are skipped with a loud message. Output: tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli import run
from tests.conftest import EXAMPLES, ROOT

ARTIFACTS = Path(__file__).parent / "artifacts"
LINDEN = ROOT / "evidence" / "examples" / "vardcentralen_linden.yaml"
LINDEN_PLAN = ROOT / "evidence" / "examples" / "handlingsplaner" / "vardcentralen_linden.yaml"
CASES = {p.stem: (p, None) for p in EXAMPLES} | {"vardcentralen_linden.plan": (LINDEN, LINDEN_PLAN)}
from chromium import CHROMIUM, FLAGS, PDFINFO, PDFTOTEXT, PROBLEM, need_browser  # noqa: E402

TIMEOUT = 90


@dataclass
class Run:
    html: Path
    pdf: Path | None
    png: Path | None
    log: str
    code: int


def _start(html: Path, mode: str, out: Path, profile: Path) -> subprocess.Popen:
    args = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}"]
    if mode == "pdf":
        args += ["--no-pdf-header-footer", f"--print-to-pdf={out}"]
    else:
        args += ["--window-size=390,844", "--hide-scrollbars", f"--screenshot={out}"]
    args.append(html.resolve().as_uri())
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")


@pytest.fixture(scope="module")
def browser():
    """Render every case, then run all Chromium processes at once (PDF and phone screenshot per case)."""
    need_browser()
    ARTIFACTS.mkdir(exist_ok=True)
    pages: dict[str, Path] = {}
    for name, (example, plan) in CASES.items():
        page = ARTIFACTS / f"{name}.report.html"
        for old in (page, page.with_suffix(".pdf"), page.with_suffix(".png")):
            old.unlink(missing_ok=True)
        assert run(["report", str(example), "-o", str(page)] + (["--plan", str(plan)] if plan else [])) == 0
        pages[name] = page
    broken = ARTIFACTS / "broken-image.html"
    html = pages["vardcentralen_linden"].read_text(encoding="utf-8")
    broken.write_text(html.replace("<body>", '<body>\n<img src="missing.png" alt="saknas">', 1), encoding="utf-8")
    pages["broken-image"] = broken
    tampered = ARTIFACTS / "tampered-style.html"  # the style sheet changed after its hash went into the policy
    tampered.write_text(html.replace("<style>", "<style>h1 { color: red; }\n", 1), encoding="utf-8")
    pages["tampered-style"] = tampered
    with tempfile.TemporaryDirectory(prefix="spur-chromium-") as tmp:
        jobs = []
        for name, page in pages.items():
            modes = ("pdf",) if name in ("broken-image", "tampered-style") else ("pdf", "png")
            for mode in modes:
                out = page.with_suffix(f".{mode}")
                profile = Path(tmp) / f"{name}-{mode}"  # a fresh profile per process
                jobs.append((name, mode, out, _start(page, mode, out, profile)))
        runs: dict[str, Run] = {name: Run(page, None, None, "", 0) for name, page in pages.items()}
        for name, mode, out, proc in jobs:
            try:
                _, err = proc.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
                err += f"\nTIMEOUT after {TIMEOUT} s"
            r = runs[name]
            r.log += f"--- {mode}\n{err}"
            r.code = r.code or proc.returncode
            if out.exists():
                setattr(r, mode, out)
    return runs


def _problems(log: str) -> list[str]:
    return [m.group(0) for m in PROBLEM.finditer(log)]


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")[:-1]


def _page_size(pdf: Path, number: int) -> tuple[float, float]:
    info = subprocess.run(
        [PDFINFO, "-f", str(number), "-l", str(number), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    w, h = re.search(rf"Page\s+{number} size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(w), float(h)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_detector_catches_a_broken_image(browser):
    r = browser["broken-image"]
    found = _problems(r.log)
    assert found and any("missing.png" in line for line in found), r.log[-2000:]
    print(f"injicerad <img src=missing.png> upptäcks: {found[0][:140]}")


def test_the_policy_admits_only_the_style_it_names(browser):
    """No 'unsafe-inline': the report's CSP names its one style element by hash, so a changed style is refused."""
    html = browser["vardcentralen_linden"].html.read_text(encoding="utf-8")
    assert "unsafe-inline" not in html and "style-src 'sha256-" in html
    found = _problems(browser["tampered-style"].log)
    assert found and any("style" in line.lower() for line in found), browser["tampered-style"].log[-2000:]


@pytest.mark.parametrize("name", list(CASES))
def test_report_loads_without_console_errors(browser, name):
    r = browser[name]
    assert r.code == 0 and r.pdf and r.png, r.log[-2000:]
    assert _problems(r.log) == [], _problems(r.log)


@pytest.mark.parametrize("name", list(CASES))
def test_pdf_has_eight_area_sections_with_grades(browser, name, catalog, evaluator):
    from engine.regrade import apply_plan
    from evidence.loader import load_evidence
    from evidence.plan import load_plan

    example, plan_path = CASES[name]
    result = evaluator.evaluate(load_evidence(example, catalog.known))
    if plan_path:
        result = apply_plan(result, load_plan(plan_path, catalog.known), catalog)
    r = browser[name]
    pages = _pdf_pages(r.pdf)
    # Every page carries the running header (unit, assessment date) and its number; the content follows.
    running = re.compile(
        rf"^SPUR-rapport · {re.escape(result.unit)} Bedömningsdatum {result.assessed_on} (.*) Sida (\d+) av {len(pages)}$"
    )
    matches = [running.match(_flat(p)) for p in pages]
    assert all(matches), [_flat(p)[:120] for p, m in zip(pages, matches, strict=True) if not m]
    assert [int(m.group(2)) for m in matches] == list(range(1, len(pages) + 1))
    flat = [m.group(1) for m in matches]
    text = " ".join(flat)
    rows = plan_path is not None or any(
        r.outcome == "unmet" and r.kind in ("foreskrift", "allmant_rad") for a in result.areas for r in a.requirements
    )
    # Each area group starts a new page (print CSS), and so do the appendix and a plan with rows.
    for heading in ("STRUKTUR (områdena A–C)", "PROCESS (områdena D–H)", "Bilaga") + (
        ("HANDLINGSPLAN",) if rows else ()
    ):
        assert any(p.startswith(heading) for p in flat), heading
    # Eight area sections in order, each with its grade and its scale legend.
    start = text.index("STRUKTUR (områdena A–C)")
    positions = []
    for area in result.areas:
        heading = f"{area.area}. {area.title} Betyg {area.grade}"
        at = text.index(heading, start)
        positions.append(at)
        start = at + len(heading)
    assert positions == sorted(positions)
    for area, at, end in zip(result.areas, positions, [*positions[1:], len(text)], strict=True):
        section = text[at:end]
        assert f"Betygsskala, område {area.area}" in section
        assert f"{area.grade} {area.scale_text}" in section
        if area.plan_text:
            assert area.plan_text in section
    assert text.count("Betygsskala, område") == 8
    # A handlingsplan with rows is printed on landscape A4 pages so its seven columns fit; the rest is portrait.
    plan_page = next(i for i, p in enumerate(flat, 1) if re.search(r"(?<!under )HANDLINGSPLAN", p))
    width, height = _page_size(r.pdf, plan_page)
    assert (width > height) == rows and round(min(width, height)) == 595
    assert _page_size(r.pdf, 1) == (pytest.approx(595, abs=1), pytest.approx(842, abs=1))
    print(f"{name}: {len(pages)} sidor A4, handlingsplanen på sidan {plan_page} ({'liggande' if rows else 'stående'})")


@pytest.mark.parametrize("name", list(CASES))
def test_phone_screenshot(browser, name):
    png = browser[name].png
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert (width, height) == (390, 844)
    print(f"{png.relative_to(ROOT)}: {width}×{height}")


def test_artifacts_are_ignored_by_git():
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("no git checkout")
    probe = os.path.relpath(ARTIFACTS / "x.pdf", ROOT)
    assert subprocess.run(["git", "check-ignore", "-q", probe], cwd=ROOT).returncode == 0
