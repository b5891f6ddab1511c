"""The warnings/roll-calls revision goes down to the dispatch schema and up again."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.db import make_engine

TABLES = {"warnings", "warning_targets", "rollcalls", "rollcall_answers", "sensitive_periods"}


async def tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def test_revision_0003_round_trip(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    try:
        await migrate.upgrade(engine)
        assert await tables(engine) >= TABLES
        await migrate.downgrade(engine, "0002")
        left = await tables(engine)
        assert not TABLES & left and "units" in left
        await migrate.upgrade(engine)
        assert await tables(engine) >= TABLES
    finally:
        await engine.dispose()
