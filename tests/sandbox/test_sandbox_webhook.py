"""The sandbox delivers updates to a webhook as Telegram does: a POST per update with the
secret header, again after a pause on anything but a 2xx, and getUpdates refused meanwhile."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramConflictError
from aiohttp import web
from sandbox_helpers import ALICE, drain

from sandbox import Sandbox

SECRET = "s3cret_token-1"


class Receiver:
    """A bot's webhook endpoint: answers each POST with the next scripted status (then 200)."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append((body, request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/hook"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = Receiver()
    await r.start()
    yield r
    await r.stop()


async def test_updates_are_posted_with_the_secret(sb: Sandbox, bot: Bot,
                                                  receiver: Receiver) -> None:
    assert await bot.set_webhook(receiver.url, secret_token=SECRET,
                                 allowed_updates=["message", "callback_query"])
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.allowed_updates == ["message", "callback_query"]
    await sb.send_message(ALICE, ALICE, "/start")
    await sb.send_message(ALICE, ALICE, "hello")
    await sb.wait_delivered(5)
    texts = [body["message"]["text"] for body, _ in receiver.received]
    assert texts == ["/start", "hello"]
    assert {secret for _, secret in receiver.received} == {SECRET}
    ids = [body["update_id"] for body, _ in receiver.received]
    assert ids == sorted(ids) and len(set(ids)) == 2
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_a_refused_update_is_posted_again_with_growing_pauses(
        sb: Sandbox, bot: Bot, receiver: Receiver) -> None:
    sb.webhook_policy.first_retry = 0.02
    receiver.statuses = [503, 500, 401]
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    await sb.send_message(ALICE, ALICE, "/start")
    await sb.send_message(ALICE, ALICE, "second")
    await sb.wait_delivered(5)
    statuses = [a.status for a in sb.webhook_attempts]
    assert statuses == [503, 500, 401, 200, 200]
    first = [a for a in sb.webhook_attempts if a.update_id == sb.webhook_attempts[0].update_id]
    assert len(first) == 4
    assert [a.retry_in for a in first] == [0.02, 0.04, 0.08, 0.0]  # the pause doubles
    # The second update waited behind the first: order is kept.
    assert [b["message"]["text"] for b, _ in receiver.received] == [
        "/start", "/start", "/start", "/start", "second"]
    info = await bot.get_webhook_info()
    assert info.last_error_message and "401" in info.last_error_message


async def test_an_unreachable_webhook_keeps_the_update(sb: Sandbox, bot: Bot,
                                                       receiver: Receiver) -> None:
    sb.webhook_policy.first_retry = 0.02
    url = receiver.url
    await receiver.stop()
    await bot.set_webhook(url, secret_token=SECRET)
    await sb.send_message(ALICE, ALICE, "/start")
    for _ in range(100):
        if len(sb.webhook_attempts) >= 2:
            break
        await asyncio.sleep(0.02)
    assert {a.status for a in sb.webhook_attempts} == {0}
    assert (await bot.get_webhook_info()).pending_update_count == 1
    # Switching back to polling: the update waits there, as on Telegram.
    await bot.delete_webhook()
    updates = await drain(bot)
    assert [u.message.text for u in updates if u.message] == ["/start"]


async def test_get_updates_conflicts_while_a_webhook_is_set(sb: Sandbox, bot: Bot,
                                                            receiver: Receiver) -> None:
    await bot.set_webhook(receiver.url)
    with pytest.raises(TelegramConflictError):
        await bot.get_updates(timeout=0)
    await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates(timeout=0) == []
    await sb.send_message(ALICE, ALICE, "/start")
    assert receiver.received == []  # deleted: nothing is posted any more


async def test_a_bad_secret_is_refused(bot: Bot, receiver: Receiver) -> None:
    with pytest.raises(TelegramBadRequest):
        await bot.set_webhook(receiver.url, secret_token="not allowed!")
