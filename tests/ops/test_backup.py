"""`python -m bot backup FILE`: a consistent SQLite copy taken while a running bot writes;
PostgreSQL gets the pg_dump command line and exit status 2."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from core.notices import Notice, Priority
from sandbox import Sandbox
from tests.delivery.test_crash import bound_forces, until
from tests.ops.helpers import RunningBot, console
from tests.ops.test_check import env_for

FORCES = 20


def rows(path: Path, where: str = "") -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f"SELECT count(*) FROM notices {where}").fetchone()[0])


def leftovers(folder: Path) -> list[Path]:
    return list(folder.glob("*.partial"))


async def test_backup_while_the_bot_writes(sandbox: Sandbox, tmp_path: Path) -> None:
    from core.clock import SystemClock
    from storage import migrate
    from storage.db import make_engine, make_sessionmaker
    from storage.uow import UnitOfWorkFactory

    env = env_for(sandbox, tmp_path)
    url = env["RESCUEBOT_DATABASE_URL"]
    engine = make_engine(url)
    await migrate.upgrade(engine)
    uow = UnitOfWorkFactory(make_sessionmaker(engine), SystemClock())
    chats = await bound_forces(sandbox, uow, FORCES)
    bot = RunningBot(sandbox, url, tmp_path / "bot.log")
    stop = asyncio.Event()

    async def write() -> None:
        """Notices keep coming; the bot sends them and writes each one down."""
        n = 0
        while not stop.is_set():
            async with uow() as u:
                for unit in chats:
                    await u.outbox.add(Notice("admin.chat_bound", {"unit": f"n{n}", "code": "x",
                                                                   "by": "y"},
                                              unit_id=unit, priority=Priority.CRITICAL))
                await u.commit()
            n += 1
            await asyncio.sleep(0.05)

    try:
        await bot.start()
        writing = asyncio.create_task(write())
        db = tmp_path / "bot.db"
        await until(lambda: rows(db, "WHERE status = 'sent'") >= FORCES, 60)
        before = rows(db)
        code, out, err = await console("backup", str(tmp_path / "copy.db"), env=env)
        after = rows(db)
        await asyncio.sleep(0.5)
        stop.set()
        await writing
        assert bot.proc is not None and bot.proc.returncode is None, "the bot kept running"
    finally:
        stop.set()
        await bot.stop()
        await engine.dispose()
    assert code == 0, err
    copy = tmp_path / "copy.db"
    assert out.startswith(f"backup: {db} -> {copy} (") and "integrity_check ok" in out
    with sqlite3.connect(copy) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copied = rows(copy)
    assert before <= copied <= after, (before, copied, after)
    assert rows(copy, "WHERE status = 'sent'") >= FORCES
    assert not leftovers(tmp_path)


async def test_postgresql_is_told_to_use_pg_dump(tmp_path: Path) -> None:
    code, out, err = await console(
        "backup", "/srv/backups/rescue.dump",
        env={"RESCUEBOT_DATABASE_URL": "postgresql+asyncpg://rescue:s3cret@db:5432/rescue"})
    assert code == 2, err
    assert ("pg_dump --format=custom --no-owner --file=/srv/backups/rescue.dump "
            "postgresql://rescue@db:5432/rescue") in out
    assert "pg_restore" in out and "PGPASSWORD" in out
    assert "s3cret" not in out + err


async def test_a_missing_database_is_one_line(tmp_path: Path) -> None:
    code, _, err = await console(
        "backup", str(tmp_path / "copy.db"),
        env={"RESCUEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'none.db'}"})
    assert code == 2
    assert err.strip() == f"backup: database file {tmp_path / 'none.db'} does not exist"
