"""What the resource search needs from storage: the units, and two facts fetched in one query
each (never one per force)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.ports import UnitOfWork


class FindRepo(Protocol):
    async def answered_since(self, since: datetime) -> set[int]:
        """Forces that answered a roll-call opened at or after ``since``."""
        ...

    async def on_order(self) -> set[int]:
        """Forces with an open order (not stood down, not unable) on an open incident."""
        ...


class FindUnitOfWork(UnitOfWork, Protocol):
    @property
    def find(self) -> FindRepo: ...
