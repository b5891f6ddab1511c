"""Start checks: the database answers, Telegram takes the token; each failure is one line.

Seen before: an unreachable database or a missing PostgreSQL database gave a 174-line traceback;
a wrong token made the bot retry getUpdates forever.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy.engine import make_url

from bot.app import make_bot
from bot.cli import main
from bot.preflight import StartRefused, check_token
from bot.settings import load_settings
from sandbox import Sandbox
from tests.conftest import PG, TOKEN


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RESCUEBOT_TOKEN", TOKEN)
    monkeypatch.setenv("RESCUEBOT_LOG_LEVEL", "WARNING")
    return monkeypatch


def one_line_exit(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


@pytest.mark.parametrize("command", [["run"], ["migrate"], ["invite", "f-x"]])
def test_an_unreachable_database_is_one_line(env: pytest.MonkeyPatch, command: list[str],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    env.setenv("RESCUEBOT_DATABASE_URL", "postgresql+asyncpg://rescue:hunter22@127.0.0.1:1/x")
    line = one_line_exit(command, capsys)
    assert line.startswith("database postgresql+asyncpg://rescue:***@127.0.0.1:1/x: ")
    assert "Connect call failed" in line
    assert "hunter22" not in line


def test_a_sqlite_file_that_cannot_be_made_is_one_line(
        env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    env.setenv("RESCUEBOT_DATABASE_URL", "sqlite+aiosqlite:////proc/rescuebot/county.db")
    line = one_line_exit(["run"], capsys)
    assert line.startswith("database sqlite+aiosqlite:////proc/rescuebot/county.db: ")


@pytest.mark.skipif(not PG, reason="needs RESCUEBOT_TEST_POSTGRES")
def test_a_missing_postgres_database_is_one_line(
        env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert PG is not None
    missing = make_url(PG).set(database="rescuebot_no_such_db").render_as_string(False)
    env.setenv("RESCUEBOT_DATABASE_URL", missing)
    line = one_line_exit(["registry", "import", "county.yaml"], capsys)
    assert 'database "rescuebot_no_such_db" does not exist' in line


async def test_a_refused_token_stops_the_start(
        env: pytest.MonkeyPatch, sandbox: Sandbox, database_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    env.setenv("RESCUEBOT_TOKEN", "7000001:WRONG")
    env.setenv("RESCUEBOT_API_URL", sandbox.base_url)
    env.setenv("RESCUEBOT_DATABASE_URL", database_url)
    # main() runs its own event loop; the sandbox serves from this one.
    line = await asyncio.to_thread(one_line_exit, ["run"], capsys)
    assert line.startswith("the token was refused by Telegram")
    assert sandbox.stats.calls.get("getUpdates", 0) == 0
    assert "WRONG" not in line


async def test_an_unreachable_telegram_is_retried_with_a_line_each_time(
        caplog: pytest.LogCaptureFixture) -> None:
    settings = load_settings(token=TOKEN, api_url="http://127.0.0.1:1")
    bot = make_bot(TOKEN, settings.api_url)
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 8:
            raise asyncio.CancelledError

    caplog.set_level(logging.WARNING)
    with pytest.raises(asyncio.CancelledError):
        await check_token(bot, settings, sleep=pause)
    await bot.session.close()
    assert pauses == [1, 2, 4, 8, 16, 32, 60, 60]
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.preflight"]
    assert len(lines) == 8
    assert all(line.startswith("cannot reach Telegram at http://127.0.0.1:1 (") for line in lines)


@pytest.mark.parametrize(("status", "said"), [(404, "answered 404 to getMe"),
                                              (200, "is not a Bot API server")])
async def test_a_server_that_is_no_bot_api_stops_the_start(status: int, said: str) -> None:
    async def page(request: web.Request) -> web.Response:
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"},
                                 status=404) if status == 404 else web.Response(text="<html>")

    server = web.Application()
    server.router.add_route("*", "/{tail:.*}", page)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    settings = load_settings(token=TOKEN, api_url=f"http://127.0.0.1:{port}")
    bot = make_bot(TOKEN, settings.api_url)
    try:
        with pytest.raises(StartRefused) as refused:
            await check_token(bot, settings)
    finally:
        await bot.session.close()
        await runner.cleanup()
    assert said in refused.value.message
