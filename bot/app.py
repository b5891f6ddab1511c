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
from bot.dialog_store import make_storage
from bot.features import BotFeature
from bot.handlers import (
    afteraction,
    assessment,
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
from bot.i18n import Translator
from bot.pacing import Limiter, PacingMiddleware
from bot.polling import DurablePoller
from bot.replies import Courier
from bot.session import TelegramSession
from bot.settings import LOCALES, Settings
from core.clock import Clock, SystemClock
from core.config import MechanismConfig
from core.feature import failure_hooks
from scheduler.jobs import Sweep
from scheduler.setup import make_scheduler
from storage import migrate
from storage.db import is_transient, make_engine, make_sessionmaker
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
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    async def run(self) -> None:
        """Poll, deliver and sweep until cancelled."""
        await migrate.upgrade(self.engine)
        await self._set_commands()
        scheduler = make_scheduler(self.sweep, self.settings.sweep_seconds, self.settings.zone)
        scheduler.start()
        poller = DurablePoller(self.dp, self.bot, self.uow, self.clock)
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(_logged(self.worker.run()), name="delivery")
                group.create_task(_logged(poller.run()), name="polling")
        finally:
            scheduler.pause()
            with contextlib.suppress(TimeoutError):
                await self.sweep.finish()
            scheduler.shutdown(wait=False)
            await self.courier.drain()

    async def _set_commands(self) -> None:
        with contextlib.suppress(Exception):  # a menu is a comfort, not a duty
            for locale in LOCALES:
                commands = [BotCommand(command=c, description=self.translator(locale, f"menu.{c}"))
                            for c in ("help", "status", "whoami", "lang", "bind")]
                lang = None if locale == self.settings.locale else locale[:2]
                await self.bot.set_my_commands(commands, language_code=lang)

    async def close(self) -> None:
        await self.dp.storage.close()
        await self.bot.session.close()
        await self.engine.dispose()


def with_hooks(configs: Configs) -> Configs:
    """The dispatch chain runs the features' after-orders and after-close hooks without
    importing them."""
    hooks = tuple(h for f in FEATURES for h in f.after_orders(configs))
    closing = tuple(h for f in FEATURES for h in f.after_close(configs))
    return replace(configs, dispatch=replace(configs.dispatch, after_orders=hooks,
                                             after_close=closing))


def build_app(settings: Settings, token: str, clock: Clock | None = None) -> App:
    clock = clock or SystemClock()
    engine = make_engine(settings.database_url)
    uow = UnitOfWorkFactory(make_sessionmaker(engine), clock)
    translator = Translator(settings.locale, settings.zone)
    configs = with_hooks(build_configs(settings))
    config = configs.mechanism
    d = settings.delivery
    limiter = Limiter(d.global_per_second, d.chat_per_second, d.group_per_minute)
    bot = make_bot(token, settings.api_url, settings.proxy)
    bot.session.middleware(PacingMiddleware(limiter))
    core_features = tuple(f.core for f in FEATURES)
    worker = DeliveryWorker(bot, uow, translator, clock, config, d, limiter,
                            failure_hooks(core_features))
    uow.listeners.append(worker.wake)
    courier = Courier(bot)
    context = ContextMiddleware(uow, translator, clock, configs, settings, courier, core_features)
    dp = make_dispatcher(context, make_storage(settings.redis_url))
    late = timedelta(seconds=settings.delivery.undelivered_flag_seconds)
    steps = [step for f in FEATURES for step in f.sweep_steps(configs)]
    sweep = Sweep(uow, clock, config, late, steps, transient=is_transient)
    return App(settings, bot, engine, uow, dp, worker, translator, clock, config, configs, sweep,
               courier)
