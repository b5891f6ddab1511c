"""The response feature's sweep step: proposals not confirmed in time call the other side's
leaders (once each); orders of an incident under a response are reminded at its interval."""

from __future__ import annotations

import logging

from core.clock import Clock
from core.config import MechanismConfig
from core.county import CountyUow
from core.response.reminders import remind_orders
from core.response.usecases import escalate_due
from scheduler.jobs import SweepStep

log = logging.getLogger(__name__)


def response_step() -> SweepStep:
    async def response_escalation(uow_factory: CountyUow, clock: Clock,
                                  config: MechanismConfig) -> None:
        async with uow_factory() as uow:
            acted = await escalate_due(uow, clock)
            await uow.commit()
        if acted:
            log.info("response proposals escalated to the other side's leaders: %d", acted)
        async with uow_factory() as uow:
            await remind_orders(uow, clock)
            await uow.commit()

    return response_escalation
