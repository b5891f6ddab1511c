"""The assessment as an Excel workbook: the county's figures first (connection ratio against the
target, each category, month by month), then one sheet per force category, each with a native
bar chart of its forces' on-time rates."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.assessment.model import CONNECTION_TARGET, Assessment, ForceFigures, GroupFigures
from core.registry import ForceCategory
from documents.texts import Say

HEAD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
WEAK = PatternFill("solid", fgColor="F8CBAD")


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _m(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


# (column key, value): the force sheet's columns, in order; the keys are catalog keys.
FORCE_COLUMNS: tuple[tuple[str, Callable[[ForceFigures], Any]], ...] = (
    ("code", lambda f: f.unit.code),
    ("name", lambda f: f.unit.name),
    ("bound", lambda f: f.bound),
    ("data_age", lambda f: f.data_age_days),
    ("calls", lambda f: f.calls),
    ("on_time", lambda f: f.on_time),
    ("late", lambda f: f.late),
    ("missed", lambda f: f.missed),
    ("on_time_rate", lambda f: _r(f.on_time_rate)),
    ("spotchecks", lambda f: f.spotchecks),
    ("spotchecks_passed", lambda f: f.spotchecks_passed),
    ("warnings", lambda f: f.warnings),
    ("confirmed", lambda f: f.confirmed),
    ("confirmed_rate", lambda f: _r(f.confirmed_rate)),
    ("confirm_median", lambda f: _m(f.confirm_median_s)),
    ("orders", lambda f: f.orders),
    ("within_t1", lambda f: f.within_t1),
    ("t1_rate", lambda f: _r(f.t1_rate)),
    ("received_median", lambda f: _m(f.received_median_s)),
    ("on_scene_median", lambda f: _m(f.on_scene_median_s)),
    ("unable", lambda f: f.unable),
)
RATE_COLUMN = 1 + [k for k, _ in FORCE_COLUMNS].index("on_time_rate")

GROUP_COLUMNS: tuple[tuple[str, Callable[[GroupFigures], Any]], ...] = (
    ("forces", lambda g: g.forces),
    ("bound_forces", lambda g: g.bound),
    ("connection_rate", lambda g: _r(g.connection_rate)),
    ("calls", lambda g: g.calls),
    ("on_time", lambda g: g.on_time),
    ("late", lambda g: g.late),
    ("missed", lambda g: g.missed),
    ("on_time_rate", lambda g: _r(g.on_time_rate)),
    ("spotchecks", lambda g: g.spotchecks),
    ("spotchecks_passed", lambda g: g.spotchecks_passed),
    ("warnings", lambda g: g.warnings),
    ("confirmed_rate", lambda g: _r(g.confirmed_rate)),
    ("orders", lambda g: g.orders),
    ("t1_rate", lambda g: _r(g.t1_rate)),
    ("unable", lambda g: g.unable),
    ("stale", lambda g: g.stale),
)


def _head(ws: Worksheet, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels, 1):
        cell = ws.cell(row, col, label)
        cell.font, cell.fill = HEAD, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _widths(ws: Worksheet, first: int, count: int) -> None:
    ws.column_dimensions["A"].width = first
    for col in range(2, count + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11


def _county_sheet(ws: Worksheet, a: Assessment, say: Say) -> None:
    ws.title = say("assessment.sheet.county")[:31]
    drill = say("assessment.drill") if a.drill else ""
    ws["A1"] = say("assessment.doc.title", period=a.period.label, kind=drill)
    ws["A1"].font = Font(bold=True, size=14)
    total = a.total
    ws["A3"], ws["B3"] = say("assessment.col.connection_rate"), _r(total.connection_rate)
    ws["A4"], ws["B4"] = say("assessment.col.target"), round(100 * CONNECTION_TARGET, 1)
    ws["A5"], ws["B5"] = say("assessment.col.target_met"), (
        say("assessment.yes") if total.connection_met else say("assessment.no"))
    row = 7
    _head(ws, row, [say("assessment.col.group")]
          + [say(f"assessment.col.{k}") for k, _ in GROUP_COLUMNS])
    groups: list[tuple[str, GroupFigures]] = [
        (say(f"assessment.category.{c.value}"), g) for c, g in a.categories.items()]
    groups.append((say("assessment.county"), total))
    for name, g in groups:
        row += 1
        ws.cell(row, 1, name)
        for col, (_, value) in enumerate(GROUP_COLUMNS, 2):
            ws.cell(row, col, value(g))
    chart_rows = (row - len(groups) + 1, row - 1)  # the categories, without the total
    if a.by_month:
        row += 2
        _head(ws, row, [say("assessment.col.month")]
              + [say(f"assessment.col.{k}") for k, _ in GROUP_COLUMNS])
        for month, g in a.by_month:
            row += 1
            ws.cell(row, 1, month.label)
            for col, (_, value) in enumerate(GROUP_COLUMNS, 2):
                ws.cell(row, col, value(g))
    _widths(ws, 22, len(GROUP_COLUMNS) + 1)
    if chart_rows[1] >= chart_rows[0]:
        rate_col = 2 + [k for k, _ in GROUP_COLUMNS].index("on_time_rate")
        chart = BarChart()
        chart.type = "col"
        chart.title = say("assessment.chart.categories")
        chart.y_axis.title = say("assessment.chart.axis")
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        chart.add_data(Reference(ws, min_col=rate_col, min_row=chart_rows[0] - 1,
                                 max_row=chart_rows[1]), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=chart_rows[0],
                                       max_row=chart_rows[1]))
        chart.legend = None
        ws.add_chart(chart, f"B{row + 3}")


def _force_sheet(ws: Worksheet, category: ForceCategory, forces: list[ForceFigures],
                 say: Say) -> None:
    ws.title = say(f"assessment.category.{category.value}")[:31]
    _head(ws, 1, [say(f"assessment.col.{k}") for k, _ in FORCE_COLUMNS])
    ranked = sorted(forces, key=lambda f: (f.on_time_rate is None, f.on_time_rate or 0.0,
                                           f.unit.code))
    for row, f in enumerate(ranked, 2):
        for col, (key, value) in enumerate(FORCE_COLUMNS, 1):
            v = value(f)
            if key == "bound":
                v = say("assessment.yes") if v else say("assessment.no")
            ws.cell(row, col, v)
        if f.calls and (f.on_time_rate or 0) < 60:
            ws.cell(row, RATE_COLUMN).fill = WEAK
    ws.freeze_panes = "C2"
    _widths(ws, 14, len(FORCE_COLUMNS))
    ws.column_dimensions["B"].width = 24
    counted = sum(1 for f in ranked if f.calls)
    if counted:
        chart = BarChart()
        chart.type = "bar"
        chart.title = say("assessment.chart.title", period="", kind="").strip()
        chart.x_axis.scaling.orientation = "maxMin"  # the weakest at the top, as in the PNG
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        chart.add_data(Reference(ws, min_col=RATE_COLUMN, min_row=1, max_row=1 + counted),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=2, max_row=1 + counted))
        chart.legend = None
        chart.height = max(7.5, 0.45 * counted)
        chart.width = 18
        ws.add_chart(chart, f"{get_column_letter(len(FORCE_COLUMNS) + 2)}2")


def assessment_workbook(a: Assessment, say: Say) -> bytes:
    wb = Workbook()
    county = wb.active
    assert isinstance(county, Worksheet)
    _county_sheet(county, a, say)
    for category in ForceCategory:
        mine = [f for f in a.forces if f.unit.category is category]
        if mine:
            _force_sheet(wb.create_sheet(), category, mine, say)
    uncategorized = [f for f in a.forces if f.unit.category is None]
    if uncategorized:
        ws = wb.create_sheet()
        _force_sheet(ws, ForceCategory.SOCIAL, uncategorized, say)
        ws.title = say("assessment.category.none")[:31]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
