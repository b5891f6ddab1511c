"""Long polling that loses no update.

Each batch from getUpdates is written to the inbox before it is confirmed (by the next call's
offset); each update is handled in the transaction that marks it handled. A crash before the
write gets the batch again from Telegram; a crash after it finds the batch in the inbox; a
crash mid-handler rolls the handler back and the update is handled again at start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import GetUpdates

from core.clock import Clock

log = logging.getLogger(__name__)


class DurablePoller:
    def __init__(
        self, dp: Dispatcher, bot: Bot, uow: Callable[[], Any], clock: Clock, timeout: int = 20
    ) -> None:
        self.dp, self.bot, self.uow, self.clock, self.timeout = dp, bot, uow, clock, timeout
        self._fed: set[int] = set()

    async def run(self) -> None:
        await self.handle_pending()
        async with self.uow() as uow:
            last = await uow.inbox.last_id()
        offset = last + 1 if last is not None else None
        allowed = self.dp.resolve_used_update_types()
        failures = 0
        while True:
            try:
                updates = await self.bot(
                    GetUpdates(offset=offset, timeout=self.timeout, allowed_updates=allowed),
                    request_timeout=self.timeout + 10,
                )
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as e:  # the network or Telegram: keep polling, slower
                failures += 1
                delay = min(30.0, 0.5 * 2**failures)
                log.warning("getUpdates failed (%s: %s); again in %.1f s", type(e).__name__, e,
                            delay)
                await asyncio.sleep(delay)
                continue
            if not updates:
                continue
            await self._store([u.model_dump(mode="json", exclude_none=True) for u in updates])
            offset = updates[-1].update_id + 1
            await self.handle_pending()

    async def _store(self, payloads: list[dict[str, Any]]) -> None:
        async with self.uow() as uow:
            for payload in payloads:
                await uow.inbox.add(payload["update_id"], payload, self.clock.now())
            await uow.commit()

    async def handle_pending(self) -> None:
        while True:
            async with self.uow() as uow:
                batch = await uow.inbox.pending(100)
            fresh = [(i, p) for i, p in batch if i not in self._fed]
            if not fresh:
                # Handled but not marked: the database refused; try again after a restart
                # rather than spin on it.
                return
            for update_id, payload in fresh:
                self._fed.add(update_id)
                await self.dp.feed_raw_update(self.bot, payload, inbox_update_id=update_id)
