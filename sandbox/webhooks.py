"""Webhook delivery as Telegram does it: each pending update POSTed to the bot's URL.

Telegram sends an update as a JSON body with the secret given to setWebhook in the
`X-Telegram-Bot-Api-Secret-Token` header; a 2xx answer confirms it, anything else (or no answer)
keeps it pending and it is sent again later, with a growing pause. Updates are sent one at a
time, oldest first, so a refused update holds back the ones after it, as it does on Telegram
for a single connection. getUpdates answers 409 while a webhook is set (botapi.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from .botapi import BotApi
    from .state import BotAccount

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class Attempt:
    """One POST of an update: what the bot answered (0: no answer), and the pause before the
    next attempt if it was refused."""

    update_id: int
    status: int
    at: float
    error: str = ""
    retry_in: float = 0.0


@dataclass
class WebhookPolicy:
    """Pauses between attempts: Telegram's are seconds to minutes; tests want them short."""

    first_retry: float = 0.05
    max_retry: float = 2.0
    request_timeout: float = 10.0


@dataclass
class Hooks:
    """The delivery task of each bot with a webhook set, and every attempt made."""

    policy: WebhookPolicy = field(default_factory=WebhookPolicy)
    tasks: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    attempts: list[Attempt] = field(default_factory=list)
    # Told of each attempt as soon as the bot answered it (a test may kill the bot right then).
    observers: list[Callable[[Attempt], None]] = field(default_factory=list)

    def start(self, api: BotApi, bot: BotAccount) -> None:
        self.stop(bot.token)
        self.tasks[bot.token] = asyncio.create_task(self._deliver(api, bot),
                                                    name=f"webhook-{bot.user['id']}")

    def stop(self, token: str) -> None:
        task = self.tasks.pop(token, None)
        if task is not None:
            task.cancel()

    async def close(self) -> None:
        tasks = list(self.tasks.values())
        self.tasks.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _deliver(self, api: BotApi, bot: BotAccount) -> None:
        hook = bot.webhook
        assert hook is not None
        url = str(hook["url"])
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers[SECRET_HEADER] = str(hook["secret_token"])
        failures = 0
        timeout = aiohttp.ClientTimeout(total=self.policy.request_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while bot.webhook is hook and api.world.bots.get(bot.token) is bot:
                wake = bot.wake
                ready = api.pending(bot)
                if not ready:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(wake.wait(), 1.0)
                    continue
                update = ready[0]
                status, error = await _post(session, url, headers, update)
                attempt = Attempt(int(update["update_id"]), status, time.time(), error)
                self.attempts.append(attempt)
                for observer in list(self.observers):
                    observer(attempt)
                if 200 <= status < 300:
                    failures = 0
                    bot.updates = [u for u in bot.updates
                                   if u["update_id"] != update["update_id"]]
                    api.world.nudge()  # wait_delivered waits for exactly this
                    continue
                failures += 1
                hook["last_error_date"] = int(time.time())
                hook["last_error_message"] = error or f"Wrong response from the webhook: {status}"
                delay = min(self.policy.max_retry, self.policy.first_retry * 2 ** (failures - 1))
                attempt.retry_in = delay
                log.debug("sandbox: webhook %s answered %s; again in %.2f s", url, status, delay)
                await asyncio.sleep(delay)


async def _post(session: aiohttp.ClientSession, url: str, headers: dict[str, str],
                update: dict[str, Any]) -> tuple[int, str]:
    try:
        async with session.post(url, json=update, headers=headers) as response:
            await response.read()
            return response.status, ""
    except (aiohttp.ClientError, TimeoutError, OSError) as e:
        return 0, f"Connection failed: {type(e).__name__}"
