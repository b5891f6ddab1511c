"""Duty roll-calls (值班调度): one call, every force in scope answers "on duty"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class RollCallKind(StrEnum):
    SCHEDULED = "scheduled"
    ADHOC = "adhoc"
    DRILL = "drill"
    SPOTCHECK = "spotcheck"


@dataclass
class RollCall:
    kind: RollCallKind
    scope: str
    opened_at: datetime
    deadline_at: datetime
    slot_at: datetime | None = None
    opened_by: int | None = None
    closed_at: datetime | None = None
    id: int | None = None


@dataclass
class Answer:
    """One force in a roll-call's scope: who answered and when (None: not yet, or missing)."""

    rollcall_id: int
    unit_id: int
    answered_by: int | None = None
    answered_by_name: str = ""
    answered_at: datetime | None = None
    on_time: bool | None = None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


@dataclass
class SensitivePeriod:
    starts_at: datetime
    ends_at: datetime
    declared_by: int
    id: int | None = None
