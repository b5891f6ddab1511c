"""The dispatch chain's knobs: escalation times, the flood season, the county's time zone, and
what other features add when orders go out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from core.dispatch.hooks import AnswerHook, CloseHook, OrdersHook

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class DispatchConfig:
    approval_remind: timedelta = timedelta(minutes=5)
    t1: timedelta = timedelta(minutes=3)
    t2: timedelta = timedelta(minutes=10)
    flood_season: str = "06-01..09-30"
    zone: tzinfo = SHANGHAI
    # Run after a plan's orders are written, in the same transaction (core/dispatch/hooks.py).
    after_orders: tuple[OrdersHook, ...] = ()
    # Run after /close closed an incident, in the same transaction (the after-action report).
    after_close: tuple[CloseHook, ...] = ()
    # Run after a force's answer to its order, in the same transaction (the compensation record).
    after_answer: tuple[AnswerHook, ...] = ()

    def in_flood_season(self, now: datetime) -> bool:
        start, _, end = self.flood_season.partition("..")
        if not start or not end:
            return False
        day = now.astimezone(self.zone).strftime("%m-%d")
        if start <= end:
            return start <= day <= end
        return day >= start or day <= end  # a season across the new year
