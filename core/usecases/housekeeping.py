"""Keeping the tables that only serve delivery from growing without end."""

from __future__ import annotations

from datetime import timedelta

from core.clock import Clock
from core.ports import UnitOfWork

# Telegram redelivers an unconfirmed update for at most 24 hours; a handled update older than
# that can never come back, so its row no longer guards against handling it twice.
INBOX_KEEP = timedelta(days=1, hours=1)


async def prune_inbox(uow: UnitOfWork, clock: Clock, keep: timedelta = INBOX_KEEP) -> int:
    pruned = await uow.inbox.prune(clock.now() - keep)
    return pruned
