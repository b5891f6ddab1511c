"""/sitrep: a numbered situation update (第N次研判) on an incident."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.features import BotFeature
from bot.i18n import Texts
from bot.replies import Outbound
from core.actor import Actor
from core.clock import Clock
from core.sitrep.feature import SITREP
from core.sitrep.ports import SitrepUnitOfWork
from core.sitrep.usecases import post_sitrep


async def sitrep(message: Message, command: CommandObject, uow: SitrepUnitOfWork,
                 actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    posted = await post_sitrep(uow, actor, command.args or "", clock)
    out.reply(message, t("sitrep.posted", incident=posted.incident.id,
                         title=posted.incident.title, n=posted.sitrep.number,
                         count=len(posted.recipients)))


def make_router() -> Router:
    router = Router(name="sitrep")
    router.message.register(sitrep, Command("sitrep"))
    return router


FEATURE = BotFeature(SITREP, lambda: (make_router(),))
