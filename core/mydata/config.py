"""How old a force's data may grow, and how early an expiry is told."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class DataConfig:
    zone: ZoneInfo
    stale_days: int = 90  # DATA__STALE_DAYS
    expiry_days: int = 30  # insurance and health checks running out this soon are told
    reminders: bool = True  # DATA__REMINDERS: the sweep tells the forces
