"""Taps on plan, order, concurrence and reinforcement buttons; answers to reason questions."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.types import CallbackQuery, ForceReply, Message

from bot.callbacks import ActionCallback
from bot.i18n import Texts
from bot.render import mention
from bot.settings import Settings
from core.actor import Actor
from core.clock import Clock
from core.dispatch.config import DispatchConfig
from core.dispatch.decisions import concur, concurrable, decidable, decide_plan
from core.dispatch.model import OrderStatus, Prompt
from core.dispatch.orders import answer_order, answerable
from core.dispatch.ports import DispatchUnitOfWork
from core.dispatch.reinforce import (
    ask,
    decide_reinforcement,
    reinforcement_decidable,
    take_answer,
)
from core.notices import Action

REASONS = frozenset({"reject", "unable", "dissent", "reinforce_reject"})
ORDER_STEPS = {
    Action.ORDER_RECEIVED: OrderStatus.RECEIVED,
    Action.ORDER_EN_ROUTE: OrderStatus.EN_ROUTE,
    Action.ORDER_ON_SCENE: OrderStatus.ON_SCENE,
}


def dispatch_config(settings: Settings) -> DispatchConfig:
    d = settings.dispatch
    return DispatchConfig(
        approval_remind=timedelta(seconds=d.approval_remind_seconds),
        t1=timedelta(seconds=d.escalate_t1_seconds), t2=timedelta(seconds=d.escalate_t2_seconds),
        flood_season=d.flood_season, zone=settings.zone)


_dcfg = dispatch_config


async def _ask_reason(query: CallbackQuery, bot: Bot, uow: DispatchUnitOfWork, actor: Actor,
                      t: Texts, clock: Clock, kind: str, ref: int) -> None:
    """A ForceReply question to the person who tapped; their reply is the reason."""
    assert actor.tg_id is not None and query.message is not None
    chat_id = query.message.chat.id
    sent = await bot.send_message(
        chat_id, mention(actor.tg_id, actor.display_name) + " " + t(f"dispatch.ask.{kind}"),
        parse_mode="HTML", reply_markup=ForceReply(selective=True))
    await ask(uow, Prompt(chat_id, sent.message_id, kind, ref, actor.tg_id, clock.now()))
    await query.answer(t("dispatch.toast.asked"))


async def approve(query: CallbackQuery, callback_data: ActionCallback, uow: DispatchUnitOfWork,
                  actor: Actor, t: Texts, clock: Clock, settings: Settings) -> None:
    plan = await decide_plan(uow, actor, callback_data.ref, True, "", clock, _dcfg(settings))
    await query.answer(t(f"dispatch.toast.plan.{plan.status}", plan=plan.id))


async def reject(query: CallbackQuery, callback_data: ActionCallback, bot: Bot,
                 uow: DispatchUnitOfWork, actor: Actor, t: Texts, clock: Clock) -> None:
    await decidable(uow, actor, callback_data.ref)
    await _ask_reason(query, bot, uow, actor, t, clock, "reject", callback_data.ref)


async def order_step(query: CallbackQuery, callback_data: ActionCallback,
                     uow: DispatchUnitOfWork, actor: Actor, t: Texts, clock: Clock) -> None:
    step = ORDER_STEPS[callback_data.action]
    await answer_order(uow, actor, callback_data.ref, step, "", clock)
    await query.answer(t("dispatch.toast.order", state={"_t": f"dispatch.order.state.{step}"}))


async def order_unable(query: CallbackQuery, callback_data: ActionCallback, bot: Bot,
                       uow: DispatchUnitOfWork, actor: Actor, t: Texts, clock: Clock) -> None:
    await answerable(uow, actor, callback_data.ref, OrderStatus.UNABLE)
    await _ask_reason(query, bot, uow, actor, t, clock, "unable", callback_data.ref)


async def agree(query: CallbackQuery, callback_data: ActionCallback, uow: DispatchUnitOfWork,
                actor: Actor, t: Texts, clock: Clock, settings: Settings) -> None:
    await concur(uow, actor, callback_data.ref, True, "", clock, _dcfg(settings))
    await query.answer(t("dispatch.toast.concurred"))


async def dissent(query: CallbackQuery, callback_data: ActionCallback, bot: Bot,
                  uow: DispatchUnitOfWork, actor: Actor, t: Texts, clock: Clock) -> None:
    await concurrable(uow, actor, callback_data.ref)
    await _ask_reason(query, bot, uow, actor, t, clock, "dissent", callback_data.ref)


async def reinforce_approve(query: CallbackQuery, callback_data: ActionCallback,
                            uow: DispatchUnitOfWork, actor: Actor, t: Texts, clock: Clock,
                            settings: Settings) -> None:
    item = await decide_reinforcement(uow, actor, callback_data.ref, True, clock,
                                      _dcfg(settings))
    await query.answer(t("dispatch.toast.reinforce", status={
        "_t": f"dispatch.reinforce.status.{item.status}"}))


async def reinforce_reject(query: CallbackQuery, callback_data: ActionCallback, bot: Bot,
                           uow: DispatchUnitOfWork, actor: Actor, t: Texts, clock: Clock) -> None:
    await reinforcement_decidable(uow, actor, callback_data.ref)
    await _ask_reason(query, bot, uow, actor, t, clock, "reinforce_reject", callback_data.ref)


async def reason_reply(message: Message, bot: Bot, uow: DispatchUnitOfWork, actor: Actor,
                       t: Texts, clock: Clock, settings: Settings) -> None:
    """A reply to one of our questions, by the person asked; anything else is not ours."""
    assert message.reply_to_message is not None
    prompt = await take_answer(uow, message.chat.id, message.reply_to_message.message_id,
                               actor.tg_id if actor else None, REASONS)
    if prompt is None:
        raise SkipHandler
    reason = (message.text or "").strip() or "—"
    if prompt.kind == "reject":
        await decide_plan(uow, actor, prompt.ref, False, reason, clock, _dcfg(settings))
        await message.reply(t("dispatch.done.rejected", plan=prompt.ref))
    elif prompt.kind == "reinforce_reject":
        await decide_reinforcement(uow, actor, prompt.ref, False, clock, _dcfg(settings), reason)
        await message.reply(t("dispatch.done.reinforce_rejected", id=prompt.ref))
    elif prompt.kind == "unable":
        await answer_order(uow, actor, prompt.ref, OrderStatus.UNABLE, reason, clock)
        await message.reply(t("dispatch.done.unable"))
    else:
        await concur(uow, actor, prompt.ref, False, reason, clock, _dcfg(settings))
        await message.reply(t("dispatch.done.dissent"))


def make_router() -> Router:
    router = Router(name="dispatch_buttons")
    cb = router.callback_query
    cb.register(approve, ActionCallback.filter(F.action == Action.APPROVE_PLAN))
    cb.register(reject, ActionCallback.filter(F.action == Action.REJECT_PLAN))
    cb.register(order_step, ActionCallback.filter(F.action.in_(set(ORDER_STEPS))))
    cb.register(order_unable, ActionCallback.filter(F.action == Action.ORDER_UNABLE))
    cb.register(agree, ActionCallback.filter(F.action == Action.CONCUR))
    cb.register(dissent, ActionCallback.filter(F.action == Action.DISSENT))
    cb.register(reinforce_approve, ActionCallback.filter(F.action == Action.REINFORCE_APPROVE))
    cb.register(reinforce_reject, ActionCallback.filter(F.action == Action.REINFORCE_REJECT))
    router.message.register(reason_reply, F.reply_to_message, F.text)
    return router
