"""What /healthz reports: each part of the running bot, healthy or not, and why.

A part is a name and a state. "ok" and "standby" are healthy ("standby": this process does not
run that part now, another one does — e.g. the scheduler on a process that is not the leader);
anything else is failing and named in the 503. Parts set from outside (`health.set(name,
state)`) keep their state until set again; parts with a probe are asked at each request (the
database: a `SELECT 1` with a short timeout, so a hung database answers 503, not a hung probe).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

OK = "ok"
STANDBY = "standby"
DOWN = "down"
HEALTHY = frozenset({OK, STANDBY})
PROBE_SECONDS = 2.0

Probe = Callable[[], Awaitable[str]]


@dataclass
class Part:
    state: str
    detail: str = ""
    since: float = field(default_factory=time.time)

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"state": self.state}
        if self.detail:
            found["detail"] = self.detail
        return found


class Health:
    def __init__(self, probe_seconds: float = PROBE_SECONDS) -> None:
        self.parts: dict[str, Part] = {}
        self.probes: dict[str, Probe] = {}
        self.probe_seconds = probe_seconds
        self.last_update_at: float | None = None  # time.time() of the last update handled
        self.started_at = time.time()

    def set(self, name: str, state: str, detail: str = "") -> None:
        """Another part of the bot says how it is: "ok", "standby", or any other word for
        failing. It replaces a probe of that name: the caller owns the part from now on (the
        scheduler's leader election: `set("scheduler", STANDBY)` on the processes that wait)."""
        self.probes.pop(name, None)
        current = self.parts.get(name)
        if current is None or current.state != state or current.detail != detail:
            self.parts[name] = Part(state, detail)

    def watch(self, name: str, probe: Probe) -> None:
        """Ask ``probe`` at each request; it returns a state, or raises (then: down)."""
        self.parts.pop(name, None)
        self.probes[name] = probe

    def watch_task(self, name: str, task: asyncio.Task[Any]) -> None:
        """The part is ok while the task runs, down (with the reason) once it ended."""
        self.set(name, OK)

        def ended(t: asyncio.Task[Any]) -> None:
            why = "stopped"
            if not t.cancelled() and t.exception() is not None:
                why = f"died: {type(t.exception()).__name__}"
            self.set(name, DOWN, why)

        task.add_done_callback(ended)

    def handled(self) -> None:
        self.last_update_at = time.time()

    def last_update_age(self) -> float | None:
        return None if self.last_update_at is None else max(0.0, time.time() -
                                                             self.last_update_at)

    async def report(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, the JSON body): every part, the failing ones named under "failing"."""
        parts = {name: part.as_dict() for name, part in self.parts.items()}
        for name, probe in self.probes.items():
            parts[name] = (await self._ask(probe)).as_dict()
        failing = sorted(name for name, p in parts.items() if p["state"] not in HEALTHY)
        age = self.last_update_age()
        body: dict[str, Any] = {
            "status": "ok" if not failing else "failing",
            "parts": parts,
            "last_update_age_seconds": None if age is None else round(age, 3),
            "uptime_seconds": round(time.time() - self.started_at, 3),
        }
        if failing:
            body["failing"] = failing
        return not failing, body

    async def _ask(self, probe: Probe) -> Part:
        try:
            async with asyncio.timeout(self.probe_seconds):
                return Part(await probe())
        except TimeoutError:
            return Part(DOWN, f"no answer within {self.probe_seconds:g} s")
        except Exception as e:
            return Part(DOWN, (f"{type(e).__name__}: {e}".splitlines() or [""])[0][:200])
