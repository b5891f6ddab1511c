"""What compensation needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.compensation.model import Deployment
from core.dispatch.ports import DispatchUnitOfWork


class CompensationRepo(Protocol):
    async def deployments(self, start: datetime, end: datetime) -> list[Deployment]:
        """Orders to social forces of real incidents (not drills) that went out in
        [start, end), with the people each force said it sent."""
        ...

    async def record_people(self, order_id: int, people: int, tg_id: int, name: str,
                            at: datetime) -> bool:
        """Write the number once; False if the order already has one (history stays)."""
        ...


class CompensationUnitOfWork(DispatchUnitOfWork, Protocol):
    @property
    def compensation(self) -> CompensationRepo: ...
