"""/mydata (a force's data, or a supervised force's), /update (one change to the force's own
data), /stale (the forces whose data is old)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.dialogs import update as dialog
from bot.features import BotFeature
from bot.i18n import Texts
from bot.replies import Outbound
from bot.settings import Settings
from bot.views.mydata import force_text, stale_text, updated_text
from core.actor import Actor
from core.clock import Clock
from core.mydata.feature import MYDATA
from core.mydata.policies import UPDATE_DATA
from core.mydata.usecases import force_data, parse_update, stale_forces, update_data
from core.ports import UnitOfWork
from scheduler.mydata import freshness_step


async def mydata(message: Message, command: CommandObject, uow: UnitOfWork, actor: Actor,
                 t: Texts, out: Outbound) -> None:
    data = await force_data(uow, actor, command.args or "")
    out.reply(message, force_text(t, data))


async def update(message: Message, command: CommandObject, uow: UnitOfWork, actor: Actor,
                 t: Texts, clock: Clock, settings: Settings, state: FSMContext,
                 out: Outbound) -> None:
    """The one-line forms; bare, the dialog."""
    if not (command.args or "").strip():
        await dialog.start(message, actor, t, state, out)
        return
    UPDATE_DATA.require(actor)
    change = parse_update(command.args or "")
    force, old, new = await update_data(uow, actor, change, clock, settings.zone)
    out.reply(message, updated_text(t, change, force, old, new))


async def stale(message: Message, uow: UnitOfWork, actor: Actor, t: Texts, clock: Clock,
                settings: Settings, out: Outbound) -> None:
    days = settings.data.stale_days
    found = await stale_forces(uow, actor, clock, settings.zone, days)
    out.reply(message, stale_text(t, found, days))


def make_router() -> Router:
    router = Router(name="mydata")
    router.message.register(mydata, Command("mydata"))
    router.message.register(update, Command("update"))
    router.message.register(stale, Command("stale"))
    return router


FEATURE = BotFeature(MYDATA, lambda: (make_router(), dialog.make_router()),
                     lambda c: (freshness_step(c.data),))
