"""The APScheduler instance with stable job ids."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.jobs import Sweep


def make_scheduler(sweep: Sweep, sweep_seconds: float, zone: ZoneInfo) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=zone)
    scheduler.add_job(sweep.run, "interval", seconds=sweep_seconds, id="sweep",
                      max_instances=1, coalesce=True, replace_existing=True)
    return scheduler
