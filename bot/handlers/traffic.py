"""Traffic support's buttons on the request to public security and transport: 已安排, and
需协调 (asked what, with a ForceReply; the reply is the answer)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ActionCallback
from bot.configs import Configs
from bot.context import UowFactory
from bot.features import BotFeature
from bot.i18n import Texts
from bot.prompts import answer_to, ask_question
from bot.replies import Outbound
from core.actor import Actor
from core.clock import Clock
from core.dispatch.hooks import OrdersHook
from core.dispatch.model import PromptKind
from core.notices import Action
from core.traffic.feature import TRAFFIC
from core.traffic.model import TrafficState
from core.traffic.ports import TrafficUnitOfWork
from core.traffic.usecases import after_orders, answer, answerable

KINDS = frozenset({PromptKind.TRAFFIC_NEED})


async def arranged(query: CallbackQuery, callback_data: ActionCallback, uow: TrafficUnitOfWork,
                   actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    await answer(uow, actor, callback_data.ref, TrafficState.ARRANGED, "", clock)
    out.toast(t("traffic.toast.arranged"))


async def needs(query: CallbackQuery, callback_data: ActionCallback, uow: TrafficUnitOfWork,
                actor: Actor, t: Texts, clock: Clock, out: Outbound, uows: UowFactory) -> None:
    """Checked first (the wrong person is told why at once), then asked what; the question is
    written down before it is sent, as the dispatch chain's reason questions are."""
    await answerable(uow, actor, callback_data.ref)
    await ask_question(query, uow, actor, t, clock, out, uows, PromptKind.TRAFFIC_NEED,
                       callback_data.ref, t("traffic.ask.need", id=callback_data.ref))


async def need_reply(message: Message, bot: Bot, uow: TrafficUnitOfWork, actor: Actor,
                     t: Texts, clock: Clock, out: Outbound) -> None:
    """The reply to 需协调's question, by the person asked; anything else is not ours."""
    prompt = await answer_to(message, bot, uow, actor, KINDS)
    need = (message.text or "").strip() or "—"
    await answer(uow, actor, prompt.ref, TrafficState.NEEDS, need, clock)
    out.reply(message, t("traffic.done.needs", id=prompt.ref))


def make_router() -> Router:
    router = Router(name="traffic")
    cb = router.callback_query
    cb.register(arranged, ActionCallback.filter(F.action == Action.TRAFFIC_ARRANGED))
    cb.register(needs, ActionCallback.filter(F.action == Action.TRAFFIC_NEEDS))
    router.message.register(need_reply, F.reply_to_message, F.text)
    return router


def hooks(configs: Configs) -> Sequence[OrdersHook]:
    return (after_orders(configs.traffic),)


FEATURE = BotFeature(TRAFFIC, lambda: (make_router(),), after_orders=hooks)
