"""Long polling that loses no update, with one lane per chat.

Each batch from getUpdates is written to the inbox before it is confirmed (by the next call's
offset); each update is handled in the transaction that marks it handled, and only by whoever
marks it first. A crash before the write gets the batch again from Telegram; a crash after it
finds the batch in the inbox; a crash mid-handler rolls the handler back and the update is
handled again at start.

Updates of one chat are handled in order, one at a time; different chats are handled side by
side. Handling never waits for Telegram (answers go out after the commit, through the
courier), so a busy chat never holds up another.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramConflictError, TelegramUnauthorizedError
from aiogram.methods import DeleteWebhook, GetUpdates
from aiogram.types import Update

from bot.logs import log_context
from core.clock import Clock
from core.county import CountyUow
from storage.db import is_transient
from storage.retry import retrying

log = logging.getLogger(__name__)
Handle = Callable[[int, Update], Awaitable[None]]
Observe = Callable[[float], None]  # seconds one update took to handle (bot/metrics.py)


def _unobserved(seconds: float) -> None:
    pass


def chat_key(update: Update) -> int:
    """The chat whose order this update belongs to (the sender, if no chat). Both halves of a
    supergroup upgrade go in the old group's lane, so they never race."""
    for m in (update.message, update.edited_message):
        if m is not None:
            return m.migrate_from_chat_id or m.chat.id
    if update.callback_query is not None:
        cq = update.callback_query
        return cq.message.chat.id if cq.message is not None else cq.from_user.id
    if update.my_chat_member is not None:
        return update.my_chat_member.chat.id
    return 0


def _bound(fn: Callable[[Any], Awaitable[Any]], arg: Any) -> Callable[[], Awaitable[Any]]:
    return lambda: fn(arg)


# Four, not eight: at 100 taps a second the CPU is full and the updates handled side by side
# share it, so each one's handling time holds the others'. Two back-to-back pairs of
# bench.inbound (1,000 taps in 10 s, 2026-12-04) gave handling p95 140/100 -> 66/68 ms on
# SQLite and 85/75 -> 37/33 ms on PostgreSQL; tap -> answer moved both ways by more than the
# difference between identical runs. Four still keeps a busy chat from stalling the others.
WIDTH = 4


class Lanes:
    """A queue per chat; at most ``width`` updates are handled at the same moment."""

    def __init__(self, handle: Handle, width: int = WIDTH) -> None:
        self._handle = handle
        self._width = asyncio.Semaphore(width)
        self._lanes: dict[int, deque[tuple[int, Update]]] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self.queued: set[int] = set()

    def put(self, update_id: int, update: Update) -> None:
        if update_id in self.queued:
            return
        self.queued.add(update_id)
        key = chat_key(update)
        self._lanes.setdefault(key, deque()).append((update_id, update))
        if key not in self._tasks:
            self._tasks[key] = asyncio.create_task(self._run(key), name=f"lane-{key}")

    async def _run(self, key: int) -> None:
        lane = self._lanes[key]
        try:
            while lane:
                update_id, update = lane[0]
                try:
                    async with self._width:
                        await self._handle(update_id, update)
                finally:
                    lane.popleft()
                    self.queued.discard(update_id)
        finally:
            self._lanes.pop(key, None)
            self._tasks.pop(key, None)

    async def join(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    def cancel(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()


class DurablePoller:
    def __init__(
        self, dp: Dispatcher, bot: Bot, uow: CountyUow, clock: Clock, timeout: int = 20,
        width: int = WIDTH, rescan_seconds: float = 30.0, observe: Observe = _unobserved,
    ) -> None:
        self.dp, self.bot, self.uow, self.clock, self.timeout = dp, bot, uow, clock, timeout
        self.observe = observe
        self.lanes = Lanes(self._feed, width)
        self.rescan_seconds = rescan_seconds
        self._last_scan = 0.0

    async def run(self) -> None:
        try:
            await self._poll()
        finally:
            # Stopping: let the updates under way commit (they are quick) rather than cut a
            # transaction in half; what is left stays in the inbox for the next start.
            try:
                async with asyncio.timeout(5):
                    await self.lanes.join()
            except (TimeoutError, asyncio.CancelledError):
                self.lanes.cancel()

    async def _poll(self) -> None:
        await self.rescan()
        last = await retrying("reading the inbox", self._last_id)
        offset = last + 1 if last is not None else None
        allowed = self.dp.resolve_used_update_types()
        failures = 0
        webhook_cleared = False
        while True:
            if time.monotonic() - self._last_scan >= self.rescan_seconds:
                await self.rescan()
            if not webhook_cleared:
                webhook_cleared = await self._delete_webhook()
            try:
                updates = await self.bot(
                    GetUpdates(offset=offset, timeout=self.timeout, allowed_updates=allowed),
                    request_timeout=self.timeout + 10,
                )
                failures = 0
            except (asyncio.CancelledError, TelegramUnauthorizedError):
                raise
            except Exception as e:  # the network or Telegram: keep polling, slower
                if isinstance(e, TelegramConflictError):
                    webhook_cleared = False  # a webhook set since: delete it again
                failures += 1
                delay = min(30.0, 0.5 * 2**failures)
                log.warning("getUpdates failed (%s: %s); again in %.1f s", type(e).__name__, e,
                            delay)
                await asyncio.sleep(delay)
                continue
            if not updates:
                continue
            try:
                fresh = await retrying("storing updates", _bound(self._store, updates))
            except Exception as e:
                # Not confirmed: Telegram sends the batch again on the next call.
                log.warning("updates %s..%s not stored (%s); asking again", updates[0].update_id,
                            updates[-1].update_id, type(e).__name__)
                await asyncio.sleep(1.0)
                continue
            offset = updates[-1].update_id + 1
            for update in updates:
                if update.update_id in fresh:
                    self.lanes.put(update.update_id, update)
            # The batch's chats are handled side by side; the next batch is asked for once
            # they are done, so a confirmed update is a handled one. Handling only touches the
            # database (answers go out through the courier), so this costs milliseconds.
            await self.lanes.join()

    async def _delete_webhook(self) -> bool:
        """Telegram refuses getUpdates (409) while a webhook is set: an earlier `run --webhook`
        left one. Its pending updates stay and come here. Tried once per start, and again after
        a 409; a failure is one line, and polling goes on (a 409 brings us back here)."""
        try:
            await self.bot(DeleteWebhook(drop_pending_updates=False))
        except (asyncio.CancelledError, TelegramUnauthorizedError):
            raise
        except Exception as e:
            log.warning("deleteWebhook failed (%s: %s); polling anyway", type(e).__name__, e)
        return True

    async def _last_id(self) -> int | None:
        async with self.uow() as uow:
            value: int | None = await uow.inbox.last_id()
            return value

    async def _store(self, updates: list[Update]) -> set[int]:
        batch = [(u.update_id, u.model_dump(mode="json", exclude_none=True)) for u in updates]
        async with self.uow() as uow:
            fresh = await uow.inbox.add_new(batch, self.clock.now())
            await uow.commit()
        return set(fresh)

    async def rescan(self) -> None:
        """Queue what the inbox holds unhandled: after a restart, or an update whose handling
        the database refused for longer than the middleware waits."""
        self._last_scan = time.monotonic()
        after = -1
        while True:
            try:
                batch = await retrying("reading the inbox", _bound(self._pending, after))
            except Exception as e:
                log.warning("the inbox could not be read (%s); later", type(e).__name__)
                return
            for update_id, payload in batch:
                if update_id not in self.lanes.queued:
                    self.lanes.put(update_id, Update.model_validate(payload,
                                                                    context={"bot": self.bot}))
            if len(batch) < 500:
                return
            after = batch[-1][0]

    async def _pending(self, after: int) -> list[tuple[int, dict[str, Any]]]:
        async with self.uow() as uow:
            found: list[tuple[int, dict[str, Any]]] = await uow.inbox.pending(500, after)
            return found

    async def _feed(self, update_id: int, update: Update) -> None:
        with log_context(update_id=update_id):
            await self._feed_now(update_id, update)

    async def _feed_now(self, update_id: int, update: Update) -> None:
        started = time.monotonic()
        try:
            await self.dp.feed_update(self.bot, update, inbox_update_id=update_id)
            self.observe(time.monotonic() - started)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            if is_transient(e):
                log.warning("update %s left in the inbox for later: %s", update_id,
                            type(e).__name__)
            else:
                log.exception("update %s could not be handled", update_id)
