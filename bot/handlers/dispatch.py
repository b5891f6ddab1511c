"""/incident, /dispatch, /hq, /period, /reinforce, /standdown, /close, /log; and the sweep."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot import questions
from bot.context import UowFactory
from bot.dialogs import dispatch as dialog
from bot.features import BotFeature
from bot.handlers import dispatch_buttons
from bot.i18n import Texts, Translator
from bot.replies import Outbound
from bot.views.dispatch import timeline_text
from core.actor import Actor
from core.clock import Clock
from core.dispatch.config import DispatchConfig
from core.dispatch.decisions import withdraw_plan
from core.dispatch.feature import DISPATCH
from core.dispatch.incidents import (
    INCIDENT_USAGE,
    close_incident,
    open_incident,
    set_hq,
)
from core.dispatch.orders import stand_down
from core.dispatch.plans import parse_dispatch, parse_standdown, parse_withdraw, submit_plan
from core.dispatch.ports import DispatchUnitOfWork
from core.dispatch.reinforce import (
    PERIOD_USAGE,
    REINFORCE_USAGE,
    declare_period,
    request_reinforcement,
)
from core.dispatch.timeline import incident_timeline
from core.errors import DomainError
from core.notices import text
from scheduler.escalation import escalation_step


def _args(command: CommandObject, usage: object) -> str:
    if not command.args or not command.args.strip():
        raise DomainError("usage", usage=usage)
    return command.args.strip()


async def incident(message: Message, command: CommandObject, uow: DispatchUnitOfWork,
                   actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    opened = await open_incident(uow, actor, _args(command, INCIDENT_USAGE), clock)
    out.reply(message, t("dispatch.incident.opened", id=opened.id, title=opened.title))


async def dispatch(message: Message, command: CommandObject, uow: DispatchUnitOfWork,
                   actor: Actor, t: Texts, clock: Clock, dispatch_config: DispatchConfig,
                   state: FSMContext, out: Outbound) -> None:
    if not command.args:
        await dialog.start_dialog(message, uow, actor, t, state, out)
        return
    raw_incident, codes, task = parse_dispatch(command.args)
    plan = await submit_plan(uow, actor, raw_incident, codes, task, "", clock,
                             dispatch_config)
    out.reply(message, t("dispatch.plan.submitted", plan=plan.id, count=len(plan.forces)))


async def hq(message: Message, command: CommandObject, uow: DispatchUnitOfWork, actor: Actor,
             t: Texts, clock: Clock, out: Outbound) -> None:
    parts = _args(command, text("usage.hq")).split()
    if len(parts) != 2:
        raise DomainError("usage", usage=text("usage.hq"))
    found = await set_hq(uow, actor, parts[0], parts[1], clock)
    out.reply(message, t("dispatch.hq.set", id=found.id))


async def period(message: Message, command: CommandObject, uow: DispatchUnitOfWork,
                 actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    declared = await declare_period(uow, actor, _args(command, PERIOD_USAGE), clock)
    out.reply(message, t("dispatch.period.ok" if declared else "dispatch.period.off_ok"))


async def reinforce(message: Message, command: CommandObject, uow: DispatchUnitOfWork,
                    actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    item = await request_reinforcement(uow, actor, _args(command, REINFORCE_USAGE), clock)
    out.reply(message, t("dispatch.reinforce.sent", id=item.id))


async def standdown(message: Message, command: CommandObject, uow: DispatchUnitOfWork,
                    actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    plan_id, forces = parse_standdown(command.args or "")
    done = await stand_down(uow, actor, plan_id, clock, forces)
    out.reply(message, t("dispatch.standdown.result", plan=done.plan,
                         count=len(done.stood_down), names=done.stood_down,
                         others=done.others()))


async def withdraw(message: Message, command: CommandObject, uow: DispatchUnitOfWork,
                   actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    plan = await withdraw_plan(uow, actor, parse_withdraw(command.args or ""), clock)
    out.reply(message, t("dispatch.plan.withdrawn", plan=plan.id))


async def close(message: Message, command: CommandObject, uow: DispatchUnitOfWork,
                actor: Actor, t: Texts, clock: Clock, out: Outbound,
                dispatch_config: DispatchConfig, uows: UowFactory,
                translator: Translator) -> None:
    closed = await close_incident(uow, actor, _args(command, text("usage.close")), clock)
    out.reply(message, t("dispatch.incident.closed", id=closed.id))
    # What other features do on a close (the after-action report, its lessons questions), in
    # this transaction; their questions go out after the commit.
    for hook in dispatch_config.after_close:
        await questions.ask(await hook(uow, closed, clock.now()), uow, out, uows, translator)


async def log(message: Message, command: CommandObject, uow: DispatchUnitOfWork, actor: Actor,
              t: Texts, translator: Translator, out: Outbound) -> None:
    found = await incident_timeline(uow, actor, _args(command, text("usage.log")))
    out.reply(message, timeline_text(t, translator, found))


def make_router() -> Router:
    router = Router(name="dispatch")
    for name, handler in (("incident", incident), ("dispatch", dispatch), ("hq", hq),
                          ("period", period), ("reinforce", reinforce),
                          ("standdown", standdown), ("withdraw", withdraw),
                          ("close", close), ("log", log)):
        router.message.register(handler, Command(name))
    router.include_router(dispatch_buttons.make_router())
    router.include_router(dialog.make_router())
    return router


FEATURE = BotFeature(DISPATCH, lambda: (make_router(),),
                     lambda c: (escalation_step(c.dispatch),))
