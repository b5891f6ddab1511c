"""A month's compensation figures as an Excel workbook: sheet 汇总 (per social force:
deployments, hours, person-hours) and sheet 出动明细 (one row per deployment). The sheet names
stay Chinese in every language: the bureau's finance office files them by these names."""

from __future__ import annotations

import io
from datetime import datetime, tzinfo

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.compensation.model import MonthFigures
from documents.texts import Say

SUMMARY = "汇总"
DETAIL = "出动明细"
HEAD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")

SUMMARY_COLUMNS = ("code", "force", "deployments", "hours", "person_hours", "unreported",
                   "ongoing")
DETAIL_COLUMNS = ("force", "incident", "order", "started", "ended", "end", "hours", "people",
                  "person_hours")


def _header(ws: Worksheet, say: Say, keys: tuple[str, ...]) -> None:
    ws.append([say(f"compensation.col.{k}") for k in keys])
    for cell in ws[1]:
        cell.font, cell.fill = HEAD, HEAD_FILL
    for i, key in enumerate(keys, 1):
        ws.column_dimensions[get_column_letter(i)].width = 30 if key in ("force", "incident") \
            else 14
    ws.freeze_panes = "A2"


def _local(at: datetime | None, zone: tzinfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""


def workbook(figures: MonthFigures, say: Say, zone: tzinfo) -> bytes:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = SUMMARY
    _header(summary, say, SUMMARY_COLUMNS)
    for f in figures.forces:
        summary.append([f.force_code, f.force, f.deployments, round(f.hours, 2),
                        round(f.person_hours, 2), f.unreported, f.ongoing])
    if figures.forces:
        summary.append(["", say("compensation.col.total"),
                        sum(f.deployments for f in figures.forces),
                        round(sum(f.hours for f in figures.forces), 2),
                        round(sum(f.person_hours for f in figures.forces), 2),
                        sum(f.unreported for f in figures.forces),
                        sum(f.ongoing for f in figures.forces)])
        for cell in summary[summary.max_row]:
            cell.font = HEAD
    detail = wb.create_sheet(DETAIL)
    _header(detail, say, DETAIL_COLUMNS)
    now = figures.made_at
    for d in figures.deployments:
        end = ("stood_down" if d.ended_at is not None and d.ended_at == d.stood_down_at
               else "closed" if d.ended_at is not None else "ongoing")
        detail.append([d.force, f"#{d.incident_id} {d.incident_title}", d.order_id,
                       _local(d.started_at, zone), _local(d.ended_at, zone),
                       say(f"compensation.end.{end}"), round(d.hours(now), 2),
                       d.people if d.people is not None else "",
                       round(d.person_hours(now), 2) if d.people is not None else ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
