"""Questions features ask when an incident is closed (core.dispatch.hooks.Question): one
message per chat, mentioning the people asked, with a ForceReply; after it is sent its message
id is written on each person's question, so their reply is matched to it."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import ForceReply

from bot.context import UowFactory
from bot.i18n import Translator
from bot.render import mention
from bot.replies import Outbound
from core.dispatch.hooks import Question
from core.dispatch.ports import DispatchUnitOfWork
from storage.retry import retrying


async def ask(questions: Sequence[Question], uow: DispatchUnitOfWork, out: Outbound,
              uows: UowFactory, translator: Translator) -> None:
    for q in questions:
        locale = await uow.chats.locale(q.chat_id)
        body = translator(locale, q.template, **q.params)
        who = " ".join(mention(a.tg_id, a.name) for a in q.asked)
        prompt_ids = [a.prompt_id for a in q.asked]

        async def sent_as(message_id: int, prompt_ids: list[int] = prompt_ids) -> None:
            async def record() -> None:
                async with uows() as later:
                    for prompt_id in prompt_ids:
                        await later.prompts.sent_as(prompt_id, message_id)
                    await later.commit()
            await retrying("recording a question", record)

        out.say(q.chat_id, f"{who} {body}", markup=ForceReply(selective=True), on_sent=sent_as)
