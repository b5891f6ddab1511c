"""/rollcall, /sensitive, /duty and the On duty (在岗) button."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ActionCallback
from bot.features import BotFeature
from bot.i18n import Texts
from bot.replies import Outbound
from bot.views.rollcall import records_text
from core.actor import Actor
from core.clock import Clock
from core.notices import Action, moment, text
from core.parse import in_range
from core.rollcall.config import RollCallConfig
from core.rollcall.feature import ROLLCALLS
from core.rollcall.ports import RollCallUnitOfWork
from core.rollcall.records import duty_records
from core.rollcall.usecases import answer_rollcall, declare_sensitive, open_adhoc
from scheduler.rollcall_schedule import rollcall_step


async def rollcall(message: Message, command: CommandObject, uow: RollCallUnitOfWork,
                   actor: Actor, t: Texts, clock: Clock, rollcall_config: RollCallConfig,
                   out: Outbound) -> None:
    rc, count = await open_adhoc(uow, actor, command.args or "", clock, rollcall_config)
    out.reply(message, t("rollcall.opened", id=rc.id, count=count,
                          deadline=moment(rc.deadline_at), kind=text(f"rollcall.kind.{rc.kind}")))


async def sensitive(message: Message, command: CommandObject, uow: RollCallUnitOfWork,
                    actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    days = in_range(command.args or "", 0, 366, "/sensitive <0-366>")
    period = await declare_sensitive(uow, actor, days, clock)
    if period is None:
        out.reply(message, t("rollcall.sensitive.off"))
    else:
        out.reply(message, t("rollcall.sensitive.on", until=moment(period.ends_at)))


async def on_duty(query: CallbackQuery, callback_data: ActionCallback, uow: RollCallUnitOfWork,
                  actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    answer = await answer_rollcall(uow, actor, callback_data.ref, clock)
    out.toast(t("rollcall.toast.on_time" if answer.on_time else "rollcall.toast.late"))


async def duty(message: Message, command: CommandObject, uow: RollCallUnitOfWork, actor: Actor,
               t: Texts, clock: Clock, out: Outbound) -> None:
    found = await duty_records(uow, actor, clock, (command.args or "").strip())
    out.say(message.chat.id, records_text(t, found))


def make_router() -> Router:
    router = Router(name="rollcall")
    router.message.register(rollcall, Command("rollcall"))
    router.message.register(sensitive, Command("sensitive"))
    router.message.register(duty, Command("duty"))
    router.callback_query.register(
        on_duty, ActionCallback.filter(F.action == Action.ROLLCALL_ON_DUTY))
    return router


FEATURE = BotFeature(ROLLCALLS, lambda: (make_router(),),
                     lambda c: (rollcall_step(c.rollcall),))
