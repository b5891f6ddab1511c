"""/consult, the 接受 / 无法参加 buttons in an expert's chat, and the expert's replies: the
reason for not attending, and advice."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, ForceReply, Message

from bot.callbacks import ActionCallback
from bot.context import UowFactory
from bot.features import BotFeature
from bot.i18n import Texts
from bot.prompts import ask_question, replied_to
from bot.render import mention
from bot.replies import OnSent, Outbound
from core.actor import Actor
from core.clock import Clock
from core.consult.feature import CONSULTS
from core.consult.ports import ConsultUnitOfWork
from core.consult.usecases import answer, answerable, ask_advice, consult, give_advice
from core.dispatch.config import DispatchConfig
from core.dispatch.model import PromptKind
from core.notices import Action
from scheduler.consult import reminder_step
from storage.retry import retrying

DECLINE = frozenset({PromptKind.CONSULT_DECLINE})


def _recorded(uows: UowFactory, thread_id: int) -> OnSent:
    """Once Telegram has the message, its id: a reply to it is advice."""
    async def sent_as(message_id: int) -> None:
        async def record() -> None:
            async with uows() as later:
                await later.consultations.thread_sent(thread_id, message_id)
                await later.commit()
        await retrying("recording an advice question", record)
    return sent_as


async def consult_cmd(message: Message, command: CommandObject, uow: ConsultUnitOfWork,
                      actor: Actor, t: Texts, clock: Clock, dispatch_config: DispatchConfig,
                      out: Outbound) -> None:
    incident, experts = await consult(uow, actor, command.args or "", clock, dispatch_config)
    out.reply(message, t("consult.sent", incident=incident.id, title=incident.title,
                         experts=[e.name for e in experts], count=len(experts)))


async def accept(query: CallbackQuery, callback_data: ActionCallback, uow: ConsultUnitOfWork,
                 actor: Actor, t: Texts, clock: Clock, out: Outbound, uows: UowFactory
                 ) -> None:
    found = await answer(uow, actor, callback_data.ref, True, "", clock)
    assert actor.tg_id is not None
    thread = await ask_advice(uow, found, actor.chat_id)
    c = found.consultation
    out.say(actor.chat_id, mention(actor.tg_id, actor.display_name) + " " + t(
        "consult.ask_advice", id=c.id, incident=found.incident.id, title=found.incident.title,
        question=c.question), markup=ForceReply(selective=True), on_sent=_recorded(uows, thread))
    out.toast(t("consult.toast.accepted", id=c.id))


async def decline(query: CallbackQuery, callback_data: ActionCallback, uow: ConsultUnitOfWork,
                  actor: Actor, t: Texts, clock: Clock, out: Outbound, uows: UowFactory
                  ) -> None:
    """无法参加: the same reason question as the dispatch chain's refusals."""
    await answerable(uow, actor, callback_data.ref)
    await ask_question(query, uow, actor, t, clock, out, uows, PromptKind.CONSULT_DECLINE,
                       callback_data.ref)


async def expert_reply(message: Message, bot: Bot, uow: ConsultUnitOfWork, actor: Actor,
                       t: Texts, clock: Clock, out: Outbound, uows: UowFactory) -> None:
    """A reply to one of our questions in an expert's chat: the reason for not attending,
    or a piece of advice; anything else is not ours."""
    replied = message.reply_to_message
    assert replied is not None
    to_bot = replied.from_user is not None and replied.from_user.id == bot.id
    said = (message.text or "").strip()
    prompt = await replied_to(message, bot, uow, actor, DECLINE)
    if prompt is not None:
        found = await answer(uow, actor, prompt.ref, False, said, clock)
        out.reply(message, t("consult.done.declined", id=found.consultation.id))
        return
    item = (await uow.consultations.threaded(message.chat.id, replied.message_id, to_bot)
            if to_bot else None)
    if item is None:
        raise SkipHandler
    advice = await give_advice(uow, actor, item, said, clock)
    thread = await ask_advice(uow, advice.found, message.chat.id)
    hq = advice.found.incident.hq_unit_id not in (None, advice.found.consultation.asked_unit_id)
    out.reply(message, t("consult.done.advice", id=item, n=advice.n, count=advice.count,
                         hq=t("consult.and_hq") if hq else ""),
              on_sent=_recorded(uows, thread))


def make_router() -> Router:
    router = Router(name="consult")
    router.message.register(consult_cmd, Command("consult"))
    cb = router.callback_query
    cb.register(accept, ActionCallback.filter(F.action == Action.CONSULT_ACCEPT))
    cb.register(decline, ActionCallback.filter(F.action == Action.CONSULT_DECLINE))
    router.message.register(expert_reply, F.reply_to_message, F.text)
    return router


FEATURE = BotFeature(CONSULTS, lambda: (make_router(),), lambda c: (reminder_step(),))
