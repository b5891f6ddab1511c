"""`python -m bot check` against the sandbox: one line per check, ✓ or ✗, exit 1 on any ✗."""

from __future__ import annotations

import socket
from pathlib import Path

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from sandbox import Sandbox
from tests.conftest import TOKEN
from tests.ops.helpers import console


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(sandbox: Sandbox, tmp_path: Path, **more: str) -> dict[str, str]:
    return {"RESCUEBOT_TOKEN": TOKEN, "RESCUEBOT_API_URL": sandbox.base_url,
            "RESCUEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", **more}


def by_name(out: str) -> dict[str, str]:
    lines = out.strip().splitlines()
    assert all(line[:2] in ("✓ ", "✗ ") for line in lines), out
    return {line[2:].split(":", 1)[0]: line for line in lines}


async def test_a_ready_installation_passes_every_check(sandbox: Sandbox, tmp_path: Path) -> None:
    env = env_for(sandbox, tmp_path)
    code, out, _ = await console("check", env=env)
    lines = by_name(out)
    assert code == 1 and lines["migrations"].startswith("✗ migrations: at none applied")
    assert "python -m bot migrate" in lines["migrations"]
    assert (await console("migrate", env=env))[0] == 0
    code, out, err = await console("check", env=env)
    lines = by_name(out)
    assert code == 0, out + err
    assert list(lines) == ["settings", "database", "migrations", "token", "webhook", "redis"]
    assert all(line.startswith("✓") for line in lines.values())
    assert "@rescue_bot (id 7000001)" in lines["token"]
    assert lines["webhook"] == "✓ webhook: none; polling works"
    assert "not set" in lines["redis"]
    assert TOKEN.split(":")[1] not in out + err


async def test_a_webhook_left_set_is_named(sandbox: Sandbox, tmp_path: Path) -> None:
    env = env_for(sandbox, tmp_path)
    await console("migrate", env=env)
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(sandbox.base_url)))
    await bot.set_webhook("https://bot.example.org/telegram")
    await bot.session.close()
    code, out, _ = await console("check", env=env)
    webhook = by_name(out)["webhook"]
    assert code == 0
    assert webhook.startswith("✓ webhook: https://bot.example.org/telegram (0 updates pending)")
    assert "without --webhook removes it" in webhook


async def test_each_failure_is_one_line_and_exit_1(sandbox: Sandbox, tmp_path: Path) -> None:
    port = closed_port()
    env = env_for(sandbox, tmp_path, RESCUEBOT_TOKEN="7000002:UNKNOWNSECRET",
                  RESCUEBOT_REDIS_URL=f"redis://:hunter2@127.0.0.1:{port}/0",
                  RESCUEBOT_DATABASE_URL=f"postgresql+asyncpg://u:pw@127.0.0.1:{port}/x")
    code, out, err = await console("check", env=env)
    lines = by_name(out)
    assert code == 1
    assert lines["settings"].startswith("✓")
    assert lines["database"].startswith("✗ database: postgresql+asyncpg://u:***@127.0.0.1")
    assert lines["migrations"] == "✗ migrations: not checked: the database does not answer"
    assert lines["token"].startswith("✗ token: refused by Telegram (401 Unauthorized)")
    assert lines["webhook"] == "✗ webhook: not checked: the token was refused"
    assert lines["redis"].startswith(f"✗ redis: redis://:***@127.0.0.1:{port}/0: ")
    for secret in ("UNKNOWNSECRET", "hunter2", ":pw@"):
        assert secret not in out + err


async def test_telegram_unreachable_and_bad_settings(tmp_path: Path) -> None:
    port = closed_port()
    env = {"RESCUEBOT_TOKEN": TOKEN, "RESCUEBOT_API_URL": f"http://127.0.0.1:{port}",
           "RESCUEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"}
    code, out, _ = await console("check", env=env)
    lines = by_name(out)
    assert code == 1
    assert lines["token"].startswith(f"✗ token: getMe at http://127.0.0.1:{port} failed: ")
    assert lines["webhook"].startswith("✗ webhook: not checked")
    code, out, _ = await console("check", env={**env, "RESCUEBOT_ADMINS": "12a"})
    assert code == 1
    assert out.strip() == ("✗ settings: setting RESCUEBOT_ADMINS: '12a' is not a Telegram "
                           "user id (digits only)")


async def test_a_server_without_webhooks_counts_as_none(sandbox: Sandbox,
                                                        tmp_path: Path) -> None:
    env = env_for(sandbox, tmp_path)
    await console("migrate", env=env)
    sandbox.faults.fail_next(1, status=404, method="getWebhookInfo")
    code, out, _ = await console("check", env=env)
    assert code == 0, out
    assert by_name(out)["webhook"] == ("✓ webhook: none (the server has no getWebhookInfo); "
                                       "polling works")
