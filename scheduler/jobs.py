"""Job bodies: each opens its own unit of work and calls one core use case."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from core.clock import Clock
from core.config import MechanismConfig
from core.usecases.delivery import flag_late_notices
from core.usecases.housekeeping import prune_inbox

log = logging.getLogger(__name__)

# A sweep step: (uow factory, clock, config) -> None; features append theirs (escalation, ...).
SweepStep = Callable[[Callable[[], Any], Clock, MechanismConfig], Awaitable[None]]


@dataclass
class Sweep:
    uow: Callable[[], Any]
    clock: Clock
    config: MechanismConfig
    late_after: timedelta
    steps: list[SweepStep] = field(default_factory=list)
    running: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def run(self) -> None:
        """Everything overdue, acted on once; safe to run at any moment and again."""
        async with self.running:
            await self._steps()

    async def finish(self, within: float = 10.0) -> None:
        """Let a sweep under way end by itself, so stopping does not cut a step in half."""
        async with asyncio.timeout(within), self.running:
            pass

    async def _steps(self) -> None:
        for step in self.steps:
            try:
                await step(self.uow, self.clock, self.config)
            except Exception:
                log.exception("sweep step %s failed", getattr(step, "__name__", step))
        try:
            async with self.uow() as uow:
                await flag_late_notices(uow, self.clock, self.config, self.late_after)
        except Exception:
            log.exception("flagging late notices failed")
        try:
            async with self.uow() as uow:
                await prune_inbox(uow, self.clock)
        except Exception:
            log.exception("pruning the inbox failed")
