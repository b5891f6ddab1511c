"""Job bodies: each opens its own unit of work and calls one core use case."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from core.clock import Clock
from core.config import MechanismConfig
from core.county import CountyUow
from core.usecases.delivery import flag_late_notices
from core.usecases.housekeeping import prune_inbox

log = logging.getLogger(__name__)

# A sweep step: (uow factory, clock, config) -> None; features append theirs (escalation, ...).
SweepStep = Callable[[CountyUow, Clock, MechanismConfig], Awaitable[None]]


@dataclass
class Sweep:
    uow: CountyUow
    clock: Clock
    config: MechanismConfig
    late_after: timedelta
    steps: list[SweepStep] = field(default_factory=list)
    running: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Told by the composition root which database errors pass by themselves (a lock, a restart):
    # those are one line and the next sweep tries again; anything else is a fault, with its trace.
    transient: Callable[[BaseException], bool] = lambda _e: False
    _busy: bool = False
    _stopped: bool = False

    async def run(self) -> None:
        """Everything overdue, acted on once; safe to run at any moment and again."""
        if self._stopped or self.running.locked():
            return  # stopped, or the last sweep is still at work: this one would queue behind
        async with self.running:
            await self._steps()

    def stop(self) -> None:
        """No sweep starts from now on, and one under way ends after the step at work (that
        step's transaction commits or rolls back whole). Called when this process stops
        leading: another process sweeps now."""
        self._stopped = True

    def start(self) -> None:
        """Sweeps run again (this process leads again)."""
        self._stopped = False

    async def finish(self, within: float = 10.0) -> None:
        """Let a sweep under way end by itself, so stopping does not cut a step in half."""
        async with asyncio.timeout(within), self.running:
            pass

    async def _steps(self) -> None:
        jobs: list[tuple[str, Callable[[], Awaitable[None]]]] = [
            (getattr(step, "__name__", str(step)), self._bind(step)) for step in self.steps]
        jobs += [("flagging late notices", self._flag), ("pruning the inbox", self._prune)]
        busy = False
        for name, job in jobs:
            if self._stopped:
                log.info("sweep stopped before %s", name)
                return
            try:
                await job()
            except Exception as e:
                if not self.transient(e):
                    log.exception("sweep step %s failed", name)
                    continue
                busy = True
                if not self._busy:
                    log.warning("sweep: database busy or unreachable (%s); the next sweep "
                                "tries again", type(e).__name__)
        if self._busy and not busy:
            log.info("sweep: database answers again")
        self._busy = busy

    def _bind(self, step: SweepStep) -> Callable[[], Awaitable[None]]:
        return lambda: step(self.uow, self.clock, self.config)

    async def _flag(self) -> None:
        async with self.uow() as uow:
            await flag_late_notices(uow, self.clock, self.config, self.late_after)
            await uow.commit()

    async def _prune(self) -> None:
        async with self.uow() as uow:
            await prune_inbox(uow, self.clock)
            await uow.commit()
