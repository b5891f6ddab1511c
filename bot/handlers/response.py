"""/respond, the 同意启动 / 暂不启动 buttons on a proposal, and the reason for 暂不启动."""

from __future__ import annotations

from typing import cast

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ActionCallback
from bot.features import BotFeature
from bot.handlers.dispatch_buttons import asking
from bot.i18n import Texts
from bot.prompts import answer_to
from bot.replies import Outbound
from core.actor import Actor
from core.clock import Clock
from core.dispatch.model import PromptKind
from core.dispatch.ports import DispatchUnitOfWork
from core.notices import Action, text
from core.response.config import ResponseConfig
from core.response.feature import RESPONSES
from core.response.notices import change_text, level_text
from core.response.ports import ResponseUnitOfWork
from core.response.usecases import agree, decidable, propose, refuse
from core.rollcall.config import RollCallConfig
from scheduler.response import response_step

KINDS = frozenset({PromptKind.RESPONSE_REFUSE})


async def respond(message: Message, command: CommandObject, uow: ResponseUnitOfWork,
                  actor: Actor, t: Texts, clock: Clock, response_config: ResponseConfig,
                  out: Outbound) -> None:
    p, incident = await propose(uow, actor, command.args or "", clock, response_config)
    out.reply(message, t("response.proposed", id=p.id, incident=incident.id,
                         change=change_text(p), other=text(f"kind.{p.side.other.value}"),
                         minutes=max(1, int(response_config.confirm.total_seconds()) // 60)))


async def agreed(query: CallbackQuery, callback_data: ActionCallback, uow: ResponseUnitOfWork,
                 actor: Actor, t: Texts, clock: Clock, response_config: ResponseConfig,
                 rollcall_config: RollCallConfig, out: Outbound) -> None:
    response = await agree(uow, actor, callback_data.ref, clock, response_config,
                           rollcall_config)
    out.toast(t("response.toast.agreed", level=level_text(response.level)))


async def _refusable(uow: DispatchUnitOfWork, actor: Actor, ref: int) -> object:
    # The middleware's unit of work holds every feature's repositories.
    return await decidable(cast(ResponseUnitOfWork, uow), actor, ref)


async def reason_reply(message: Message, bot: Bot, uow: ResponseUnitOfWork, actor: Actor,
                       t: Texts, clock: Clock, out: Outbound) -> None:
    """A reply to our 暂不启动 question, by the person asked; anything else is not ours."""
    prompt = await answer_to(message, bot, uow, actor, KINDS)
    p = await refuse(uow, actor, prompt.ref, message.text or "", clock)
    out.reply(message, t("response.done.refused", id=p.id))


def make_router() -> Router:
    router = Router(name="response")
    router.message.register(respond, Command("respond"))
    router.callback_query.register(
        agreed, ActionCallback.filter(F.action == Action.RESPONSE_AGREE))
    router.callback_query.register(asking(PromptKind.RESPONSE_REFUSE, _refusable),
                                   ActionCallback.filter(F.action == Action.RESPONSE_REFUSE))
    router.message.register(reason_reply, F.reply_to_message, F.text)
    return router


FEATURE = BotFeature(RESPONSES, lambda: (make_router(),), lambda c: (response_step(),))
