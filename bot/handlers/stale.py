"""Buttons nobody handles any more: old versions, forged data, or a message from before a
restart whose subject is gone. One answer for all, so no tap is met with silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.i18n import Texts
from bot.replies import Outbound


async def stale_button(query: CallbackQuery, t: Texts, out: Outbound) -> None:
    out.toast(t("error.stale_button"), alert=True)


def make_router() -> Router:
    router = Router(name="stale")
    router.callback_query.register(stale_button)
    return router
