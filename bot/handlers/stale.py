"""What no feature took, answered last: buttons nobody handles any more (old versions, forged
data, a message from before a restart whose subject is gone), and commands nobody knows in a
private chat. One answer for each, so nothing is met with silence."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import Texts
from bot.replies import Outbound


async def stale_button(query: CallbackQuery, t: Texts, out: Outbound) -> None:
    out.toast(t("error.stale_button"), alert=True)


async def unknown_command(message: Message, t: Texts, out: Outbound) -> None:
    out.say(message.chat.id, t("error.unknown_command"))


def make_router() -> Router:
    router = Router(name="stale")
    router.callback_query.register(stale_button)
    router.message.register(unknown_command, F.text.startswith("/"), F.chat.type == "private")
    return router
