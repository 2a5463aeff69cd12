"""`spur report -o rapport.pdf` and `-o rapport.docx`: real PDF and Word files, read back as a reader would.

The PDF is read with poppler's pdftotext/pdfinfo (page sizes, the running header and page numbers on every page, the
sections, every area's grade, every plan row, no requirement id split across lines); the Word file with python-docx
(heading styles in order for the navigation pane, the requirement tables with every id and outcome, the handlingsplan
as the official seven-column table on landscape pages, header and footer, Swedish as the language). Both must be
byte-identical when made twice. The format rules of the CLI (suffix, --format, a missing or too old Chromium) are
tested here too; the PDF tests need Debian's chromium and poppler-utils and are skipped loudly without them.
"""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cli import run
from tests.conftest import EXAMPLES, ROOT

LINDEN = ROOT / "evidence" / "examples" / "vardcentralen_linden.yaml"
LINDEN_PLAN = ROOT / "evidence" / "examples" / "handlingsplaner" / "vardcentralen_linden.yaml"
CASES = {p.stem: (p, None) for p in EXAMPLES} | {"vardcentralen_linden.plan": (LINDEN, LINDEN_PLAN)}
ID = re.compile(r"(?<![\w-])[A-H]-\d\d(?!\w)")
from chromium import PDFINFO, PDFTOTEXT, need_browser  # noqa: E402


def _result(name, catalog, evaluator):
    from engine.regrade import apply_plan
    from evidence.loader import load_evidence
    from evidence.plan import load_plan

    example, plan_path = CASES[name]
    result = evaluator.evaluate(load_evidence(example, catalog.known))
    plan = load_plan(plan_path, catalog.known) if plan_path else None
    return (apply_plan(result, plan, catalog) if plan else result), plan


def _args(name: str, out: Path) -> list[str]:
    example, plan = CASES[name]
    return ["report", str(example), "-o", str(out)] + (["--plan", str(plan)] if plan else [])


def _spur(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / ".venv" / "bin" / "spur"), *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Every case as PDF made by the spur command, in parallel; the plan case twice, to compare the bytes."""
    need_browser()
    base = tmp_path_factory.mktemp("pdf")
    jobs = [(name, base / f"{name}.{n}.pdf") for name in CASES for n in (1, 2) if n == 1 or name.endswith(".plan")]
    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda job: _spur(*_args(job[0], job[1])), jobs))
    for (name, _), proc in zip(jobs, done, strict=True):
        assert proc.returncode == 0, (name, proc.stderr)
    return {name: (base / f"{name}.1.pdf", base / f"{name}.{2 if name.endswith('.plan') else 1}.pdf") for name in CASES}


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[:-1]


def _sizes(pdf: Path, count: int) -> list[tuple[float, float]]:
    info = subprocess.run(
        [PDFINFO, "-f", "1", "-l", str(count), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


@pytest.mark.parametrize("name", list(CASES))
def test_pdf_reads_back_as_the_report(pdfs, name, catalog, evaluator):
    result, plan = _result(name, catalog, evaluator)
    first, second = pdfs[name]
    assert first.read_bytes()[:5] == b"%PDF-"
    assert first.read_bytes() == second.read_bytes(), "the same evidence must give the same PDF"
    utc = {**os.environ, "TZ": "UTC"}  # pdfinfo shows dates in local time (the Django settings set TZ in tests)
    info = subprocess.run([PDFINFO, str(first)], capture_output=True, text=True, check=True, env=utc).stdout
    assert f"Title:           SPUR-rapport: {result.unit}" in info and "Tagged:          yes" in info
    assert re.search(rf"CreationDate:\s+\w+ \w+ +{int(result.assessed_on[8:])} 00:00:00 {result.assessed_on[:4]}", info)
    pages = _pages(first)
    flat = [" ".join(p.split()) for p in pages]
    # The running header (unit, date) and "Sida N av M" on every page, landscape ones too.
    head = f"SPUR-rapport · {result.unit} Bedömningsdatum {result.assessed_on} "
    for number, page in enumerate(flat, 1):
        assert page.startswith(head) and page.endswith(f"Sida {number} av {len(pages)}"), page[:100]
    bodies = [p[len(head) :] for p in flat]
    text = " ".join(bodies)
    # A4; the handlingsplan with rows on landscape pages, everything else portrait.
    sizes = _sizes(first, len(pages))
    rows = plan is not None or "HANDLINGSPLAN – UTKAST" in text
    landscape = [n for n, (w, h) in enumerate(sizes, 1) if w > h]
    assert all(round(min(s)) == 595 and round(max(s)) == 842 for s in sizes)
    plan_pages = [n for n, b in enumerate(bodies, 1) if re.search(r"(?<!under )HANDLINGSPLAN", b)]
    assert len(plan_pages) == 1
    if rows:  # a plan with rows starts its own page, in landscape; the appendix is portrait again
        assert bodies[plan_pages[0] - 1].startswith("HANDLINGSPLAN")
        assert landscape and landscape[0] == plan_pages[0] and not any(bodies[n - 1].startswith("Bilaga") for n in landscape)
    else:
        assert landscape == []
    # The sections, and each area with its grade in order.
    for section in ("STRUKTUR (områdena A–C)", "PROCESS (områdena D–H)", "Bilaga"):
        assert any(b.startswith(section) for b in bodies), section
    at = text.index("STRUKTUR (områdena A–C)")
    for area in result.areas:
        at = text.index(f"{area.area}. {area.title} Betyg {area.grade}", at)
    # Every requirement id whole (never "D-" at the end of a line and "10" on the next).
    assert not re.search(r"(?<![\w-])[A-H]-\n", "\n".join(pages))
    assert {m.group(0) for m in ID.finditer(text)} >= {r.id for a in result.areas for r in a.requirements}
    # Every plan row, with its follow-up in the form's words.
    plan_text = " ".join(bodies[n - 1] for n in range(plan_pages[0], len(bodies) + 1))
    plan_text = plan_text.replace("\u00ad", "").replace("\u2010", "-")  # soft hyphens; the hyphen at a break
    if plan is not None:
        assert "Verksamheten har inkommit med följande handlingsplan." in plan_text
        # The table's columns interleave in the extracted text, so each action is checked word by word; a word
        # hyphenated at a line end ("doku-" … "menteras") counts when both halves are there.
        words, pieces = set(re.findall(r"\w+", plan_text)), set(re.findall(r"\w+-", plan_text))
        for row in plan.rader:
            assert row.krav in plan_text
            for w in re.findall(r"\w+", row.planerad_atgard):
                assert w in words or any(f"{w[:i]}-" in pieces and w[i:] in words for i in range(2, len(w) - 1)), w
        assert plan_text.count("om sex månader") == len(plan.rader)
    print(f"{name}: {len(pages)} sidor, liggande {landscape}, {first.stat().st_size} byte, identisk vid omkörning")


def _docx(name: str, tmp_path: Path) -> Path:
    out = tmp_path / f"{name}.docx"
    assert run(_args(name, out)) == 0
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_docx_reads_back_as_the_report(name, tmp_path, catalog, evaluator):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    result, plan = _result(name, catalog, evaluator)
    path = _docx(name, tmp_path)
    again = tmp_path / "again" / path.name
    again.parent.mkdir()
    assert run(_args(name, again)) == 0
    assert path.read_bytes() == again.read_bytes(), "the same evidence must give the same Word file"
    doc = Document(str(path))
    props = doc.core_properties
    assert props.title == f"SPUR-rapport: {result.unit}" and props.language == "sv-SE"
    assert props.created.date().isoformat() == result.assessed_on
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    level1 = [t for s, t in headings if s == "Heading 1"]
    draft = plan is None and any(h.startswith("HANDLINGSPLAN – UTKAST") for h in level1)
    assert level1 == [
        "Sammanfattning",
        "STRUKTUR (områdena A–C)",
        "PROCESS (områdena D–H)",
        "HANDLINGSPLAN – UTKAST" if draft else "HANDLINGSPLAN",
        "Bilaga",
    ]
    level2 = [t for s, t in headings if s == "Heading 2"]
    areas = [f"{a.area}. {a.title}" for a in result.areas]
    assert [t for t in level2 if t in areas] == areas
    # Each area heading is followed by its grade, then (with a plan, at D) the plan's verdict before its tables.
    paragraphs = doc.paragraphs
    for area in result.areas:
        at = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 2" and p.text.startswith(f"{area.area}. "))
        assert paragraphs[at + 1].text.startswith(f"Betyg {area.grade}")
        if area.plan_text:
            verdict = next(i for i in range(at, len(paragraphs)) if paragraphs[i].text == area.plan_text)
            first_table = next(i for i in range(at, len(paragraphs)) if paragraphs[i].style.name == "Heading 3")
            assert verdict < first_table
    # The requirement tables: every id once, with its outcome word.
    words = catalog.vocabulary["outcomes"]
    outcome = {r.id: words[r.outcome] for a in result.areas for r in a.requirements}
    seen = {}
    for table in doc.tables:
        head = [c.text for c in table.rows[0].cells]
        if head[0] == "Krav" and head[2:] == ["Utfall", "Skäl"]:
            for row in table.rows[1:]:
                cells = [c.text for c in row.cells]
                seen[cells[0]] = cells[2]
    assert set(seen) == set(outcome) and all(seen[i].startswith(outcome[i]) for i in outcome)
    assert not any(re.search(r"\((st_lakare|handledare|dokument|intyganden)[\[.]", t.text) for t in _cells(doc))
    # The handlingsplan as the official table, on landscape pages; the appendix portrait again.
    plan_tables = [t for t in doc.tables if [c.text for c in t.rows[0].cells][:3] == ["Område", "Brist", "Planerad åtgärd"]]
    rows = plan.rader if plan else None
    if plan_tables:
        (table,) = plan_tables
        assert [c.text for c in table.rows[0].cells][3:] == [
            "Datum när åtgärden ska vara genomförd",
            "Ansvarig för genomförandet",
            "Datum för uppföljning",
            "Ansvarig för uppföljningen",
        ]
        body = [[c.text for c in row.cells] for row in table.rows[1:]]
        if rows is not None:
            assert [r[1].split()[0] for r in body] == [r.krav for r in rows]
            assert [r[2] for r in body] == [r.planerad_atgard for r in rows]
            assert all(r[5] == "om sex månader (2025-10-01)" for r in body)
        orientations = [s.orientation for s in doc.sections]
        assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    else:
        assert rows is None or not rows
    for section in doc.sections:
        assert section.header.paragraphs[0].text == f"SPUR-rapport · {result.unit}\tBedömningsdatum {result.assessed_on}"
        footer = section.footer._element.xml
        assert "Sida " in section.footer.paragraphs[0].text and " PAGE " in footer and " NUMPAGES " in footer
    with zipfile.ZipFile(path) as package:
        styles = package.read("word/styles.xml").decode()
        assert 'w:lang w:val="sv-SE"' in styles
        assert {i.date_time for i in package.infolist()} == {(*map(int, result.assessed_on.split("-")), 0, 0, 0)}
    print(f"{name}: {len(level1)} rubriker på nivå 1, {len(level2)} på nivå 2, {len(doc.tables)} tabeller, {len(seen)} krav")


def _cells(doc):
    for table in doc.tables:
        for row in table.rows:
            yield from row.cells


def test_other_suffixes_and_disagreeing_formats_are_refused(tmp_path, capsys):
    for out, extra, message in (
        ("rapport.txt", [], "okänd filändelse .txt"),
        ("rapport", [], "okänd filändelse (ingen)"),
        ("rapport.pdf", ["--format", "html"], "--format html stämmer inte med filändelsen"),
        ("rapport.docx", ["--format", "markdown"], "--format markdown stämmer inte"),
    ):
        target = tmp_path / out
        assert run(["report", str(LINDEN), "-o", str(target), *extra]) == 2
        err = capsys.readouterr().err
        assert err.startswith("fel: ") and message in err and err.count("\n") == 1, err
        assert not target.exists()
    assert run(["report", str(LINDEN), "--format", "pdf"]) == 2
    assert "ange en fil att skriva till, t.ex. -o rapport.pdf" in capsys.readouterr().err


@pytest.mark.parametrize("browser", ["missing", "too_old"])
def test_without_a_usable_chromium_one_swedish_line_exit_2_nothing_written(tmp_path, monkeypatch, capsys, browser):
    from reports.pdf import find_browser

    if browser == "missing":
        monkeypatch.setenv("SPUR_CHROMIUM", str(tmp_path / "finns-inte"))
        expected = "finns inte eller är inte körbar"
    else:
        old = tmp_path / "chromium"
        old.write_text("#!/bin/sh\necho 'Chromium 120.0.6099.224 built on Debian'\n")
        old.chmod(0o755)
        monkeypatch.setenv("SPUR_CHROMIUM", str(old))
        expected = "är version 120; sidhuvud och sidnummer kräver version 131 eller senare"
    find_browser.cache_clear()
    target = tmp_path / "rapport.pdf"
    try:
        assert run(["report", str(LINDEN), "-o", str(target)]) == 2
    finally:
        find_browser.cache_clear()
    err = capsys.readouterr().err
    print(err)
    assert err.count("\n") == 1 and err.startswith("fel: PDF") and expected in err
    assert "apt-get install chromium" in err and not target.exists() and list(tmp_path.glob("*.pdf")) == []
