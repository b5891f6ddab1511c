"""Sweep steps of warnings and roll-calls, and when a scheduled roll-call falls due.

Roll-call slots are computed, not scheduled as timers: each sweep asks which cron fire time
is the latest at or before now, and opens its roll-call if that slot is within the grace
period and has none yet. So a slot missed while the bot was down runs at start (within
grace), and a unique slot in the database keeps it from running twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from core.clock import Clock
from core.config import MechanismConfig
from core.county import CountyUow
from core.rollcall.close import close_due
from core.rollcall.config import RollCallConfig
from core.rollcall.usecases import open_scheduled, period_active
from core.warnings.config import WarningConfig
from core.warnings.confirm import expire_due, remind_due
from scheduler.jobs import SweepStep

log = logging.getLogger(__name__)


def last_slot(cron: str, zone: ZoneInfo, now: datetime, grace: timedelta) -> datetime | None:
    """The latest fire time of ``cron`` in ``(now - grace, now]``, or None."""
    trigger = CronTrigger.from_crontab(cron, timezone=zone)
    found = None
    fire = trigger.get_next_fire_time(None, now - grace)
    while fire is not None and fire <= now:
        found = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return found


def warning_step(cfg: WarningConfig) -> SweepStep:
    async def remind_warnings(uow_factory: CountyUow, clock: Clock,
                              config: MechanismConfig) -> None:
        async with uow_factory() as uow:
            await expire_due(uow, clock)
            await remind_due(uow, clock, cfg)
            await uow.commit()

    return remind_warnings


def rollcall_step(cfg: RollCallConfig) -> SweepStep:
    async def rollcalls(uow_factory: CountyUow, clock: Clock,
                        config: MechanismConfig) -> None:
        now = clock.now()
        async with uow_factory() as uow:
            cron = cfg.period_cron if await period_active(uow, now, cfg) else cfg.monthly_cron
            slot = last_slot(cron, cfg.zone, now, cfg.grace)
            if slot is not None and await open_scheduled(uow, slot, clock, cfg) is not None:
                log.info("scheduled roll-call opened for slot %s", slot.isoformat())
            await uow.commit()
        async with uow_factory() as uow:
            await close_due(uow, clock)
            await uow.commit()

    return rollcalls
