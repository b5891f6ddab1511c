"""The after-action report as a file: facts gathered in one unit of work, the Word document
built in a thread with the county's language, outside any transaction."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from core.afteraction.model import AfterActionConfig, Facts, Reason, ReportRequest
from core.afteraction.ports import AfterActionUnitOfWork
from core.afteraction.usecases import gather
from documents.after_action import after_action_docx

SHANGHAI = ZoneInfo("Asia/Shanghai")


def render(facts: Facts, translator: Translator, locale: str) -> bytes:
    """CPU work: call it in a thread."""
    texts = translator.for_locale(locale)
    return after_action_docx(facts, texts, translator.moment)


async def build_report(uow: AfterActionUnitOfWork, incident_id: int, *,
                       translator: Translator | None = None,
                       config: AfterActionConfig | None = None,
                       t1: timedelta = timedelta(minutes=3), version: int = 1,
                       now: datetime | None = None) -> bytes:
    """The report of one incident from an open unit of work, as .docx bytes; nothing is written.
    The benchmark (bench/reports.py) times this; the sweep does the same in two steps, so its
    unit of work is closed while the document is built."""
    config = config or AfterActionConfig()
    translator = translator or Translator(config.locale, SHANGHAI)
    at = now or datetime.now(SHANGHAI)
    request = ReportRequest(incident_id, version, Reason.ASKED, at, at)
    facts = await gather(uow, request, config, t1, at)
    return await asyncio.to_thread(render, facts, translator, config.locale)
