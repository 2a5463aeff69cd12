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
from datetime import date
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.section import WD_SECTION

from reports.docx_blocks import (
    LANDSCAPE_WIDTH,
    MUTED,
    SMALL,
    add_para,
    add_table,
    key_values,
    moment,
    page,
    running,
    swedish,
    without_clock,
)
from reports.plan_view import PlanView

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

    from reports.report import AreaView, Report

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
    r = rep.result
    doc = Document()
    swedish(doc)
    props = doc.core_properties
    props.title = f"SPUR-rapport: {r.unit}"
    props.subject = "Bedömning av specialiseringstjänstgöringen (ST) enligt SPUR-modellen"
    props.author = props.last_modified_by = "spur"
    props.language = "sv-SE"
    props.keywords = "SPUR"
    props.comments = f"Regelversion: {r.rules_version}"
    props.created = props.modified = moment(date.fromisoformat(r.assessed_on))
    props.revision = 1
    page(doc.sections[0], landscape=False)

    _title(doc, rep)
    _summary(doc, rep)
    for group, span in (("STRUKTUR", "A–C"), ("PROCESS", "D–H")):
        doc.add_page_break()
        doc.add_heading(f"{group} (områdena {span})", 1)
        for view in rep.areas:
            if view.result.group == group:
                _area(doc, rep, view)
    _plan(doc, rep)
    _appendix(doc, rep)
    for section in doc.sections:
        running(section, f"SPUR-rapport · {r.unit}", f"Bedömningsdatum {r.assessed_on}")
    out = io.BytesIO()
    doc.save(out)
    return without_clock(out.getvalue(), date.fromisoformat(r.assessed_on))


# --- sections -------------------------------------------------------------------------------------------------


def _title(doc: DocumentObject, rep: Report) -> None:
    r = rep.result
    add_para(doc, f"SPUR-rapport · {r.assessment_kind}".upper(), color=MUTED, size=SMALL)
    doc.add_heading(r.unit, 0)
    add_para(doc, "Bedömning av specialiseringstjänstgöringen (ST) enligt SPUR-modellen", color=MUTED)
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
    key_values(doc, rows, (5.0, 12.0))
    if rep.kind_notice:
        add_para(doc, rep.kind_notice, italic=True)


def _summary(doc: DocumentObject, rep: Report) -> None:
    doc.add_heading("Sammanfattning", 1)
    if rep.summary_text:
        doc.add_paragraph(rep.summary_text)
    head = ["Område", "Betyg"] + (["Efter handlingsplan"] if rep.plan_given else []) + ["Preliminärt"]
    rows = []
    for v in rep.areas:
        a = v.result
        after = [f"{a.adjusted_grade or a.grade}{_verdict_word(a.plan_verdict)}"] if rep.plan_given else []
        rows.append([f"{a.area}. {a.title}", a.grade, *after, f"ja – bästa fall {a.best_case}" if a.provisional else "nej"])
    widths = (8.5, 2.0, 3.5, 3.0) if rep.plan_given else (10.0, 2.5, 4.5)
    add_table(doc, head, rows, widths, caption="Betyg per område")
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
            add_para(doc, f"{s.derived_title}:", bold=True)
            for ids, text in s.derived:
                p = doc.add_paragraph(style="List Bullet")
                p.add_run(", ".join(ids)).bold = True
                p.add_run(f" {text}")


def _area(doc: DocumentObject, rep: Report, v: AreaView) -> None:
    a = v.result
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
                add_para(doc, f"{title}:", bold=True)
                for item in items:
                    doc.add_paragraph(item, style="List Bullet")
    if a.plan_text:  # directly under the area's prose, as in the published report
        add_para(doc, a.plan_text, bold=True)
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
        add_table(doc, ["Krav", label, "Utfall", "Skäl"], rows, (1.5, 6.0, 2.8, 6.7), bold_first=True)
    doc.add_heading("Bedömning", 3)
    p = doc.add_paragraph()
    p.add_run(f"Betyg {a.grade}. ").bold = True
    p.add_run(a.scale_text)
    add_para(doc, f"Grund för betyget: {a.grade_reason}.", color=MUTED, size=SMALL)
    if a.provisional:
        add_para(
            doc,
            f"Preliminär. Underlag saknas för {len(v.missing)} krav. Bästa fall, om underlaget visar att kraven är "
            f"uppfyllda: {a.best_case}. Underlag som saknas:",
        )
        for q, what in v.missing:
            doc.add_paragraph(f"{q.id}: {what}", style="List Bullet")
    if v.plan_note:
        add_para(doc, v.plan_note, bold=True)
    rows = [[s.letter, s.text + "".join(f" [{m}]" for m in s.marks)] for s in v.legend]
    table = add_table(doc, None, rows, (1.2, 15.8), caption=f"Betygsskala, område {a.area}", bold_first=True)
    for row, step in zip(table.rows, v.legend, strict=True):
        if step.marks:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _plan(doc: DocumentObject, rep: Report) -> None:
    landscape = bool(rep.plan.rader)
    if landscape:
        page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    else:
        doc.add_page_break()
    draft = rep.draft and rep.plan.rader
    doc.add_heading(f"HANDLINGSPLAN{' – UTKAST' if draft else ''}", 1)
    pv: PlanView = rep.plan_view
    if rep.draft:
        if draft:
            add_para(doc, "UTKAST – inte en inlämnad handlingsplan", bold=True)
            doc.add_paragraph(
                f"Utkastet har skapats automatiskt från bedömningen {rep.result.assessed_on}: en rad per föreskrift som "
                "inte är uppfylld (åtgärd krävs) och per allmänt råd som inte är uppfyllt (åtgärd rekommenderas). "
                "Planerade åtgärder är förslag ur regelkatalogen; enheten anpassar åtgärder, datum och ansvariga. "
                "En redigerbar fil skapas med spur plan."
            )
        add_para(doc, rep.plan_need_text, bold=True)
        if rep.unknown_in_plan_kinds:
            doc.add_paragraph(
                "Krav där underlag saknas får ingen rad förrän underlaget finns: "
                f"{', '.join(rep.unknown_in_plan_kinds)}."
            )
    else:
        doc.add_paragraph(rep.plan_intro)
        late = " (för sent)" if rep.plan_late else ""
        key_values(
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
        page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
        return
    rows = [
        [
            v.row.omrade,
            ((v.row.krav, True), (f" {v.row.niva}: {v.row.brist}", False)),
            v.row.planerad_atgard or "–",
            v.done,
            v.row.ansvarig_genomforande or "–",
            v.follow_up + (f" (uppföljd {v.row.uppfoljning_gjord})" if v.row.uppfoljning_gjord else ""),
            v.row.ansvarig_uppfoljning or "–",
        ]
        for v in pv.rows
    ]
    widths = tuple(LANDSCAPE_WIDTH * share / 100 for _, share in PLAN_COLUMNS)
    add_table(doc, [h for h, _ in PLAN_COLUMNS], rows, widths, hyphenate=True)
    if not rep.draft:
        rows = [
            [
                v.row.krav,
                f"{v.row.status}{f' {v.row.status_datum}' if v.row.status_datum else ''}"
                + (f"; {_met_note()}" if v.row.kravet_uppfyllt else ""),
                v.review,
                v.row.godkand_kommentar or "–",
                v.row.anteckningar or "–",
            ]
            for v in pv.rows
        ]
        add_table(
            doc,
            ["Krav", "Status", "Godkänd", "Inspektörernas kommentar", "Anteckningar"],
            rows,
            (1.6, 4.0, 2.4, 8.85, 8.85),
            caption="Status och inspektörernas granskning per rad",
            bold_first=True,
        )
    page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)


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
    sections = (
        (
            "Inspektörernas bedömningar",
            "Krav som inspektörerna har bedömt annorlunda än underlaget visar. Utfallet enligt underlaget visas för "
            "jämförelse.",
            ["Krav", "Inspektörernas bedömning", "Enligt underlaget", "Motivering"],
            [[q.id, rep.words[q.outcome], rep.words[q.engine_outcome], q.motivering or ""] for q in ap.overrides],
            (1.5, 3.5, 3.5, 8.5),
            "Inga: alla utfall följer av underlaget.",
        ),
        (
            "Klassningar med låg säkerhet",
            "För dessa krav bygger typen (föreskrift, allmänt råd eller kvalitetsindikator) enbart på layouten i den "
            "publicerade SPUR-rapporten. Typen avgör betyget, så en sakkunnig bör granska klassningen.",
            ["Krav", "Typ", "Text", "Utfall"],
            [[q.id, rep.kinds[q.kind].label, q.text, rep.words[q.outcome]] for q in ap.low_confidence],
            (1.5, 3.0, 9.5, 3.0),
            "Inga krav med låg klassningssäkerhet.",
        ),
        (
            "Ej verifierade författningshänvisningar",
            rep.unverified_text,
            ["Hänvisning", "Krav"],
            [[text, ", ".join(ids)] for text, ids in ap.unverified],
            (8.5, 8.5),
            "Alla hänvisningar är verifierade.",
        ),
    )
    for heading, intro, head, rows, widths, none in sections:
        doc.add_heading(heading, 2)
        if not rows:
            doc.add_paragraph(none)
            continue
        doc.add_paragraph(intro)
        add_table(doc, head, rows, widths, bold_first=head[0] == "Krav")


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
