"""The assessment as a Word document for the bureau and the county government: the county's
figures in a paragraph and a table, the charts, and every force's figures."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from core.assessment.model import CONNECTION_TARGET, Assessment, ForceFigures
from documents.charts_assessment import months_chart, on_time_chart
from documents.texts import Say, minutes, pct

FONT = "SimSun"  # the body font a Chinese office's Word has; East Asian text set below


def _font(doc: object) -> None:
    style = doc.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def summary(a: Assessment, say: Say) -> str:
    g = a.total
    weakest = a.weakest()
    text = say("assessment.doc.summary", forces=g.forces, bound=g.bound,
               ratio=pct(g.connection_rate), target=pct(100 * CONNECTION_TARGET),
               met=say("assessment.doc.met" if g.connection_met else "assessment.doc.not_met"),
               calls=g.calls, on_time=pct(g.on_time_rate), late=g.late, missed=g.missed,
               warnings=g.warnings, confirmed=pct(g.confirmed_rate), orders=g.orders,
               t1=pct(g.t1_rate), unable=g.unable, spotchecks=g.spotchecks,
               passed=pct(g.spotcheck_rate))
    if weakest is not None:
        text += say("assessment.doc.weakest", unit=weakest.unit.name,
                    rate=pct(weakest.on_time_rate))
    return text


FORCE_HEAD = ("name", "on_time_rate", "late", "missed", "spotchecks_passed", "confirmed_rate",
              "confirm_median", "t1_rate", "received_median", "on_scene_median", "unable",
              "data_age", "bound")


def _force_row(f: ForceFigures, say: Say) -> list[str]:
    return [f.unit.name, pct(f.on_time_rate), str(f.late), str(f.missed),
            f"{f.spotchecks_passed}/{f.spotchecks}", pct(f.confirmed_rate),
            minutes(f.confirm_median_s), pct(f.t1_rate), minutes(f.received_median_s),
            minutes(f.on_scene_median_s), str(f.unable),
            "—" if f.data_age_days is None else str(f.data_age_days),
            say("assessment.yes") if f.bound else say("assessment.no")]


def _table(doc: object, head: list[str], rows: list[list[str]], size: float) -> None:
    table = doc.add_table(rows=1 + len(rows), cols=len(head))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    # Cells are written through the row's cell list once: python-docx's cell lookup per
    # (row, column) walks the table each time and dominates a 300-force document otherwise.
    for values, row in zip([head, *rows], table.rows, strict=True):
        for value, cell in zip(values, row.cells, strict=True):
            cell.text = value
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(size)
                if values is head:
                    run.bold = True


def assessment_document(a: Assessment, say: Say) -> bytes:
    doc = Document()
    _font(doc)
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(1.8)
    kind = say("assessment.drill") if a.drill else ""
    title = doc.add_heading(say("assessment.doc.title", period=a.period.label, kind=kind), 0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if a.drill:
        doc.add_paragraph(say("assessment.doc.drill_note"))
    doc.add_heading(say("assessment.doc.h_summary"), 1)
    doc.add_paragraph(summary(a, say))
    doc.add_paragraph(say("assessment.doc.definitions"))
    doc.add_heading(say("assessment.doc.h_categories"), 1)
    groups = [(say(f"assessment.category.{c.value}"), g) for c, g in a.categories.items()]
    groups.append((say("assessment.county"), a.total))
    _table(doc, [say(f"assessment.col.{k}") for k in (
        "group", "forces", "bound_forces", "connection_rate", "on_time_rate", "confirmed_rate",
        "t1_rate", "spotchecks_passed", "unable")],
        [[name, str(g.forces), str(g.bound), pct(g.connection_rate), pct(g.on_time_rate),
          pct(g.confirmed_rate), pct(g.t1_rate), f"{g.spotchecks_passed}/{g.spotchecks}",
          str(g.unable)] for name, g in groups], 9)
    doc.add_heading(say("assessment.doc.h_charts"), 1)
    doc.add_picture(io.BytesIO(on_time_chart(a, say)), width=Cm(16))
    if a.by_month:
        doc.add_picture(io.BytesIO(months_chart(a, say)), width=Cm(16))
    doc.add_heading(say("assessment.doc.h_forces"), 1)
    _table(doc, [say(f"assessment.col.{k}") for k in FORCE_HEAD],
           [_force_row(f, say) for f in sorted(a.forces, key=lambda f: f.unit.code)], 7.5)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
