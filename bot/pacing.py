"""Telegram's limits, kept by the bot's own pacing.

Each limit is a sliding window of the times at which sends *finished*: Telegram counted a send
no later than its answer arrived, so a new send started a window after an answer can never be
over the limit, however the requests were spread in flight.

Edits of a live message in a group (a board) are paced more gently than the window allows: a
small burst, then evenly over the minute. Sent as fast as the window allows, a steady stream
of taps would spend the group's 20 edits a minute in its first seconds and leave the board a
minute behind; spread out, the next edit is never more than a few seconds away, and every
edit carries all the taps since the one before.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from contextvars import Context, ContextVar, copy_context
from dataclasses import dataclass, field
from typing import Protocol

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)


@dataclass
class _Window:
    limit: int
    span: float
    done: deque[float] = field(default_factory=deque)
    in_flight: int = 0

    def _prune(self, now: float) -> None:
        while self.done and self.done[0] <= now - self.span:
            self.done.popleft()

    def free_at(self, now: float, keep: int = 0) -> float:
        """When a new send may start (``now`` if at once), leaving ``keep`` slots unused."""
        self._prune(now)
        limit = self.limit - max(0, min(keep, self.limit - 1))
        used = len(self.done) + self.in_flight
        if used < limit:
            return now
        if used - limit >= len(self.done):
            return float("inf")  # only in-flight sends hold the window: wait for one to finish
        return self.done[used - limit] + self.span

    def start(self) -> None:
        self.in_flight += 1

    def finish(self, at: float) -> None:
        self.in_flight -= 1
        self.done.append(at)

    def cancel(self) -> None:
        self.in_flight -= 1


class Limiter:
    def __init__(
        self,
        global_per_second: float,
        chat_per_second: float,
        group_per_minute: int,
        now: Callable[[], float] = time.monotonic,
        edit_burst: int = 3,
    ) -> None:
        self.now = now
        self._edit_burst = max(1, min(edit_burst, group_per_minute - 1))
        # The rest of the minute's budget after a burst, evenly: the window is never full.
        self._edit_gap = 60.0 / max(1, group_per_minute - self._edit_burst)
        self._global = _Window(max(1, int(global_per_second)), 1.0)
        self._chat_span = 1.0 / chat_per_second if chat_per_second < 1 else 1.0
        self._chat_limit = max(1, int(chat_per_second))
        self._group_limit = group_per_minute
        self._chats: dict[int, _Window] = {}
        self._groups: dict[int, _Window] = {}

    def _windows(self, chat_id: int) -> list[_Window]:
        windows = [self._chats.setdefault(chat_id, _Window(self._chat_limit, self._chat_span))]
        if chat_id < 0:
            windows.append(self._groups.setdefault(chat_id, _Window(self._group_limit, 60.0)))
        return windows

    def chat_free_at(self, chat_id: int, now: float) -> float:
        return max(w.free_at(now) for w in self._windows(chat_id))

    def edit_free_at(self, chat_id: int, now: float) -> float:
        """When an edit of a live message in this chat may start: as any send in a private
        chat; in a group, after a burst, no sooner than an even share of the minute after the
        group's last send."""
        free = self.chat_free_at(chat_id, now)
        group = self._groups.get(chat_id)
        if chat_id >= 0 or group is None:
            return free
        if len(group.done) + group.in_flight < self._edit_burst or not group.done:
            return free
        return max(free, group.done[-1] + self._edit_gap)

    def global_free_at(self, now: float, keep: int = 0) -> float:
        return self._global.free_at(now, keep)

    def start(self, chat_id: int) -> None:
        self._global.start()
        for w in self._windows(chat_id):
            w.start()

    def finish(self, chat_id: int) -> None:
        at = self.now()
        self._global.finish(at)
        for w in self._windows(chat_id):
            w.finish(at)

    def cancel(self, chat_id: int) -> None:
        """A slot taken but never used (nothing was sent)."""
        self._global.cancel()
        for w in self._windows(chat_id):
            w.cancel()

    async def acquire(self, chat_id: int) -> None:
        """Wait for a slot in every window of this chat, then take it."""
        while True:
            now = self.now()
            free = max(self.chat_free_at(chat_id, now), self.global_free_at(now))
            if free <= now:
                self.start(chat_id)
                return
            await asyncio.sleep(min(free - now, 0.05) if free != float("inf") else 0.01)

    def forget(self, chat_id: int) -> None:
        """A chat that moved (supergroup upgrade) or vanished holds no memory."""
        self._chats.pop(chat_id, None)
        self._groups.pop(chat_id, None)


@dataclass
class Reservation:
    """A slot taken before a send: the worker takes it before starting its task (the request
    uses it once), a direct reply just before its request. ``member`` names it in a shared
    limiter's windows."""

    chat_id: int
    used: bool = False
    member: str = ""


class Pacer(Protocol):
    """What the worker and the middleware ask of the pacing: this process's own windows
    (``LocalPacer``) or the token's, shared by every process (``bot.pacing_shared``)."""

    async def global_wait(self, now: float) -> float:
        """Seconds until the overall window has a slot (0: now)."""
        ...

    async def try_take(self, chat_id: int, edit: bool, keep: int, now: float
                       ) -> tuple[Reservation | None, float, bool]:
        """Take a slot for a send to this chat (an edit of a live message if ``edit``),
        leaving ``keep`` of the overall window unused; or say how long to wait and whether
        the overall window (not the chat's) is what is full."""
        ...

    async def acquire(self, chat_id: int) -> Reservation:
        """Wait for a slot, then take it (a direct reply)."""
        ...

    async def finish(self, token: Reservation) -> None: ...
    async def cancel(self, token: Reservation) -> None: ...
    def forget(self, chat_id: int) -> None: ...


class LocalPacer:
    """This process's own windows: right when it is the only process sending for the token."""

    def __init__(self, limiter: Limiter) -> None:
        self.limiter = limiter

    async def global_wait(self, now: float) -> float:
        return max(0.0, self.limiter.global_free_at(now) - now)

    async def try_take(self, chat_id: int, edit: bool, keep: int, now: float
                       ) -> tuple[Reservation | None, float, bool]:
        free = self.limiter.global_free_at(now, keep)
        if free > now:
            return None, free - now, True
        free = (self.limiter.edit_free_at(chat_id, now) if edit
                else self.limiter.chat_free_at(chat_id, now))
        if free > now:
            return None, free - now, False
        self.limiter.start(chat_id)
        return Reservation(chat_id), 0.0, False

    async def acquire(self, chat_id: int) -> Reservation:
        await self.limiter.acquire(chat_id)
        return Reservation(chat_id, used=True)

    async def finish(self, token: Reservation) -> None:
        self.limiter.finish(token.chat_id)

    async def cancel(self, token: Reservation) -> None:
        self.limiter.cancel(token.chat_id)

    def forget(self, chat_id: int) -> None:
        self.limiter.forget(chat_id)


_reservation: ContextVar[Reservation | None] = ContextVar("pacing_reservation", default=None)
COUNTED = {"sendMessage", "sendDocument", "sendPhoto", "editMessageText",
           "editMessageReplyMarkup", "editMessageCaption", "sendMediaGroup"}


def in_context(token: Reservation) -> Context:
    """A context in which a task's first request to the token's chat uses the token."""
    context = copy_context()
    context.run(_reservation.set, token)
    return context


async def release_unused(pacer: Pacer, token: Reservation) -> None:
    if not token.used:
        await pacer.cancel(token)


class PacingMiddleware(BaseRequestMiddleware):
    """Every send and edit of the bot, the worker's and the direct replies alike, waits for its
    slot in the same windows. A direct reply that still meets a 429 waits and tries again; the
    worker's own sends report the 429 back to the worker, which reschedules them durably."""

    def __init__(self, pacer: Pacer, direct_retries: int = 3) -> None:
        self.pacer = pacer
        self.direct_retries = direct_retries

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        chat_id = getattr(method, "chat_id", None)
        if method.__api_method__ not in COUNTED or not isinstance(chat_id, int):
            return await make_request(bot, method)
        token = _reservation.get()
        if token is not None and not token.used and token.chat_id == chat_id:
            token.used = True
            try:
                return await make_request(bot, method)
            finally:
                await self.pacer.finish(token)
        for attempt in range(self.direct_retries + 1):
            slot = await self.pacer.acquire(chat_id)
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as e:
                if attempt == self.direct_retries or token is not None:
                    raise
                log.warning("429 on a direct reply to %s; waiting %s s", chat_id, e.retry_after)
                await asyncio.sleep(e.retry_after)
            finally:
                await self.pacer.finish(slot)
        raise AssertionError("unreachable")
