"""Word building blocks for reports/docx.py (python-docx): paragraphs, tables with repeating header rows and
Swedish soft hyphens, A4 sections, running header and footer with page fields, Swedish as the document language, and
a package whose bytes do not depend on the clock."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.plan_view import soft_hyphens

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table
    from docx.text.paragraph import Paragraph

A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
PORTRAIT_WIDTH = 17.0  # cm of text between the margins
LANDSCAPE_WIDTH = 25.7
SMALL = Pt(9)
MUTED = RGBColor(0x55, 0x55, 0x55)
FONT = "Arial"








def add_para(
    doc: DocumentObject,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
    size: Pt | None = None,
) -> Paragraph:
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    if color is not None:
        run.font.color.rgb = color
    if size is not None:
        run.font.size = size
    return p


def add_table(
    doc: DocumentObject,
    head: list[str] | None,
    rows: list[list[Any]],
    widths: tuple[float, ...],
    *,
    caption: str | None = None,
    bold_first: bool = False,
    hyphenate: bool = False,
) -> Table:
    """A Word table with a header row that repeats on every page; cell text in 9 pt; with `hyphenate`, Swedish
    soft hyphens in long words (narrow columns: no word broken without a hyphen, whatever the reader's settings)."""
    if caption:
        p = add_para(doc, caption, bold=True)
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(2)
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    if head is not None:
        cells = table.add_row().cells
        for cell, text in zip(cells, head, strict=True):
            _cell(cell, text, bold=True, hyphenate=hyphenate)
            _shade(cell, "EEEEEE")
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(flag)
    for values in rows:
        cells = table.add_row().cells
        for n, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, text, bold=bold_first and n == 0, hyphenate=hyphenate)
    for column, width in zip(table.columns, widths, strict=True):  # the grid (LibreOffice) and each cell (Word)
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def _cell(
    cell: Any, text: str | tuple[tuple[str, bool], ...], *, bold: bool = False, hyphenate: bool = False
) -> None:
    """Text in 9 pt, a paragraph per line; or runs given as (text, bold) pairs ("**D-07** Åtgärd krävs: …")."""
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(2)
    if not isinstance(text, str):
        for part, strong in text:
            _run(p, part, strong, hyphenate)
        return
    for n, line in enumerate(text.split("\n")):
        if n:
            p = cell.add_paragraph()
            p.paragraph_format.space_after = Pt(2)
        _run(p, line, bold, hyphenate)


def _run(p: Paragraph, text: str, bold: bool, hyphenate: bool) -> None:
    """A 9 pt run; with `hyphenate`, Word's optional hyphens (w:softHyphen) at the Swedish hyphenation points."""
    first, *rest = (soft_hyphens(text, 6) if hyphenate else text).split("\u00ad")
    run = p.add_run(first)
    run.font.size, run.bold = SMALL, bold
    for part in rest:
        run._r.append(OxmlElement("w:softHyphen"))
        piece = OxmlElement("w:t")
        piece.set(qn("xml:space"), "preserve")
        piece.text = part
        run._r.append(piece)


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def key_values(doc: DocumentObject, rows: list[tuple[str, str]], widths: tuple[float, float]) -> None:
    table = add_table(doc, None, [list(r) for r in rows], widths, bold_first=True)
    for row in table.rows:
        _shade(row.cells[0], "EEEEEE")


def page(section: Any, *, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1.0)


def running(section: Any, left: str, right: str) -> None:
    """Header: who and when; footer: 'Sida N av M' (Word fields), right-aligned at the section's text width."""
    width = Cm(LANDSCAPE_WIDTH if section.orientation == WD_ORIENT.LANDSCAPE else PORTRAIT_WIDTH)
    section.header.is_linked_to_previous = section.footer.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    for text in (left, "\t", right):
        run = header.add_run(text)
        run.font.size, run.font.color.rgb = Pt(8), MUTED
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    for part in ("\tSida ", "PAGE", " av ", "NUMPAGES"):
        if part in ("PAGE", "NUMPAGES"):
            _field(footer, part)
        else:
            run = footer.add_run(part)
            run.font.size = Pt(8)


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    run.font.size = Pt(8)
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == code:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def swedish(doc: DocumentObject) -> None:
    """Swedish as the document's language (spelling, hyphenation), automatic hyphenation on."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    lang.set(qn("w:val"), "sv-SE")
    lang.set(qn("w:eastAsia"), "sv-SE")
    settings = doc.settings.element
    for tag, value in (("w:themeFontLang", "sv-SE"), ("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        found = settings.find(qn(tag))
        if found is not None:
            found.set(qn("w:val"), value)
    tab = settings.find(qn("w:defaultTabStop"))
    hyphenate = OxmlElement("w:autoHyphenation")
    (tab.addnext if tab is not None else settings.append)(hyphenate)  # its place in the schema's order
    rfonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    for key in list(rfonts.attrib):
        del rfonts.attrib[key]
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(key), FONT)  # the PDF's face, on every system (LibreOffice: Liberation Sans)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        doc.styles[name].font.name = FONT
    doc.styles["Normal"].font.size = Pt(10.5)
    for name in ("Header", "Footer"):  # the template's centre and right tab stops; ours is set per section
        doc.styles[name].paragraph_format.tab_stops.clear_all()


def moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def without_clock(data: bytes, day: date) -> bytes:
    """The package rewritten with every zip entry dated `day` (python-docx stamps them with the current time)."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
