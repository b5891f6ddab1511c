"""Applying Alembic migrations from async code (at start-up, and by `python -m bot migrate`)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
# "rb-migr8"; advisory lock keys are per database.
MIGRATE_KEY = int.from_bytes(b"rb-migr8", "big") & 0x7FFF_FFFF_FFFF_FFFF


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


async def _run(engine: AsyncEngine, action: Any, *args: Any) -> None:
    cfg = alembic_config()

    def go(connection: Any) -> None:
        cfg.attributes["connection"] = connection
        action(cfg, *args)

    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several processes starting at once on one database: one migrates, the others wait
            # here and then find the database at its revision already. The lock is the
            # transaction's, released by its commit or by a crash alike.
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATE_KEY})
        await conn.run_sync(go)


async def upgrade(engine: AsyncEngine, revision: str = "heads") -> None:
    await _run(engine, command.upgrade, revision)
    log.info("database at revision %s", revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    await _run(engine, command.downgrade, revision)


async def autogenerate(engine: AsyncEngine, message: str, rev_id: str) -> None:
    """Developers' helper: write a new revision from the difference to the tables."""
    def revision(cfg: Config) -> None:
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)

    await _run(engine, revision)


def revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]
