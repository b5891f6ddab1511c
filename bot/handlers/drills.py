"""/drill, /spotcheck and /muster."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.features import BotFeature
from bot.i18n import Texts
from bot.replies import Outbound
from bot.views.drills import muster_text, opened_text, spotcheck_text
from core.actor import Actor
from core.clock import Clock
from core.drills.feature import DRILLS
from core.drills.ports import DrillUnitOfWork
from core.drills.usecases import incident_muster, open_drill, spot_check
from core.rollcall.config import RollCallConfig


async def drill(message: Message, command: CommandObject, uow: DrillUnitOfWork, actor: Actor,
                t: Texts, clock: Clock, rollcall_config: RollCallConfig, out: Outbound) -> None:
    found = await open_drill(uow, actor, command.args or "", clock, rollcall_config)
    out.reply(message, opened_text(t, found))


async def spotcheck(message: Message, command: CommandObject, uow: DrillUnitOfWork,
                    actor: Actor, t: Texts, clock: Clock, rollcall_config: RollCallConfig,
                    out: Outbound) -> None:
    found = await spot_check(uow, actor, command.args or "", clock, rollcall_config)
    out.reply(message, spotcheck_text(t, found))


async def muster(message: Message, command: CommandObject, uow: DrillUnitOfWork,
                 actor: Actor, t: Texts, out: Outbound) -> None:
    incident, rows = await incident_muster(uow, actor, command.args or "")
    out.reply(message, muster_text(t, incident, rows))


def make_router() -> Router:
    router = Router(name="drills")
    router.message.register(drill, Command("drill"))
    router.message.register(spotcheck, Command("spotcheck"))
    router.message.register(muster, Command("muster"))
    return router


FEATURE = BotFeature(DRILLS, lambda: (make_router(),))
