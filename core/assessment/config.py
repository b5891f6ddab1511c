"""The assessment's knobs (ASSESS__...)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class AssessConfig:
    zone: ZoneInfo
    monthly_day: int = 1  # the day of the month the previous month's document goes out; 0: never
    locale: str = "zh_Hans"  # the document's language where the bureau's chat has none
