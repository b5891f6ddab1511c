"""The consultations' sweep step: an expert silent for T1 is reminded once."""

from __future__ import annotations

from core.clock import Clock
from core.config import MechanismConfig
from core.consult.usecases import remind_silent
from core.county import CountyUow
from scheduler.jobs import SweepStep


def reminder_step() -> SweepStep:
    async def consult_reminders(uow_factory: CountyUow, clock: Clock,
                                config: MechanismConfig) -> None:
        async with uow_factory() as uow:
            await remind_silent(uow, clock)
            await uow.commit()

    return consult_reminders
