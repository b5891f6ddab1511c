"""The knobs of warnings, built from settings by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from core.warnings.model import Level


def _defaults() -> dict[Level, timedelta | None]:
    return {Level.RED: timedelta(minutes=5), Level.ORANGE: timedelta(minutes=10),
            Level.YELLOW: timedelta(minutes=30), Level.BLUE: None}


@dataclass(frozen=True)
class WarningConfig:
    remind_every: dict[Level, timedelta | None] = field(default_factory=_defaults)
    reminders_before_report: int = 3
    max_valid_hours: int = 168
    # Once the brigade has been told who is silent, the force is reminded at most this often
    # (None: not at again); the level's own interval applies if it is longer.
    remind_after_report: timedelta | None = timedelta(hours=1)

    def interval(self, level: Level) -> timedelta | None:
        return self.remind_every.get(level)

    def next_interval(self, level: Level, reported: bool) -> timedelta | None:
        every = self.interval(level)
        if every is None or not reported:
            return every
        if self.remind_after_report is None:
            return None
        return max(every, self.remind_after_report)
