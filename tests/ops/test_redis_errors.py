"""A Redis that cannot be reached: transient for the handling path (the update waits in the
inbox, like for a busy database), and one clear line at start."""

from __future__ import annotations

from pathlib import Path

from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage

from bot.dialog_store import (
    RedisUnavailable,
    TransientRedisStorage,
    dialogs_in_progress,
    make_storage,
)
from sandbox import Sandbox
from storage.db import is_transient
from tests.ops.helpers import console
from tests.ops.test_check import closed_port, env_for


async def test_redis_errors_read_as_transient() -> None:
    storage = make_storage(f"redis://127.0.0.1:{closed_port()}/0")
    assert isinstance(storage, TransientRedisStorage)
    key = StorageKey(bot_id=1, chat_id=2, user_id=3)
    try:
        await storage.get_state(key)
    except RedisUnavailable as e:
        assert is_transient(e)
        assert "redis: ConnectionError" in str(e)
    else:
        raise AssertionError("a closed port answered")
    finally:
        await storage.close()
    assert isinstance(make_storage(None), MemoryStorage)


async def test_run_refuses_with_one_line_when_redis_is_unreachable(
        sandbox: Sandbox, tmp_path: Path) -> None:
    port = closed_port()
    env = env_for(sandbox, tmp_path, RESCUEBOT_REDIS_URL=f"redis://:pw@127.0.0.1:{port}/2")
    code, _, err = await console("run", env=env)
    assert code == 1
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"redis redis://:***@127.0.0.1:{port}/2: ")
    assert last.endswith("(RESCUEBOT_REDIS_URL; unset it to keep dialogs in memory)")
    assert ":pw@" not in err


async def test_dialogs_in_progress_are_counted() -> None:
    storage = MemoryStorage()
    for user in (1, 2):
        await storage.set_state(StorageKey(bot_id=9, chat_id=5, user_id=user), "Wizard:task")
    await storage.set_state(StorageKey(bot_id=9, chat_id=5, user_id=3), None)
    assert await dialogs_in_progress(storage, 9) == 2
