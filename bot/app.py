"""The composition root: settings in, a running bot out. Nothing else wires parts together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import BotCommand
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.configs import Configs, build_configs
from bot.context import ContextMiddleware
from bot.delivery import DeliveryWorker
from bot.dialog_store import dialogs_in_progress, make_storage
from bot.features import BotFeature
from bot.handlers import (
    afteraction,
    assessment,
    compensation,
    consult,
    dispatch,
    drills,
    find,
    mydata,
    registry,
    reports,
    response,
    rollcall,
    sitrep,
    stale,
    traffic,
    warnings,
)
from bot.health import DOWN, OK, STANDBY, Health
from bot.i18n import Translator
from bot.metrics import Metrics
from bot.pacing import Limiter, LocalPacer, Pacer, PacingMiddleware
from bot.polling import DurablePoller
from bot.replies import Courier
from bot.session import TelegramSession
from bot.settings import LOCALES, Settings
from bot.web import make_web_app, serve
from bot.webhook import WebhookIntake
from core.clock import Clock, SystemClock
from core.config import MechanismConfig
from core.feature import failure_hooks
from core.leadership import Alone, Leadership, Term
from scheduler.jobs import Sweep
from scheduler.setup import make_scheduler
from storage import migrate
from storage.db import is_transient, make_engine, make_sessionmaker
from storage.figures import ping
from storage.notify import OutboxListener, is_postgresql
from storage.sweep_lock import serialized
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

# The county's features, in the order their routers see updates and /help lists their commands.
# A new feature: its folders in core/, storage/ and bot/, and one line here.
FEATURES: tuple[BotFeature, ...] = (
    registry.FEATURE,
    dispatch.FEATURE,
    warnings.FEATURE,
    rollcall.FEATURE,
    afteraction.FEATURE,  # before reports: it takes /report <incident number>
    reports.FEATURE,
    response.FEATURE,
    sitrep.FEATURE,
    consult.FEATURE,
    traffic.FEATURE,
    drills.FEATURE,
    assessment.FEATURE,
    mydata.FEATURE,
    find.FEATURE,
    compensation.FEATURE,
)


async def _logged(job: Any) -> None:
    try:
        await job
    except asyncio.CancelledError:
        raise
    except TelegramUnauthorizedError:
        log.critical("the token was refused by Telegram (401 Unauthorized) while running: it "
                     "was revoked or changed; stopping")
        raise
    except Exception:
        log.critical("a main task died; stopping so a supervisor restarts the bot", exc_info=True)
        raise


def make_bot(token: str, api_url: str, proxy: str | None = None) -> Bot:
    # A county's network may reach Telegram only through a proxy (http, socks4 or socks5).
    session = TelegramSession(api_url, proxy)
    # Every text is HTML: templates carry tags, parameters are escaped by the translator.
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode="HTML"))


def make_dispatcher(context: ContextMiddleware, storage: BaseStorage | None = None) -> Dispatcher:
    # Dialog state: in Redis when REDIS_URL is set (bot/dialog_store.py), else in memory.
    dp = Dispatcher(storage=storage or MemoryStorage())
    dp.update.outer_middleware(context)
    # What no feature took (an old button, an unknown command) is answered last.
    dp.include_routers(*(r for f in FEATURES for r in f.routers()), stale.make_router())
    return dp


@dataclass
class App:
    settings: Settings
    bot: Bot
    engine: AsyncEngine
    uow: UnitOfWorkFactory
    dp: Dispatcher
    worker: DeliveryWorker
    translator: Translator
    clock: Clock
    config: MechanismConfig
    configs: Configs
    sweep: Sweep
    courier: Courier
    health: Health
    metrics: Metrics
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    web_port: int | None = None  # where /healthz, /metrics (and the webhook) listen
    intake: DurablePoller | None = None  # the poller, or the webhook's intake, while running

    leadership: Leadership = field(default_factory=Alone)
    # Webhook mode receives updates in every process; polling is the leader's alone.
    polling: bool = True

    async def run(self, webhook: bool = False) -> None:
        """Deliver (every process), receive on a webhook (every process, with ``webhook``), and
        sweep and poll while leading, until cancelled."""
        await migrate.upgrade(self.engine)
        await self._set_commands()
        self.polling = not webhook
        self.health.set("scheduler", STANDBY)  # until this process leads
        try:
            async with asyncio.TaskGroup() as group:
                delivery = group.create_task(_logged(self.worker.run()), name="delivery")
                self.health.watch_task("delivery", delivery)
                if is_postgresql(self.settings.database_url):
                    listener = OutboxListener(self.settings.database_url, self.worker.wake)
                    group.create_task(_logged(listener.run()), name="outbox-listener")
                group.create_task(_logged(self._lead()), name="leading")
                hook = self.intake = self._intake(True) if webhook else None
                if isinstance(hook, WebhookIntake):
                    group.create_task(_logged(hook.run()), name="webhook")
                self._serve(group, hook if isinstance(hook, WebhookIntake) else None)
        finally:
            await self.courier.drain()
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2.0):
                    await self.worker.release_all()  # the others take our chats at once

    async def _lead(self) -> None:
        """Each term of leadership: the scheduler (sweep, schedules) and the poller run, and
        stop the moment the term ends; then this process waits for the next term."""
        async with contextlib.aclosing(self.leadership.lead()) as terms:
            async for term in terms:
                log.info("this process leads: it sweeps%s", " and polls" if self.polling else "")
                await self._while_leading(term)
                log.warning("this process no longer leads: sweeping and polling stopped")

    async def _while_leading(self, term: Term) -> None:
        self.sweep.start()
        scheduler = make_scheduler(self.sweep, self.settings.sweep_seconds, self.settings.zone)
        scheduler.start()
        self.health.watch("scheduler", lambda: _running(scheduler))
        jobs = [asyncio.create_task(term.wait_ended(), name="term")]
        if self.polling:
            poller = self.intake = self._intake(False)
            jobs.append(asyncio.create_task(poller.run(), name="polling"))
        try:
            done, _ = await asyncio.wait(jobs, return_when=asyncio.FIRST_COMPLETED)
            for job in done:
                job.result()  # a poller that died takes the process down, as it always did
        finally:
            scheduler.pause()
            self.health.set("scheduler", STANDBY)
            self.sweep.stop()
            for job in jobs:
                job.cancel()
            for job in jobs:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await job
            with contextlib.suppress(TimeoutError):
                await self.sweep.finish()
            scheduler.shutdown(wait=False)

    # --- intake, health and metrics (issue 14) -------------------------------------------

    def _intake(self, webhook: bool) -> DurablePoller:
        """Both write each update to the inbox before confirming it, then handle it there."""
        observe = self._handled
        if not webhook:
            return DurablePoller(self.dp, self.bot, self.uow, self.clock, observe=observe)
        secret = self.settings.webhook.secret
        assert secret is not None  # checked before the start (preflight.check_webhook)
        return WebhookIntake(self.dp, self.bot, self.uow, self.clock, secret.get_secret_value(),
                             observe=observe)

    def _handled(self, seconds: float) -> None:
        self.metrics.handled(seconds)
        self.health.handled()

    def _serve(self, group: asyncio.TaskGroup, intake: WebhookIntake | None) -> None:
        """The web server in a task of its own: the webhook's, or /healthz and /metrics on
        METRICS__PORT while polling (none if unset)."""
        hook, shown = self.settings.webhook, self.settings.metrics
        if intake is not None:
            url = hook.url
            assert url is not None

            async def listening(port: int) -> None:
                self.web_port = port
                await intake.set_webhook(url)

            app = make_web_app(self.health, self.metrics, intake, hook.path)
            group.create_task(_logged(serve(app, hook.host, hook.port, listening)), name="web")
        elif shown.port is not None:
            async def bound(port: int) -> None:
                self.web_port = port

            app = make_web_app(self.health, self.metrics)
            group.create_task(_logged(serve(app, shown.host, shown.port, bound)), name="web")

    async def _set_commands(self) -> None:
        with contextlib.suppress(Exception):  # a menu is a comfort, not a duty
            for locale in LOCALES:
                commands = [BotCommand(command=c, description=self.translator(locale, f"menu.{c}"))
                            for c in ("help", "status", "whoami", "lang", "bind")]
                lang = None if locale == self.settings.locale else locale[:2]
                await self.bot.set_my_commands(commands, language_code=lang)

    async def close(self) -> None:
        close = getattr(self.worker.pacer, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):
                await close()
        with contextlib.suppress(Exception):
            await self.dp.storage.close()
        await self.bot.session.close()
        await self.engine.dispose()


async def _running(scheduler: Any) -> str:
    return OK if scheduler.running else DOWN


def with_hooks(configs: Configs) -> Configs:
    """The dispatch chain runs the features' after-orders, after-close and after-answer
    hooks without importing them."""
    hooks = tuple(h for f in FEATURES for h in f.after_orders(configs))
    closing = tuple(h for f in FEATURES for h in f.after_close(configs))
    answering = tuple(h for f in FEATURES for h in f.after_answer(configs))
    return replace(configs, dispatch=replace(configs.dispatch, after_orders=hooks,
                                             after_close=closing, after_answer=answering))


def make_pacer(settings: Settings, token: str) -> Pacer:
    """Telegram's limits belong to the token: with Redis, shared by every process of it;
    without, this process's own (one process)."""
    d = settings.delivery
    if settings.redis_url:
        from bot.pacing_shared import SharedPacer

        return SharedPacer.from_url(settings.redis_url, token, d.global_per_second,
                                    d.chat_per_second, d.group_per_minute)
    return LocalPacer(Limiter(d.global_per_second, d.chat_per_second, d.group_per_minute))


def build_app(settings: Settings, token: str, clock: Clock | None = None,
              leadership: Leadership | None = None) -> App:
    clock = clock or SystemClock()
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_sessionmaker(engine), clock)
    translator = Translator(settings.locale, settings.zone)
    configs = with_hooks(build_configs(settings))
    config = configs.mechanism
    d = settings.delivery
    pacer = make_pacer(settings, token)
    bot = make_bot(token, settings.api_url, settings.proxy)
    bot.session.middleware(PacingMiddleware(pacer))
    core_features = tuple(f.core for f in FEATURES)
    # On SQLite one process at most runs (the file lock): a restarted bot takes back its
    # chats at once instead of waiting for the old leases to end.
    owner = "sqlite" if not is_postgresql(settings.database_url) else None
    worker = DeliveryWorker(bot, uow, translator, clock, config, d, pacer,
                            failure_hooks(core_features), owner=owner)
    uow.listeners.append(worker.wake)
    courier = Courier(bot)
    context = ContextMiddleware(uow, translator, clock, configs, settings, courier, core_features)
    dp = make_dispatcher(context, make_storage(settings.redis_url))
    late = timedelta(seconds=settings.delivery.undelivered_flag_seconds)
    steps = [step for f in FEATURES for step in f.sweep_steps(configs)]
    # Serialized with any other process's sweep (a takeover's overlap): nothing fires twice.
    sweep = Sweep(serialized(uow), clock, config, late, steps, transient=is_transient)
    health = Health()
    health.watch("database", lambda: _answers(engine))
    metrics = Metrics(engine, clock, lambda: dialogs_in_progress(dp.storage, bot.id))
    worker.on_send = metrics.sent
    return App(settings, bot, engine, uow, dp, worker, translator, clock, config, configs, sweep,
               courier, health, metrics, leadership=leadership or Alone())


async def _answers(engine: AsyncEngine) -> str:
    await ping(engine)
    return OK
