"""The identity stamp: every write to people, grants, units or chat languages moves it on, in
the same transaction, so a process that keeps identities between updates knows when to drop
them, whichever process wrote (the registry import runs beside the bot)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables import IdentityStampRow


async def bump(session: AsyncSession) -> None:
    await session.execute(update(IdentityStampRow).values(version=IdentityStampRow.version + 1)
                          .execution_options(synchronize_session=False))


async def version(session: AsyncSession) -> int | None:
    value: int | None = await session.scalar(select(IdentityStampRow.version))
    return value
