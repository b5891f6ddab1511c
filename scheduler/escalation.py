"""The dispatch feature's sweep step: reminders and escalation of unanswered orders."""

from __future__ import annotations

from core.clock import Clock
from core.config import MechanismConfig
from core.county import CountyUow
from core.dispatch.config import DispatchConfig
from core.dispatch.escalation import escalate
from scheduler.jobs import SweepStep


def escalation_step(cfg: DispatchConfig) -> SweepStep:
    async def dispatch_escalation(uow_factory: CountyUow, clock: Clock,
                                  config: MechanismConfig) -> None:
        async with uow_factory() as uow:
            await escalate(uow, clock, cfg)
            await uow.commit()

    return dispatch_escalation
