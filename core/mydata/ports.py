"""What the force-data use cases need from storage beyond the registry: the reminders sent."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.ports import UnitOfWork


class DataReminderRepo(Protocol):
    async def remember(self, key: str, at: datetime) -> bool:
        """Write the reminder down; False if it was already (it must not go again)."""
        ...


class DataUnitOfWork(UnitOfWork, Protocol):
    @property
    def data_reminders(self) -> DataReminderRepo: ...
