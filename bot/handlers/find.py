"""/find <word> [township]: which forces have a capability, equipment or material."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.features import BotFeature
from bot.i18n import Texts
from bot.replies import Outbound
from bot.views.find import found_text
from core.actor import Actor
from core.clock import Clock
from core.find.feature import FIND_FEATURE
from core.find.ports import FindUnitOfWork
from core.find.usecases import find_forces
from core.rollcall.config import RollCallConfig


async def find(message: Message, command: CommandObject, uow: FindUnitOfWork, actor: Actor,
               t: Texts, clock: Clock, rollcall_config: RollCallConfig,
               out: Outbound) -> None:
    found = await find_forces(uow, actor, command.args or "", clock, rollcall_config.zone)
    out.reply(message, found_text(t, found))


def make_router() -> Router:
    router = Router(name="find")
    router.message.register(find, Command("find"))
    return router


FEATURE = BotFeature(FIND_FEATURE, lambda: (make_router(),))
