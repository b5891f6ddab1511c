"""Early warnings (预警): a warning, its level, and each target force's confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Level(StrEnum):
    BLUE = "blue"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    def raised(self) -> Level:
        """One level up; red stays red (an upgrade from red is refused by the use case)."""
        return list(Level)[min(self.rank + 1, len(Level) - 1)]


LEVEL_WORDS = {
    "red": Level.RED, "红": Level.RED, "红色": Level.RED,
    "orange": Level.ORANGE, "橙": Level.ORANGE, "橙色": Level.ORANGE,
    "yellow": Level.YELLOW, "黄": Level.YELLOW, "黄色": Level.YELLOW,
    "blue": Level.BLUE, "蓝": Level.BLUE, "蓝色": Level.BLUE,
}

# Hazards the dialog offers; these are shown translated, anything else as typed.
HAZARDS = ("rainstorm", "flood", "geohazard", "forest_fire", "gale", "heat", "snow")


class WarningStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


@dataclass
class Warning:
    issuer_unit_id: int
    issued_by: int
    issued_by_name: str
    hazard: str
    level: Level
    area: str
    text: str
    targets: str
    issued_at: datetime
    valid_until: datetime
    status: WarningStatus = WarningStatus.ACTIVE
    initial_level: Level | None = None
    closed_at: datetime | None = None
    id: int | None = None

    def is_active(self, now: datetime) -> bool:
        return self.status is WarningStatus.ACTIVE and now < self.valid_until


@dataclass
class WarningTarget:
    """One force a warning went to: whether and when it confirmed, and how often reminded."""

    warning_id: int
    unit_id: int
    confirmed_by: int | None = None
    confirmed_by_name: str = ""
    confirmed_at: datetime | None = None
    reminders: int = 0
    next_reminder_at: datetime | None = None
    reported: bool = False

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
