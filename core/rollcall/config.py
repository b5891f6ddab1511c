"""The knobs of roll-calls, built from settings by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class RollCallConfig:
    monthly_cron: str = "0 9 1 * *"
    period_cron: str = "0 9 * * *"
    answer_window: timedelta = timedelta(minutes=10)
    grace: timedelta = timedelta(minutes=120)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    flood_season: tuple[tuple[int, int], tuple[int, int]] | None = ((6, 1), (9, 30))
    # An unannounced inspection (/spotcheck) leaves less time than a routine roll-call.
    spotcheck_window: timedelta = timedelta(minutes=5)

    def in_flood_season(self, at: datetime) -> bool:
        if self.flood_season is None:
            return False
        day = at.astimezone(self.zone).date()
        (m1, d1), (m2, d2) = self.flood_season
        return date(day.year, m1, d1) <= day <= date(day.year, m2, d2)


def parse_season(raw: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """`06-01..09-30` -> ((6, 1), (9, 30)); empty means no flood season."""
    if not raw.strip():
        return None
    start, _, end = raw.partition("..")
    m1, d1 = (int(x) for x in start.strip().split("-"))
    m2, d2 = (int(x) for x in end.strip().split("-"))
    return (m1, d1), (m2, d2)
