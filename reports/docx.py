"""The report as an editable Word document (python-docx), for inspectors who finish their report in Word.

The same sections as the HTML report (reports/report.py builds one view for all formats): headings in Word's own
heading styles, so the navigation pane lists Sammanfattning, STRUKTUR, the eight areas, HANDLINGSPLAN and Bilaga;
requirement lists, grades and scales as Word tables; the handlingsplan as the official seven-column table on landscape
pages (Word splits a long row across pages itself); the unit and assessment date in every page's header and
"Sida 3 av 12" in the footer. Swedish is the document language, so Word spell-checks and hyphenates in Swedish.
The same report gives the same bytes: the dates inside are the assessment date and the zip entries carry no clock.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.plan_view import PlanView, soft_hyphens

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from reports.report import AreaView, Report

A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
PORTRAIT_WIDTH = 17.0  # cm of text between the margins
LANDSCAPE_WIDTH = 25.7
SMALL = Pt(9)
FONT = "Arial"
MUTED = RGBColor(0x55, 0x55, 0x55)
PLAN_COLUMNS = (  # as the HTML's (reports/templates/style.css.j2), in per cent of the text width
    ("Område", 12),
    ("Brist", 18.5),
    ("Planerad åtgärd", 18.5),
    ("Datum när åtgärden ska vara genomförd", 10.5),
    ("Ansvarig för genomförandet", 15),
    ("Datum för uppföljning", 10.5),
    ("Ansvarig för uppföljningen", 15),
)


def report_docx(rep: Report) -> bytes:
    r = rep.r
    doc = Document()
    _swedish(doc)
    props = doc.core_properties
    props.title = f"SPUR-rapport: {r.unit}"
    props.subject = "Bedömning av specialiseringstjänstgöringen (ST) enligt SPUR-modellen"
    props.author = props.last_modified_by = "spur"
    props.language = "sv-SE"
    props.keywords = "SPUR"
    props.comments = f"Regelversion: {r.rules_version}"
    props.created = props.modified = _moment(date.fromisoformat(r.assessed_on))
    props.revision = 1
    _page(doc.sections[0], landscape=False)

    _title(doc, rep)
    _summary(doc, rep)
    for group, span in (("STRUKTUR", "A–C"), ("PROCESS", "D–H")):
        doc.add_page_break()
        doc.add_heading(f"{group} (områdena {span})", 1)
        for view in rep.areas:
            if view.a.group == group:
                _area(doc, rep, view)
    _plan(doc, rep)
    _appendix(doc, rep)
    for section in doc.sections:
        _running(section, f"SPUR-rapport · {r.unit}", f"Bedömningsdatum {r.assessed_on}")
    out = io.BytesIO()
    doc.save(out)
    return _without_clock(out.getvalue(), date.fromisoformat(r.assessed_on))


# --- sections -------------------------------------------------------------------------------------------------


def _title(doc: DocumentObject, rep: Report) -> None:
    r = rep.r
    _para(doc, f"SPUR-rapport · {r.assessment_kind}".upper(), color=MUTED, size=SMALL)
    doc.add_heading(r.unit, 0)
    _para(doc, "Bedömning av specialiseringstjänstgöringen (ST) enligt SPUR-modellen", color=MUTED)
    rows = [
        ("Enhet", r.unit),
        ("Vårdgivare", r.vardgivare),
        ("Specialitet", r.specialitet),
        ("Region", r.region),
        ("Datum för bedömningen", r.assessed_on),
        ("Typ av bedömning", r.assessment_kind),
        ("Bedömare", ", ".join(r.assessors) if r.assessors else "–"),
        ("Regelversion", r.rules_version),
    ]
    if rep.plan_given:
        late = " (för sent)" if rep.plan_late else ""
        rows.append(("Handlingsplan", f"plandatum {rep.plan.plandatum}, inlämnad {rep.plan.inlamnad or '–'}{late}"))
    _key_values(doc, rows, (5.0, 12.0))
    if rep.kind_notice:
        _para(doc, rep.kind_notice, italic=True)


def _summary(doc: DocumentObject, rep: Report) -> None:
    doc.add_heading("Sammanfattning", 1)
    if rep.summary_text:
        doc.add_paragraph(rep.summary_text)
    head = ["Område", "Betyg"] + (["Efter handlingsplan"] if rep.plan_given else []) + ["Preliminärt"]
    rows = []
    for v in rep.areas:
        a = v.a
        after = [f"{a.adjusted_grade or a.grade}{_verdict_word(a.plan_verdict)}"] if rep.plan_given else []
        rows.append([f"{a.area}. {a.title}", a.grade, *after, f"ja – bästa fall {a.best_case}" if a.provisional else "nej"])
    widths = (8.5, 2.0, 3.5, 3.0) if rep.plan_given else (10.0, 2.5, 4.5)
    _table(doc, head, rows, widths, caption="Betyg per område")
    if rep.provisional_areas:
        doc.add_paragraph(
            f"{len(rep.provisional_areas)} av {len(rep.areas)} betyg är preliminära: underlag saknas för "
            f"{rep.unknown_count} krav. Krav utan underlag räknas som ej uppfyllda; bästa fall är betyget om "
            "underlaget visar att de är uppfyllda. Se Underlag som saknas i bilagan."
        )
    for s in rep.summary:
        doc.add_heading(s.title, 2)
        if s.empty:
            doc.add_paragraph("Inga noterade.")
            continue
        for item in s.free:
            doc.add_paragraph(item, style="List Bullet")
        if s.derived:
            _para(doc, f"{s.derived_title}:", bold=True)
            for ids, text in s.derived:
                p = doc.add_paragraph(style="List Bullet")
                p.add_run(", ".join(ids)).bold = True
                p.add_run(f" {text}")


def _area(doc: DocumentObject, rep: Report, v: AreaView) -> None:
    a = v.a
    doc.add_heading(f"{a.area}. {a.title}", 2)
    p = doc.add_paragraph()
    p.add_run("Betyg ")
    p.add_run(a.grade).bold = True
    if a.provisional:
        p.add_run(f" (preliminärt – bästa fall {a.best_case})")
    if a.plan_verdict:
        p.add_run(" · efter handlingsplan ")
        p.add_run(a.adjusted_grade or a.grade).bold = True
        if a.plan_verdict == "kvarstår":
            p.add_run(" (kvarstår)")
    if v.obs:
        if v.obs.text:
            doc.add_paragraph(v.obs.text)
        for title, items in (
            ("Styrkor", v.obs.styrkor),
            ("Svagheter", v.obs.svagheter),
            ("Förbättringspotential", v.obs.forbattringspotential),
        ):
            if items:
                _para(doc, f"{title}:", bold=True)
                for item in items:
                    doc.add_paragraph(item, style="List Bullet")
    if a.plan_text:  # directly under the area's prose, as in the published report
        _para(doc, a.plan_text, bold=True)
    for line in a.plan_reasons:
        doc.add_paragraph(line, style="List Bullet" if a.plan_text else None)
    for kind, reqs in v.groups:
        label = rep.kinds[kind].label
        doc.add_heading(rep.kinds[kind].plural, 3)
        if kind == "foreskrift" and a.header:
            p = doc.add_paragraph(a.header)
            if v.lead:
                p.add_run(f" {v.lead}").italic = True
        rows = [[q.id, q.text, _mark(rep, q), "\n".join(q.reasons)] for q in reqs]
        _table(doc, ["Krav", label, "Utfall", "Skäl"], rows, (1.5, 6.0, 2.8, 6.7), bold_first=True)
    doc.add_heading("Bedömning", 3)
    p = doc.add_paragraph()
    p.add_run(f"Betyg {a.grade}. ").bold = True
    p.add_run(a.scale_text)
    _para(doc, f"Grund för betyget: {a.grade_reason}.", color=MUTED, size=SMALL)
    if a.provisional:
        _para(
            doc,
            f"Preliminär. Underlag saknas för {len(v.missing)} krav. Bästa fall, om underlaget visar att kraven är "
            f"uppfyllda: {a.best_case}. Underlag som saknas:",
        )
        for q, what in v.missing:
            doc.add_paragraph(f"{q.id}: {what}", style="List Bullet")
    if v.plan_note:
        _para(doc, v.plan_note, bold=True)
    rows = [[s.letter, s.text + "".join(f" [{m}]" for m in s.marks)] for s in v.legend]
    table = _table(doc, None, rows, (1.2, 15.8), caption=f"Betygsskala, område {a.area}", bold_first=True)
    for row, step in zip(table.rows, v.legend, strict=True):
        if step.marks:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _plan(doc: DocumentObject, rep: Report) -> None:
    landscape = bool(rep.plan.rader)
    if landscape:
        _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    else:
        doc.add_page_break()
    draft = rep.draft and rep.plan.rader
    doc.add_heading(f"HANDLINGSPLAN{' – UTKAST' if draft else ''}", 1)
    pv: PlanView = rep.pv
    if rep.draft:
        if draft:
            _para(doc, "UTKAST – inte en inlämnad handlingsplan", bold=True)
            doc.add_paragraph(
                f"Utkastet har skapats automatiskt från bedömningen {rep.r.assessed_on}: en rad per föreskrift som "
                "inte är uppfylld (åtgärd krävs) och per allmänt råd som inte är uppfyllt (åtgärd rekommenderas). "
                "Planerade åtgärder är förslag ur regelkatalogen; enheten anpassar åtgärder, datum och ansvariga. "
                "En redigerbar fil skapas med spur plan."
            )
        _para(doc, rep.plan_need_text, bold=True)
        if rep.unknown_in_plan_kinds:
            doc.add_paragraph(
                "Krav där underlag saknas får ingen rad förrän underlaget finns: "
                f"{', '.join(rep.unknown_in_plan_kinds)}."
            )
    else:
        doc.add_paragraph(rep.plan_intro)
        late = " (för sent)" if rep.plan_late else ""
        _key_values(
            doc,
            [
                ("Plandatum", str(rep.plan.plandatum)),
                ("Sista dag för inlämning", str(rep.plan.sista_inlamningsdag)),
                ("Inlämnad", f"{rep.plan.inlamnad or '–'}{late}"),
            ],
            (5.0, 8.0),
        )
    if not rep.plan.rader:
        if not rep.draft:
            doc.add_paragraph("Handlingsplanen har inga rader.")
        _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
        return
    rows = [
        [
            v.r.omrade,
            ((v.r.krav, True), (f" {v.r.niva}: {v.r.brist}", False)),
            v.r.planerad_atgard or "–",
            v.done,
            v.r.ansvarig_genomforande or "–",
            v.follow_up + (f" (uppföljd {v.r.uppfoljning_gjord})" if v.r.uppfoljning_gjord else ""),
            v.r.ansvarig_uppfoljning or "–",
        ]
        for v in pv.rows
    ]
    widths = tuple(LANDSCAPE_WIDTH * share / 100 for _, share in PLAN_COLUMNS)
    _table(doc, [h for h, _ in PLAN_COLUMNS], rows, widths, hyphenate=True)
    if not rep.draft:
        rows = [
            [
                v.r.krav,
                f"{v.r.status}{f' {v.r.status_datum}' if v.r.status_datum else ''}"
                + (f"; {_met_note()}" if v.r.kravet_uppfyllt else ""),
                v.review,
                v.r.godkand_kommentar or "–",
                v.r.anteckningar or "–",
            ]
            for v in pv.rows
        ]
        _table(
            doc,
            ["Krav", "Status", "Godkänd", "Inspektörernas kommentar", "Anteckningar"],
            rows,
            (1.6, 4.0, 2.4, 8.85, 8.85),
            caption="Status och inspektörernas granskning per rad",
            bold_first=True,
        )
    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)


def _appendix(doc: DocumentObject, rep: Report) -> None:
    doc.add_heading("Bilaga", 1)
    ap = rep.appendix
    doc.add_heading("Underlag som saknas", 2)
    if ap.checklist:
        doc.add_paragraph(
            "Checklista: för varje krav vad som behöver tas fram eller fyllas i i evidensfilen (sökvägen står sist)."
        )
        for it in ap.checklist:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run("☐ ")
            p.add_run(it.req.id).bold = True
            p.add_run(f" ({rep.kinds[it.req.kind].label}, {it.area}): {it.hint}")
            for m in it.missing:
                sub = doc.add_paragraph(style="List Bullet 2")
                sub.add_run(f"{m.text} ")
                sub.add_run(m.path).font.name = "Courier New"
    else:
        doc.add_paragraph("Inget underlag saknas.")
    doc.add_heading("Inspektörernas bedömningar", 2)
    if ap.overrides:
        doc.add_paragraph(
            "Krav som inspektörerna har bedömt annorlunda än underlaget visar. Utfallet enligt underlaget visas för "
            "jämförelse."
        )
        rows = [[q.id, rep.words[q.outcome], rep.words[q.engine_outcome], q.motivering or ""] for q in ap.overrides]
        _table(
            doc,
            ["Krav", "Inspektörernas bedömning", "Enligt underlaget", "Motivering"],
            rows,
            (1.5, 3.5, 3.5, 8.5),
            bold_first=True,
        )
    else:
        doc.add_paragraph("Inga: alla utfall följer av underlaget.")
    doc.add_heading("Klassningar med låg säkerhet", 2)
    if ap.low_confidence:
        doc.add_paragraph(
            "För dessa krav bygger typen (föreskrift, allmänt råd eller kvalitetsindikator) enbart på layouten i den "
            "publicerade SPUR-rapporten. Typen avgör betyget, så en sakkunnig bör granska klassningen."
        )
        rows = [[q.id, rep.kinds[q.kind].label, q.text, rep.words[q.outcome]] for q in ap.low_confidence]
        _table(doc, ["Krav", "Typ", "Text", "Utfall"], rows, (1.5, 3.0, 9.5, 3.0), bold_first=True)
    else:
        doc.add_paragraph("Inga krav med låg klassningssäkerhet.")
    doc.add_heading("Ej verifierade författningshänvisningar", 2)
    if ap.unverified:
        doc.add_paragraph(rep.unverified_text)
        rows = [[text, ", ".join(ids)] for text, ids in ap.unverified]
        _table(doc, ["Hänvisning", "Krav"], rows, (8.5, 8.5))
    else:
        doc.add_paragraph("Alla hänvisningar är verifierade.")


# --- building blocks ------------------------------------------------------------------------------------------


def _verdict_word(verdict: str | None) -> str:
    return {"justerad": " justerad", "kvarstår": " kvarstår"}.get(verdict or "", "")


def _mark(rep: Report, q: Any) -> str:
    text = rep.words[q.outcome]
    failure = rep.kinds[q.kind].failure
    if q.outcome == "unmet" and failure:
        text += f" – {failure}"
    return text + (" (bedömt av inspektörerna)" if q.overridden else "")


def _met_note() -> str:
    from engine.followup import MET

    return MET


def _para(
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


def _table(
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
        p = _para(doc, caption, bold=True)
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


def _key_values(doc: DocumentObject, rows: list[tuple[str, str]], widths: tuple[float, float]) -> None:
    table = _table(doc, None, [list(r) for r in rows], widths, bold_first=True)
    for row in table.rows:
        _shade(row.cells[0], "EEEEEE")


def _page(section: Any, *, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1.0)


def _running(section: Any, left: str, right: str) -> None:
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


def _swedish(doc: DocumentObject) -> None:
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


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _without_clock(data: bytes, day: date) -> bytes:
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
