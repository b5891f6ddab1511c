"""Taps on plan, order, concurrence and reinforcement buttons; answers to reason questions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Message

from bot import questions
from bot.callbacks import ActionCallback
from bot.context import UowFactory
from bot.i18n import Texts, Translator
from bot.prompts import answer_to, ask_question
from bot.replies import Outbound
from core.actor import Actor
from core.clock import Clock
from core.dispatch.config import DispatchConfig
from core.dispatch.decisions import (
    approve_plan,
    concur,
    concurrable,
    decidable,
    reject_plan,
)
from core.dispatch.hooks import OrderAnswered
from core.dispatch.model import OrderStatus, PromptKind
from core.dispatch.orders import answer_order, answerable
from core.dispatch.plans import get_plan
from core.dispatch.ports import DispatchUnitOfWork
from core.dispatch.reinforce import (
    decide_reinforcement,
    reinforcement_decidable,
)
from core.notices import Action, text

ORDER_STEPS = {
    Action.ORDER_RECEIVED: OrderStatus.RECEIVED,
    Action.ORDER_EN_ROUTE: OrderStatus.EN_ROUTE,
    Action.ORDER_ON_SCENE: OrderStatus.ON_SCENE,
}


async def approve(query: CallbackQuery, callback_data: ActionCallback, uow: DispatchUnitOfWork,
                  actor: Actor, t: Texts, clock: Clock, dispatch_config: DispatchConfig,
                  out: Outbound) -> None:
    plan = await approve_plan(uow, actor, callback_data.ref, clock, dispatch_config)
    out.toast(t(f"dispatch.toast.plan.{plan.status}", plan=plan.id))


async def order_step(query: CallbackQuery, callback_data: ActionCallback,
                     uow: DispatchUnitOfWork, actor: Actor, t: Texts, clock: Clock,
                     dispatch_config: DispatchConfig, out: Outbound, uows: UowFactory,
                     translator: Translator) -> None:
    step = ORDER_STEPS[callback_data.action]
    order = await answer_order(uow, actor, callback_data.ref, step, "", clock)
    out.toast(t("dispatch.toast.order", state=text(f"dispatch.order.state.{step}")))
    # What other features do on an answer (the compensation record's people question), in
    # this transaction; their questions go out after the commit.
    if dispatch_config.after_answer:
        plan, incident = await get_plan(uow, order.plan_id)
        answered = OrderAnswered(order, plan, incident, actor.tg_id, actor.display_name,
                                 clock.now())
        for hook in dispatch_config.after_answer:
            await questions.ask(await hook(uow, answered), uow, out, uows, translator)


async def agree(query: CallbackQuery, callback_data: ActionCallback, uow: DispatchUnitOfWork,
                actor: Actor, t: Texts, clock: Clock, dispatch_config: DispatchConfig,
                out: Outbound) -> None:
    await concur(uow, actor, callback_data.ref, True, "", clock, dispatch_config)
    out.toast(t("dispatch.toast.concurred"))


async def reinforce_approve(query: CallbackQuery, callback_data: ActionCallback,
                            uow: DispatchUnitOfWork, actor: Actor, t: Texts, clock: Clock,
                            dispatch_config: DispatchConfig, out: Outbound) -> None:
    item = await decide_reinforcement(uow, actor, callback_data.ref, True, clock,
                                      dispatch_config)
    out.toast(t("dispatch.toast.reinforce", status=text(
        f"dispatch.reinforce.status.{item.status}")))


Check = Callable[[DispatchUnitOfWork, Actor, int], Awaitable[object]]


def asking(kind: PromptKind, check: Check) -> Callable[..., Awaitable[None]]:
    """A button that needs a reason (驳回, 无法出动, 不同意): check it may be pressed, then ask."""

    async def tapped(query: CallbackQuery, callback_data: ActionCallback,
                     uow: DispatchUnitOfWork, actor: Actor, t: Texts, clock: Clock,
                     out: Outbound, uows: UowFactory) -> None:
        await check(uow, actor, callback_data.ref)
        await ask_question(query, uow, actor, t, clock, out, uows, kind, callback_data.ref)

    tapped.__name__ = f"ask_{kind}"
    return tapped


async def _unable_allowed(uow: DispatchUnitOfWork, actor: Actor, ref: int) -> object:
    return await answerable(uow, actor, ref, OrderStatus.UNABLE)


Answer = Callable[[DispatchUnitOfWork, Actor, int, str, Clock, DispatchConfig, Texts],
                  Awaitable[str]]


async def _reject(uow: DispatchUnitOfWork, actor: Actor, ref: int, reason: str, clock: Clock,
                  dcfg: DispatchConfig, t: Texts) -> str:
    await reject_plan(uow, actor, ref, clock, reason=reason)
    return t("dispatch.done.rejected", plan=ref)


async def _reinforce_reject(uow: DispatchUnitOfWork, actor: Actor, ref: int, reason: str,
                            clock: Clock, dcfg: DispatchConfig, t: Texts) -> str:
    await decide_reinforcement(uow, actor, ref, False, clock, dcfg, reason)
    return t("dispatch.done.reinforce_rejected", id=ref)


async def _unable(uow: DispatchUnitOfWork, actor: Actor, ref: int, reason: str, clock: Clock,
                  dcfg: DispatchConfig, t: Texts) -> str:
    await answer_order(uow, actor, ref, OrderStatus.UNABLE, reason, clock)
    return t("dispatch.done.unable")


async def _dissent(uow: DispatchUnitOfWork, actor: Actor, ref: int, reason: str, clock: Clock,
                   dcfg: DispatchConfig, t: Texts) -> str:
    await concur(uow, actor, ref, False, reason, clock, dcfg)
    return t("dispatch.done.dissent")


# Each kind of question and the use case its answer goes to; each returns the reply.
ANSWERS: dict[PromptKind, Answer] = {
    PromptKind.REJECT: _reject,
    PromptKind.REINFORCE_REJECT: _reinforce_reject,
    PromptKind.UNABLE: _unable,
    PromptKind.DISSENT: _dissent,
}


async def reason_reply(message: Message, bot: Bot, uow: DispatchUnitOfWork, actor: Actor,
                       t: Texts, clock: Clock, dispatch_config: DispatchConfig,
                       out: Outbound) -> None:
    """A reply to one of our questions, by the person asked; anything else is not ours."""
    prompt = await answer_to(message, bot, uow, actor, frozenset(ANSWERS))
    reason = (message.text or "").strip() or "—"
    answer = ANSWERS[prompt.kind]
    out.reply(message, await answer(uow, actor, prompt.ref, reason, clock, dispatch_config, t))


def make_router() -> Router:
    router = Router(name="dispatch_buttons")
    cb = router.callback_query
    cb.register(approve, ActionCallback.filter(F.action == Action.APPROVE_PLAN))
    cb.register(asking(PromptKind.REJECT, decidable),
                ActionCallback.filter(F.action == Action.REJECT_PLAN))
    cb.register(order_step, ActionCallback.filter(F.action.in_(set(ORDER_STEPS))))
    cb.register(asking(PromptKind.UNABLE, _unable_allowed),
                ActionCallback.filter(F.action == Action.ORDER_UNABLE))
    cb.register(agree, ActionCallback.filter(F.action == Action.CONCUR))
    cb.register(asking(PromptKind.DISSENT, concurrable),
                ActionCallback.filter(F.action == Action.DISSENT))
    cb.register(reinforce_approve, ActionCallback.filter(F.action == Action.REINFORCE_APPROVE))
    cb.register(asking(PromptKind.REINFORCE_REJECT, reinforcement_decidable),
                ActionCallback.filter(F.action == Action.REINFORCE_REJECT))
    router.message.register(reason_reply, F.reply_to_message, F.text)
    return router
