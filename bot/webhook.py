"""Webhook intake: Telegram POSTs each update; it is in the inbox before Telegram hears 200.

The same promise as polling (bot/polling.py), and the same path after the inbox: an update is
written to the inbox in its own short transaction, the 200 goes back, and the update is handled
in its chat's lane, in the transaction that marks it handled. So:
- a crash after the 200 finds the update in the inbox at the next start (rescan);
- a redelivery of the same update_id (Telegram retrying, or another process receiving it)
  finds it stored and is answered 200 without handling it again;
- a database that is down or slow answers 503 within a few seconds, and Telegram tries again;
- a request without the secret Telegram was given (setWebhook's secret_token) gets 401 and
  touches nothing; a body that is not an update gets 400.

aiogram's own aiohttp handler (SimpleRequestHandler) answers before the update is stored, or
handles it inline with no inbox at all, so it does not keep this promise; this handler does
what it does (secret check, feed the dispatcher) with the inbox in between.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.methods import SetWebhook
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from bot.polling import WIDTH, DurablePoller, Observe, _unobserved
from core.clock import Clock
from core.county import CountyUow

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
STORE_SECONDS = 5.0  # Telegram waits longer; a database slower than this is "try again"
MAX_BODY = 1024 * 1024  # an update is a few KB; a document's bytes never come in one


class WebhookIntake(DurablePoller):
    """Receives instead of polling; stores, handles, rescans exactly as the poller does."""

    def __init__(
        self, dp: Dispatcher, bot: Bot, uow: CountyUow, clock: Clock, secret: str,
        width: int = WIDTH, rescan_seconds: float = 30.0, observe: Observe = _unobserved,
        store_seconds: float = STORE_SECONDS,
    ) -> None:
        super().__init__(dp, bot, uow, clock, width=width, rescan_seconds=rescan_seconds,
                         observe=observe)
        self._secret = secret.encode()
        self.store_seconds = store_seconds

    async def _poll(self) -> None:
        # What a crash left in the inbox, then now and then what the database refused to let
        # be handled at the time (the middleware gives up after a while; the row stays).
        while True:
            await self.rescan()
            await asyncio.sleep(self.rescan_seconds)

    async def set_webhook(self, url: str) -> None:
        """Tell Telegram where to post, with the secret and the update types we handle; an
        unreachable Telegram is tried again (a refusal, e.g. a bad URL, stops the bot)."""
        method = SetWebhook(url=url, secret_token=self._secret.decode(),
                            allowed_updates=self.dp.resolve_used_update_types(),
                            drop_pending_updates=False)
        delay = 1.0
        while True:
            try:
                await self.bot(method)
                break
            except (TelegramNetworkError, TelegramServerError, TimeoutError, OSError) as e:
                log.warning("setWebhook failed (%s); again in %.0f s", type(e).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(60.0, delay * 2)
        log.info("webhook set: Telegram posts updates to %s", url)

    async def receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook: a request from %s without the right secret; refused",
                        request.remote)
            return web.Response(status=401, text="unauthorized")
        update = await self._parse(request)
        if update is None:
            return web.Response(status=400, text="not an update")
        try:
            async with asyncio.timeout(self.store_seconds):
                fresh = await self._store_one(update)
        except Exception as e:
            # Not stored: Telegram keeps the update and posts it again later.
            log.warning("webhook: update %s not stored (%s); answered 503 so Telegram retries",
                        update.update_id, type(e).__name__)
            return web.Response(status=503, text="try again")
        if fresh:
            self.lanes.put(update.update_id, update)
        return web.Response(status=200)

    async def _parse(self, request: web.Request) -> Update | None:
        try:
            raw = await request.read()
            if len(raw) > MAX_BODY:
                return None
            payload: Any = json.loads(raw)
            if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
                return None
            return Update.model_validate(payload, context={"bot": self.bot})
        except (ValueError, ValidationError, UnicodeDecodeError):
            return None

    async def _store_one(self, update: Update) -> bool:
        try:
            return update.update_id in await self._store([update])
        except IntegrityError:
            # Another request (or process) stored the same update_id between our look and our
            # insert: it is stored, and whoever stored it handles it.
            return False
