"""/stats, and the monthly assessment document to the bureau (a sweep step)."""

from __future__ import annotations

import asyncio
import logging
from functools import partial

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.features import BotFeature
from bot.i18n import Texts, Translator
from bot.replies import Outbound
from bot.views.assessment import caption, say_plain, stats_text
from core.actor import Actor
from core.assessment.config import AssessConfig
from core.assessment.feature import ASSESSMENT
from core.assessment.model import Assessment
from core.assessment.ports import AssessmentUnitOfWork
from core.assessment.usecases import (
    bureaus,
    county_assessment,
    monthly_due,
    send_monthly,
    stats,
)
from core.clock import Clock
from core.config import MechanismConfig
from core.county import CountyUow
from scheduler.jobs import SweepStep

log = logging.getLogger(__name__)


def chart_png(a: Assessment, t: Texts) -> bytes:
    # Imported here: matplotlib loads only when a chart is drawn (in the courier's thread).
    from documents.charts_assessment import on_time_chart

    return on_time_chart(a, say_plain(t))


def document_docx(a: Assessment, t: Texts) -> bytes:
    from documents.assessment_docx import assessment_document

    return assessment_document(a, say_plain(t))


async def stats_command(message: Message, command: CommandObject, uow: AssessmentUnitOfWork,
                        actor: Actor, t: Texts, clock: Clock, assess_config: AssessConfig,
                        out: Outbound) -> None:
    """The figures now, in the transaction; the chart after the commit, off the event loop."""
    found = await stats(uow, actor, command.args or "", clock, assess_config)
    out.reply(message, stats_text(t, found))
    if found.ranked():
        out.photo(message.chat.id, partial(chart_png, found, t), caption(t, found),
                  name=f"stats-{found.period.label}.png", reply_to=message.message_id)


def monthly_step(cfg: AssessConfig) -> SweepStep:
    """On ASSESS__MONTHLY_DAY (or the first sweep after it), last month's Word document to the
    bureau, once: the month is written down in the transaction that queues the notice."""
    translator = Translator(cfg.locale, cfg.zone)

    async def monthly_assessment(uow_factory: CountyUow, clock: Clock,
                                 config: MechanismConfig) -> None:
        async with uow_factory() as uow:
            period = await monthly_due(uow, clock, cfg)
            if period is None:
                return
            to = await bureaus(uow)
            found = await county_assessment(uow, period, clock, cfg)
            chat = next((b.chat_id for b in to if b.chat_id is not None), None)
            locale = await uow.chats.locale(chat) if chat is not None else None
        t = translator.for_locale(locale)
        # Built outside any transaction and off the event loop: it takes a second or two.
        content = await asyncio.to_thread(document_docx, found, t)
        async with uow_factory() as uow:
            name = say_plain(t)("assessment.file.docx", period=period.label)
            if await send_monthly(uow, found, name, content, clock):
                await uow.commit()
                log.info("monthly assessment %s sent to the bureau", period.label)

    return monthly_assessment


def make_router() -> Router:
    router = Router(name="assessment")
    router.message.register(stats_command, Command("stats"))
    return router


FEATURE = BotFeature(ASSESSMENT, lambda: (make_router(),),
                     lambda c: (monthly_step(c.assess),))
