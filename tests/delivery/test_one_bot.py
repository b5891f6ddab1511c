"""One bot per SQLite file: a second `python -m bot run` refuses to start, in one line.
(On PostgreSQL several bots share the database, one leading: tests/delivery/test_leader.py.)

Seen before: two bots on one database both handled and both sent (20 /incident commands made
29 incidents on SQLite; 30 notices arrived as 45 messages on PostgreSQL).
"""

from __future__ import annotations

import asyncio
import sys

import pytest

from sandbox import Sandbox
from storage import lock
from tests.conftest import COUNTY, ROOT
from tests.delivery.test_crash import BotProcess

PERSON = 555001


async def test_the_lock_is_exclusive_and_released(database_url: str) -> None:
    if database_url.startswith("postgresql"):
        async with lock.hold(database_url), lock.hold(database_url):
            return  # PostgreSQL: no lock, several bots share it (tests/delivery/test_leader.py)
    async with lock.hold(database_url):
        with pytest.raises(lock.AlreadyRunning) as refused:
            async with lock.hold(database_url):
                pass
        assert "already running on this SQLite database" in str(refused.value)
    async with lock.hold(database_url):  # released on exit: the next start takes it
        pass


async def console(*args: str, env: dict[str, str]) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:  # generous: a loaded machine takes a minute to import; a second bot never ends
        out, err = await asyncio.wait_for(proc.communicate(), 400)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return -1, "still running after 400 s"
    assert proc.returncode is not None
    return proc.returncode, (out + err).decode()


async def test_a_second_bot_refuses_and_consoles_still_work(sandbox: Sandbox,
                                                            database_url: str) -> None:
    if database_url.startswith("postgresql"):
        pytest.skip("on PostgreSQL a second bot starts and follows the leader: test_leader.py")
    first = BotProcess(sandbox, database_url)
    await first.start(sandbox)
    try:
        # Both at once: the second bot and an import while the first bot runs.
        (code, said), (imported, report) = await asyncio.gather(
            console("run", env=first.env),
            console("registry", "import", str(COUNTY), env=first.env))
        assert code == 1
        lines = said.strip().splitlines()
        assert "Traceback" not in said
        assert lines[-1].startswith("another bot ")
        assert "is already running on this SQLite database" in lines[-1]
        assert lines[-1].endswith("one bot per SQLite file: stop it first, or use PostgreSQL "
                                  "to run several")
        assert imported == 0, report
        assert "Traceback" not in report
        assert first.proc is not None and first.proc.returncode is None
        assert sandbox.stats.calls.get("getMe", 0) == 1, "the second bot never reached Telegram"
        sandbox.add_user(PERSON, "县信息科")  # the first bot still answers
        await sandbox.send_message(PERSON, PERSON, "/help")
        await sandbox.wait_for(PERSON, lambda entry: bool(entry["text"]), timeout=120)
    finally:
        await first.stop()
