"""Which process leads: the one that sweeps for deadlines and, when polling, asks for updates.

Several bot processes may share one database (PostgreSQL). Work that must happen in one
process at a time (the scheduler's sweep, getUpdates) is done only by the leader; everything
else (delivering notices, handling webhook updates) is done by every process.

A ``Leadership`` hands out *terms*: ``lead()`` yields a ``Term`` each time this process becomes
leader, and the term's ``ended`` event is set the moment it stops being leader (its hold on the
lock can no longer be vouched for). The caller starts the leader's work when a term begins and
stops it when the term ends; then ``lead()`` campaigns again and yields the next term.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class Term:
    """One stretch of leadership; ``ended`` is set once it is over, and stays set."""

    ended: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait_ended(self) -> None:
        await self.ended.wait()


class Leadership(Protocol):
    @property
    def is_leader(self) -> bool: ...

    def lead(self) -> AsyncGenerator[Term, None]:
        """Campaigns for ever: yields a term each time this process becomes leader. The next
        term is campaigned for only once the caller asks for it (after the last one ended)."""
        ...


class Alone:
    """The only process on its database (SQLite: the file lock keeps others out): always
    leader, from the start and for good."""

    def __init__(self) -> None:
        self._leading = False

    @property
    def is_leader(self) -> bool:
        return self._leading

    async def lead(self) -> AsyncGenerator[Term, None]:
        self._leading = True
        yield Term()
        await asyncio.Event().wait()  # a term that never ends has no successor
