"""The force-data sweep step: stale data and running-out insurance and health checks told."""

from __future__ import annotations

import logging

from core.clock import Clock
from core.config import MechanismConfig
from core.county import CountyUow
from core.mydata.config import DataConfig
from core.mydata.reminders import remind
from scheduler.jobs import SweepStep

log = logging.getLogger(__name__)


def freshness_step(cfg: DataConfig) -> SweepStep:
    async def data_freshness(uow_factory: CountyUow, clock: Clock,
                             config: MechanismConfig) -> None:
        if not cfg.reminders:
            return
        async with uow_factory() as uow:
            sent = await remind(uow, clock, cfg)
            await uow.commit()
        if sent:
            log.info("%d force-data reminders queued", sent)

    return data_freshness
