"""Line breaking in headless Chromium: no word broken without a hyphen, no requirement id split across lines.

`spur show-plan --format html` (the example plan, a drafted plan with the catalogue's long Swedish words, and a plan
whose long text is printed one block per row) and the report are loaded at desktop, tablet and phone widths and
with their print stylesheet at the width of the printed page (A4 landscape for the plan). tests/layout_probe.js
measures every character's line box in the page and lists each line break that falls inside a word with no hyphen
("genomför|d", "uppföljnin|g") or inside an id ("D-|10"). The detector is itself tested on a column too narrow
for its word. Needs Debian's chromium (skipped loudly without it).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from cli import run
from tests.conftest import ROOT

EXAMPLES = ROOT / "evidence" / "examples"
LINDEN, ASPEN = EXAMPLES / "vardcentralen_linden.yaml", EXAMPLES / "vardcentralen_aspen.yaml"
LINDEN_PLAN = EXAMPLES / "handlingsplaner" / "vardcentralen_linden.yaml"
PROBE = (Path(__file__).parent / "layout_probe.js").read_text(encoding="utf-8")
SCREEN = {"desktop": 1280, "tablet": 800, "phone": 390}
PRINT = {"A4 landscape": 1017, "A4 portrait": 703}  # the printed page's text width in CSS pixels (269 / 186 mm)
from chromium import CHROMIUM, FLAGS, need_browser  # noqa: E402


def _probe_page(html: str, printed: bool) -> str:
    """The page without its CSP (the probe is a script), with its print stylesheet applied on screen if `printed`."""
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    if printed:
        html = html.replace("@media print", "@media all").replace("@media (max-width: 40rem)", "@media not all")
    return html.replace("</body>", f"<script>{PROBE}</script>\n</body>")


def _measure(page: Path, width: int, profile: Path) -> dict:
    args = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},1000", "--hide-scrollbars"]
    done = subprocess.run([*args, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=90)
    found = re.search(r'<pre id="layout-result">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    return json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def _show_plan(plan: Path, out: Path) -> str:
    assert run(["show-plan", str(plan), "--format", "html", "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    need_browser()
    tmp = tmp_path_factory.mktemp("layout")
    drafted = tmp / "aspen-plan.yaml"
    assert run(["plan", str(ASPEN), "-o", str(drafted)]) == 0
    long = tmp / "long-plan.yaml"
    data = yaml.safe_load(LINDEN_PLAN.read_text(encoding="utf-8"))
    data["rader"][0]["planerad_atgard"] = " ".join(
        ["Studierektorn går igenom varje ST-läkares individuella utbildningsprogram tillsammans med "
         "huvudhandledaren, dokumenterar kompetensutvecklingen och planerar sidotjänstgöringen."] * 8
    )
    long.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = tmp / "rapport.html"
    assert run(["report", str(LINDEN), "--plan", str(LINDEN_PLAN), "-o", str(report)]) == 0
    html = {
        "show-plan": _show_plan(LINDEN_PLAN, tmp / "plan.html"),
        "show-plan utkast": _show_plan(drafted, tmp / "utkast.html"),
        "show-plan lång text": _show_plan(long, tmp / "lang.html"),
        "rapport": report.read_text(encoding="utf-8"),
    }
    assert 'class="plan-block"' in html["show-plan lång text"] and 'class="plan"' in html["show-plan"]
    narrow = '<table style="width:4em;table-layout:fixed"><tr><td style="overflow-wrap:break-word">Verksamhetschefen</td></tr></table>'
    html["detektorn"] = html["show-plan"].replace("<body>", f"<body>{narrow}", 1)
    jobs = []
    for name, text in html.items():
        for view, width in (SCREEN | PRINT).items():
            page = tmp / f"{name}-{view}.html".replace(" ", "_")
            page.write_text(_probe_page(text, view in PRINT), encoding="utf-8")
            jobs.append((name, view, page, width))
    with tempfile.TemporaryDirectory(prefix="spur-layout-") as profiles, ThreadPoolExecutor(4) as pool:
        results = pool.map(lambda j: _measure(j[2], j[3], Path(profiles) / f"{j[2].stem}"), jobs)
        return {(name, view): r for (name, view, _, _), r in zip(jobs, results, strict=True)}


def test_the_detector_finds_a_word_broken_in_a_narrow_column(pages):
    found = pages[("detektorn", "desktop")]["words"]
    print(found)
    assert any("Verksamhets" in w or "Verk" in w for w in found)


@pytest.mark.parametrize("name", ["show-plan", "show-plan utkast", "show-plan lång text", "rapport"])
@pytest.mark.parametrize("view", list(SCREEN | PRINT))
def test_no_word_or_id_is_broken(pages, name, view):
    r = pages[(name, view)]
    print(f"{name}, {view}: {r['lines']} radbrytningar inne i textnoder; brutna ord {r['words']}, id {r['ids']}")
    assert r["lines"] > 0
    assert r["words"] == [] and r["ids"] == []


def test_the_printed_plan_is_landscape_with_the_unit_date_and_page_numbers(tmp_path):
    need_browser()
    from chromium import PDFINFO, PDFTOTEXT

    page, pdf = tmp_path / "plan.html", tmp_path / "plan.pdf"
    _show_plan(LINDEN_PLAN, page)
    args = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profil'}", "--no-pdf-header-footer"]
    subprocess.run([*args, f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=90, check=True)
    info = subprocess.run([PDFINFO, "-f", "1", "-l", "9", str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    text = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = [" ".join(p.split()) for p in text.split("\f")[:-1]]
    print(sizes, [p[:80] for p in pages])
    assert sizes and all(w > h and round(w) == 842 for w, h in sizes)
    for n, p in enumerate(pages, 1):
        assert p.startswith("Handlingsplan · Vårdcentralen Linden Bedömningsdatum 2025-03-14 Handlingsplan:")
        assert p.endswith(f"Sida {n} av {len(pages)}")
