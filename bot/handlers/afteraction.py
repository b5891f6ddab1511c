"""/report <incident> (the after-action report), the answers to 问题与改进, the close hook, and
the sweep step that builds the reports asked for."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.configs import Configs
from bot.features import BotFeature
from bot.i18n import Texts, Translator
from bot.replies import Outbound
from bot.views.afteraction import render
from core.actor import Actor
from core.afteraction.feature import AFTERACTION
from core.afteraction.model import AfterActionConfig
from core.afteraction.ports import AfterActionUnitOfWork
from core.afteraction.usecases import (
    LESSONS,
    after_close,
    answer_lesson,
    ask_report,
    deliver,
    due_reports,
    gather,
    incident_ref,
)
from core.clock import Clock
from core.config import MechanismConfig
from core.county import CountyUow
from core.dispatch.config import DispatchConfig
from core.dispatch.hooks import CloseHook
from core.dispatch.reinforce import take_answer
from scheduler.jobs import SweepStep

log = logging.getLogger(__name__)


def _is_incident(command: CommandObject) -> bool:
    """/report 12 (digits, nothing after them): an incident's report; anything else is an
    information report (core/reports), which a township name always starts."""
    return incident_ref(command.args) is not None


async def report(message: Message, command: CommandObject, uow: AfterActionUnitOfWork,
                 actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    incident_id = incident_ref(command.args)
    assert incident_id is not None
    request = await ask_report(uow, actor, incident_id, clock)
    out.reply(message, t("afteraction.asked", id=incident_id, version=request.version))


async def lesson_reply(message: Message, bot: Bot, uow: AfterActionUnitOfWork, actor: Actor,
                       t: Texts, clock: Clock, after_action_config: AfterActionConfig,
                       out: Outbound) -> None:
    """A reply to 问题与改进's question, by a person asked; anything else is not ours."""
    replied = message.reply_to_message
    assert replied is not None
    to_bot = replied.from_user is not None and replied.from_user.id == bot.id
    prompt = await take_answer(uow, message.chat.id, replied.message_id,
                               actor.tg_id if actor else None, LESSONS, to_bot)
    if prompt is None:
        raise SkipHandler
    _, new = await answer_lesson(uow, actor, prompt.ref, message.text or "", clock,
                                 after_action_config)
    if new is None:
        out.reply(message, t("afteraction.lessons.thanks", id=prompt.ref))
    else:
        out.reply(message, t("afteraction.lessons.thanks_new", id=prompt.ref,
                             version=new.version, due=new.due_at))


def make_router() -> Router:
    router = Router(name="afteraction")
    router.message.register(report, Command("report", magic=F.func(_is_incident)))
    router.message.register(lesson_reply, F.reply_to_message, F.text)
    return router


def build_step(cfg: AfterActionConfig, dcfg: DispatchConfig) -> SweepStep:
    translator = Translator(cfg.locale, dcfg.zone)  # type: ignore[arg-type]
    # Versions whose document could not be built (a fault, not the database): logged once with
    # its trace and left until the bot restarts, instead of failing again every sweep.
    broken: set[int] = set()

    async def afteraction_reports(uows: CountyUow, clock: Clock,
                                  config: MechanismConfig) -> None:
        """Each version asked for: facts read, the document built in a thread with no
        transaction open, then stored, marked and sent in one transaction."""
        async with uows() as uow:
            due = [r for r in await due_reports(uow, clock.now()) if r.id not in broken]
        # One version a sweep: the steps after this one (reminders, escalations of other
        # features) wait at most one document's building; the rest come with the next sweeps.
        for request in due[:1]:
            async with uows() as uow:
                facts = await gather(uow, request, cfg, dcfg.t1, clock.now())
            try:
                content = await asyncio.to_thread(render, facts, translator, cfg.locale)
            except Exception:
                log.exception("the after-action report of incident %s, version %s, could not "
                              "be built; it is tried again after a restart",
                              request.incident_id, request.version)
                broken.add(request.id or 0)
                continue
            async with uows() as uow:
                if await deliver(uow, request, content, clock.now()):
                    await uow.commit()
                    log.info("after-action report of incident %s, version %s: %s bytes",
                             request.incident_id, request.version, len(content))

    return afteraction_reports


def steps(configs: Configs) -> Sequence[SweepStep]:
    return (build_step(configs.after_action, configs.dispatch),)


def close_hooks(configs: Configs) -> Sequence[CloseHook]:
    return (after_close(configs.after_action),)


FEATURE = BotFeature(AFTERACTION, lambda: (make_router(),), steps, after_close=close_hooks)
