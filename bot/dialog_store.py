"""Where dialogs (/dispatch, /warn and the later ones) keep their state between updates.

With ``REDIS_URL`` set: aiogram's RedisStorage, so a dialog survives a restart and may be
continued on another process of the same token. Keys carry the bot's id (two bots on one Redis
never share a dialog) and expire after 24 hours, like an abandoned dialog's buttons. Without
it: aiogram's MemoryStorage, as one process needs.

Redis errors are turned into ``ConnectionError`` here, so the handling path treats a Redis
that restarts or cannot be reached like a busy database (storage/db.py ``is_transient``): the
update is tried again and stays in the inbox until then, instead of being refused as an
internal error.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta
from typing import Any

from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage

EXPIRY = timedelta(hours=24)
PREFIX = "rescuebot:fsm"


class RedisUnavailable(ConnectionError):
    """Redis could not be reached or is not ready: transient, like a busy database."""


@contextlib.asynccontextmanager
async def _transient() -> AsyncIterator[None]:
    from redis.exceptions import BusyLoadingError, ConnectionError, ReadOnlyError, TimeoutError

    try:
        yield
    except (ConnectionError, TimeoutError, BusyLoadingError, ReadOnlyError) as e:
        # builtins.ConnectionError: what storage.db.is_transient counts as "wait and retry".
        raise RedisUnavailable(f"redis: {type(e).__name__}: {e}") from e


class TransientRedisStorage(BaseStorage):
    """RedisStorage whose connection failures read as transient to the handling path."""

    def __init__(self, inner: BaseStorage) -> None:
        self.inner = inner

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        async with _transient():
            await self.inner.set_state(key, state)

    async def get_state(self, key: StorageKey) -> str | None:
        async with _transient():
            return await self.inner.get_state(key)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with _transient():
            await self.inner.set_data(key, data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with _transient():
            return await self.inner.get_data(key)

    async def close(self) -> None:
        await self.inner.close()


def make_storage(redis_url: str | None) -> BaseStorage:
    if not redis_url:
        return MemoryStorage()
    from aiogram.fsm.storage.redis import RedisStorage

    inner = RedisStorage.from_url(
        redis_url,
        connection_kwargs={"socket_connect_timeout": 5, "socket_timeout": 10,
                           "health_check_interval": 30},
        key_builder=DefaultKeyBuilder(prefix=PREFIX, with_bot_id=True),
        state_ttl=EXPIRY, data_ttl=EXPIRY)
    return TransientRedisStorage(inner)


async def dialogs_in_progress(storage: BaseStorage, bot_id: int) -> int:
    """Dialogs started and not yet finished or expired (rescuebot_dialogs_in_progress): one
    state per person and chat. Redis is counted with SCAN, which never blocks Redis."""
    if isinstance(storage, MemoryStorage):
        return sum(1 for record in storage.storage.values() if record.state is not None)
    inner = storage.inner if isinstance(storage, TransientRedisStorage) else storage
    from aiogram.fsm.storage.redis import RedisStorage

    if not isinstance(inner, RedisStorage):
        return 0
    async with _transient():
        return sum([1 async for _ in inner.redis.scan_iter(match=f"{PREFIX}:{bot_id}:*:state",
                                                           count=500)])
