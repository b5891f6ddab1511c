"""The list of open incidents offered to link an information report to."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import ReportLinkCallback
from bot.i18n import Texts
from core.dispatch.model import Incident
from core.notices import text
from core.reports.model import Report

LABEL_CHARS = 24  # a button shows the start of an incident's title


def _short(title: str) -> str:
    return title if len(title) <= LABEL_CHARS else title[:LABEL_CHARS] + "…"


def choices_text(t: Texts, report: Report, incidents: list[Incident]) -> str:
    return t("reports.choose", id=report.id, count=len(incidents))


def choices_markup(t: Texts, report: Report, incidents: list[Incident]) -> InlineKeyboardMarkup:
    assert report.id is not None
    rows = [[InlineKeyboardButton(
        text=t("reports.choice", id=i.id, title=_short(i.title), township=i.township,
               level=text(f"dispatch.level.{i.level}")),
        callback_data=ReportLinkCallback(report=report.id, incident=i.id or 0).pack())]
        for i in incidents]
    return InlineKeyboardMarkup(inline_keyboard=rows)
