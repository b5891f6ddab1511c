"""What the warning use cases need from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.ports import UnitOfWork
from core.warnings.model import Level, Warning, WarningTarget


class WarningRepo(Protocol):
    async def add(self, warning: Warning, targets: list[WarningTarget]) -> Warning: ...
    async def get(self, warning_id: int) -> Warning | None: ...
    async def update(self, warning: Warning, was: Level) -> bool:
        """Level, status and closing, only while the warning is still open (active and not
        closed) at level ``was``; False if it was cancelled, closed or raised since it was
        read."""
        ...
    async def targets(self, warning_id: int) -> list[WarningTarget]: ...
    async def target(self, warning_id: int, unit_id: int) -> WarningTarget | None: ...
    async def update_target(self, target: WarningTarget) -> bool:
        """Reminder state only, and only while unconfirmed; False if it was confirmed."""
        ...
    async def confirm_target(self, target: WarningTarget) -> bool:
        """The confirmation, if none was recorded before and the warning is still open;
        False otherwise."""
        ...
    async def due_reminders(self, now: datetime) -> list[WarningTarget]:
        """Unconfirmed targets of active, unexpired warnings whose reminder time has come."""
        ...
    async def expired_open(self, now: datetime) -> list[Warning]:
        """Active warnings past their validity that were not yet closed as expired."""
        ...
    async def targets_since(self, since: datetime) -> list[tuple[Warning, WarningTarget]]: ...


class WarningUnitOfWork(UnitOfWork, Protocol):
    @property
    def warnings(self) -> WarningRepo: ...
