"""Questions the bot asks with a ForceReply (the reason for 驳回, 无法出动, 暂不启动, 无法参加,
what 需协调 needs) and the replies that answer them. The question is written down in the tap's
transaction and sent after the commit; its message id follows. A reply is ours only when it
answers an open question to the person who tapped: anything else is passed on (SkipHandler)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.types import CallbackQuery, ForceReply, Message

from bot.context import UowFactory
from bot.i18n import Texts
from bot.render import mention
from bot.replies import Outbound
from core.actor import Actor
from core.clock import Clock
from core.dispatch.model import Prompt, PromptKind
from core.dispatch.ports import DispatchUnitOfWork
from core.dispatch.reinforce import ask, take_answer
from storage.retry import retrying


async def ask_question(query: CallbackQuery, uow: DispatchUnitOfWork, actor: Actor, t: Texts,
                       clock: Clock, out: Outbound, uows: UowFactory, kind: PromptKind,
                       ref: int, question: str | None = None) -> None:
    """Ask the person who tapped; ``question`` defaults to the kind's ``dispatch.ask.<kind>``."""
    assert actor.tg_id is not None and query.message is not None
    chat_id = query.message.chat.id
    prompt_id = await ask(uow, Prompt(chat_id, None, kind, ref, actor.tg_id, clock.now()))

    async def sent_as(message_id: int) -> None:
        async def record() -> None:
            async with uows() as later:
                await later.prompts.sent_as(prompt_id, message_id)
                await later.commit()
        await retrying("recording a question", record)

    # A question about a drill's card says so too, as everything a drill sends does.
    mark = t("dispatch.drill_mark")
    tapped = query.message.text if isinstance(query.message, Message) else None
    drill = mark if tapped and tapped.startswith(mark.strip()) else ""
    out.say(chat_id, mention(actor.tg_id, actor.display_name) + " " + drill
            + (question if question is not None else t(f"dispatch.ask.{kind}")),
            markup=ForceReply(selective=True), on_sent=sent_as)
    out.toast(t("dispatch.toast.asked"))


async def replied_to(message: Message, bot: Bot, uow: DispatchUnitOfWork, actor: Actor,
                     kinds: frozenset[PromptKind]) -> Prompt | None:
    """The open question of one of ``kinds`` this message answers, taken (answered once)."""
    replied = message.reply_to_message
    assert replied is not None
    to_bot = replied.from_user is not None and replied.from_user.id == bot.id
    return await take_answer(uow, message.chat.id, replied.message_id,
                             actor.tg_id if actor else None, kinds, to_bot)


async def answer_to(message: Message, bot: Bot, uow: DispatchUnitOfWork, actor: Actor,
                    kinds: frozenset[PromptKind]) -> Prompt:
    """As ``replied_to``, for a handler with nothing else to look for: not ours, passed on."""
    prompt = await replied_to(message, bot, uow, actor, kinds)
    if prompt is None:
        raise SkipHandler
    return prompt
