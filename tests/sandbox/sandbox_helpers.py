"""Helpers shared by the sandbox tests (a unique name: tests/ dirs are not packages)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Update

from sandbox import Sandbox

TOKEN = "123456:TEST-token"
BOT_ID = 123456
ALICE, BOB, CAROL = 1001, 1002, 1003


class FastSession(AiohttpSession):
    # aiogram's close() sleeps 250 ms for TLS shutdown; there is no TLS here.
    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(base_url: str, token: str = TOKEN) -> Bot:
    return Bot(token, session=FastSession(api=TelegramAPIServer.from_base(base_url)))


def populate(sb: Sandbox) -> None:
    sb.create_bot(token=TOKEN, username="rescue_bot", first_name="联调联战")
    sb.add_user(ALICE, "Alice", username="alice")
    sb.add_user(BOB, "Bob", last_name="B")
    sb.add_user(CAROL, "Carol")


async def drain(bot: Bot) -> list[Update]:
    """Fetch and confirm every pending update."""
    updates = await bot.get_updates(timeout=0)
    if updates:
        await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    return updates
