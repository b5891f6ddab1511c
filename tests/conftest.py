"""Shared fixtures: a sandbox Telegram, a real database, the example county, the real bot.

Set RESCUEBOT_TEST_POSTGRES to a DSN (postgresql+asyncpg://...) to run everything on
PostgreSQL instead of a SQLite file.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, build_app
from bot.registry_cli import import_file
from bot.settings import Settings, load_settings
from core.clock import ControllableClock
from demo.world import SandboxCounty, load_county
from sandbox import Sandbox
from tests.chain import UNITS, Chain

ROOT = Path(__file__).resolve().parent.parent
COUNTY = ROOT / "examples" / "county.yaml"
TOKEN = "7000001:TESTTOKEN"
SETTINGS_ADMIN = 990001  # an admin named in settings, not in the registry
REGISTRY_ADMIN = 100009  # the county IT officer, admin by the registry file
_PG_BASE = os.environ.get("RESCUEBOT_TEST_POSTGRES")
# Under pytest-xdist each worker has a database of its own (test_gw0, test_gw1, ...).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
PG = (make_url(_PG_BASE).set(database=f"{make_url(_PG_BASE).database}_{_WORKER}")
      .render_as_string(hide_password=False) if _PG_BASE and _WORKER else _PG_BASE)
_pg_ready = False


async def _create_worker_database() -> None:
    global _pg_ready
    if _pg_ready or not (_PG_BASE and _WORKER and PG):
        return
    engine = create_async_engine(_PG_BASE, isolation_level="AUTOCOMMIT")
    name = make_url(PG).database
    async with engine.connect() as conn:
        exists = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                   {"n": name})
        if not exists:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    _pg_ready = True


async def reset_postgres(dsn: str) -> None:
    await _create_worker_database()
    engine = create_async_engine(dsn)
    async with engine.begin() as conn:
        # An earlier test's bot may still hold a connection (a subprocess being killed, a task
        # being cancelled): its locks would deadlock the DROP below against its last writes.
        await conn.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    if PG:
        await reset_postgres(PG)
        return PG
    return f"sqlite+aiosqlite:///{tmp_path / 'rescuebot.db'}"


@pytest.fixture
def clock() -> ControllableClock:
    return ControllableClock()


async def started_sandbox(limits: bool) -> Sandbox:
    sb = Sandbox(limits=limits)
    await sb.start()
    sb.create_bot(TOKEN, "rescue_bot", "联调联战")
    return sb


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    sb = await started_sandbox(limits=False)
    yield sb
    await sb.stop()


@pytest.fixture
def settings(database_url: str, sandbox: Sandbox) -> Settings:
    return load_settings(
        token=TOKEN,
        api_url=sandbox.base_url,
        database_url=database_url,
        admins=[SETTINGS_ADMIN],
        sweep_seconds=0.1,
        delivery={"global_per_second": 1000, "chat_per_second": 100, "group_per_minute": 6000,
                  "poll_seconds": 0.05},
        # No monthly assessment to the bureau unless a test asks for it (tests/assessment):
        # the test clock starts on 2 November, past the default day.
        assess={"monthly_day": 0},
        # No stale-data or expiry reminders unless a test asks for them (tests/mydata): the
        # example county's data is months old on the test clock's first day.
        data={"reminders": False},
    )


@pytest.fixture
async def county(settings: Settings, sandbox: Sandbox, clock: ControllableClock) -> SandboxCounty:
    await import_file(settings, COUNTY, clock)
    world = SandboxCounty(sandbox, load_county(COUNTY), REGISTRY_ADMIN)
    world.add_people()
    sandbox.add_user(SETTINGS_ADMIN, "settings admin")
    return world


async def start_app(app: App, sandbox: Sandbox) -> asyncio.Task[None]:
    task = asyncio.create_task(app.run())
    bot = sandbox.bot(TOKEN)
    for _ in range(500):
        if sandbox.stats.calls.get("getUpdates", 0) > 0 or task.done():
            break
        await asyncio.sleep(0.01)
    if task.done():
        task.result()
    del bot
    return task


async def stop_app(app: App, task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    await app.close()


@pytest.fixture
async def app(
    settings: Settings, sandbox: Sandbox, clock: ControllableClock, county: SandboxCounty
) -> AsyncIterator[App]:
    application = build_app(settings, TOKEN, clock)
    task = await start_app(application, sandbox)
    yield application
    await stop_app(application, task)


@pytest.fixture
async def chain(app: App, county: SandboxCounty, sandbox: Sandbox) -> Chain:
    """The dispatch chain's groups bound: bureau, brigade, government, three departments and
    their forces."""
    await county.bind_all(list(UNITS))
    return Chain(county, sandbox, app)


@pytest.fixture
async def redirect_loop() -> AsyncIterator[str]:
    """A server that sends every request back to itself, as a misconfigured proxy did;
    aiohttp's TooManyRedirects then quotes the request's URL, token and all."""
    async def again(request: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect(str(request.url))

    server = web.Application()
    server.router.add_route("*", "/{tail:.*}", again)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()
