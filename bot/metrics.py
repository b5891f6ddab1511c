"""/metrics in Prometheus' text format, from a registry of our own (not the library's global
one, so tests and several apps in one process never share counters).

Counted as they happen, in this process: sends by outcome and their latency (the delivery
worker), updates handled and their latency (the intake). Read from the database at scrape time,
with a short timeout: the outbox backlog, forces and bound forces, escalations and reminders
fired (from the audit log, so they are the county's totals across restarts and processes).
Dialogs in progress are counted by the dialog store. The names are a contract with dashboards and
alerts (README, "Webhook, health and metrics"): do not rename them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import Clock
from core.notices import Priority
from storage.figures import read_figures

log = logging.getLogger(__name__)
SCRAPE_DB_SECONDS = 2.0
CONTENT_TYPE = CONTENT_TYPE_LATEST
OUTCOMES = ("ok", "429", "5xx", "403", "migrated", "other")
# Telegram answers in tens to hundreds of milliseconds; a handler in a few to tens.
SEND_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self, engine: AsyncEngine, clock: Clock,
                 dialogs: Callable[[], Awaitable[int]] | None = None,
                 db_seconds: float = SCRAPE_DB_SECONDS) -> None:
        # Dialogs are counted by their store (bot/dialog_store.py: memory or Redis).
        self.engine, self.clock, self.count_dialogs = engine, clock, dialogs
        self.db_seconds = db_seconds
        self.last_update_at: float | None = None
        r = self.registry = CollectorRegistry(auto_describe=True)
        self.outbox_pending = Gauge("rescuebot_outbox_pending", "Notices waiting to be sent",
                                    ["priority"], registry=r)
        self.outbox_oldest = Gauge("rescuebot_outbox_oldest_pending_seconds",
                                   "Age of the oldest notice waiting to be sent (0: none)",
                                   registry=r)
        self.sends = Counter("rescuebot_sends", "Sends to Telegram by outcome", ["outcome"],
                             registry=r)
        for outcome in OUTCOMES:
            self.sends.labels(outcome)  # every outcome shows, at 0 until it happens
        self.send_seconds = Histogram("rescuebot_send_seconds", "Latency of a send to Telegram",
                                      buckets=SEND_BUCKETS, registry=r)
        self.updates = Counter("rescuebot_updates_handled", "Updates handled by this process",
                               registry=r)
        self.update_seconds = Histogram("rescuebot_update_seconds",
                                        "Time to handle one update (database work, no sends)",
                                        buckets=UPDATE_BUCKETS, registry=r)
        self.escalations = Gauge("rescuebot_escalations_total",
                                 "Escalations fired (audit log, all processes)", registry=r)
        self.reminders = Gauge("rescuebot_reminders_total",
                               "Reminders fired (audit log, all processes)", registry=r)
        self.dialogs = Gauge("rescuebot_dialogs_in_progress",
                             "Multi-step dialogs someone is in the middle of", registry=r)
        self.forces = Gauge("rescuebot_forces", "Forces in the registry", registry=r)
        self.forces_bound = Gauge("rescuebot_forces_bound", "Forces with a bound chat",
                                  registry=r)
        self.last_update = Gauge("rescuebot_last_update_handled_seconds",
                                 "Seconds since this process last handled an update (-1: none "
                                 "yet)", registry=r)
        self.database_up = Gauge("rescuebot_database_up",
                                 "1 if the database answered this scrape within the timeout",
                                 registry=r)
        for p in Priority:
            self.outbox_pending.labels(p.name.lower())

    # --- counted as they happen --------------------------------------------------------

    def sent(self, outcome: str, seconds: float) -> None:
        self.sends.labels(outcome).inc()
        self.send_seconds.observe(seconds)

    def handled(self, seconds: float) -> None:
        self.updates.inc()
        self.update_seconds.observe(seconds)
        self.last_update_at = time.monotonic()

    # --- read at scrape time -----------------------------------------------------------

    async def render(self) -> bytes:
        await self.refresh()
        return generate_latest(self.registry)

    async def refresh(self) -> None:
        self.last_update.set(-1 if self.last_update_at is None
                             else time.monotonic() - self.last_update_at)
        with contextlib.suppress(Exception):
            self.dialogs.set(await asyncio.wait_for(self._dialogs(), self.db_seconds))
        try:
            async with asyncio.timeout(self.db_seconds):
                figures = await read_figures(self.engine)
        except Exception as e:
            # The gauges keep their last values; database_up says they are stale.
            log.warning("metrics: the database did not answer (%s)", type(e).__name__)
            self.database_up.set(0)
            return
        self.database_up.set(1)
        for p in Priority:
            self.outbox_pending.labels(p.name.lower()).set(
                figures.pending_by_priority.get(int(p), 0))
        oldest = figures.oldest_pending
        now = self.clock.now()
        self.outbox_oldest.set(0 if oldest is None else max(0.0, (_aware(now) -
                                                                 _aware(oldest)).total_seconds()))
        self.forces.set(figures.forces)
        self.forces_bound.set(figures.forces_bound)
        self.escalations.set(figures.escalations)
        self.reminders.set(figures.reminders)

    async def _dialogs(self) -> int:
        return 0 if self.count_dialogs is None else await self.count_dialogs()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def names(registry: CollectorRegistry) -> Iterable[str]:
    for family in registry.collect():
        yield family.name
