"""The real bot in webhook mode, its updates posted by the sandbox as Telegram posts them."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.settings import Settings
from core.clock import Clock
from sandbox import Sandbox
from storage.tables import InboxRow
from tests.conftest import TOKEN

SECRET = "webhook-secret_1"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def with_webhook(settings: Settings, port: int | None = None, **metrics: Any) -> Settings:
    port = port or free_port()
    hook = settings.webhook.model_copy(update={
        "url": f"http://127.0.0.1:{port}/telegram", "host": "127.0.0.1", "port": port,
        "secret": SecretStr(SECRET)})
    changes: dict[str, Any] = {"webhook": hook}
    if metrics:
        changes["metrics"] = settings.metrics.model_copy(update=metrics)
    return settings.model_copy(update=changes)


async def until(probe: Any, within: float = 30.0) -> None:
    for _ in range(int(within / 0.02)):
        value = probe()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached in time")


async def start_webhook_app(app: App, sandbox: Sandbox) -> asyncio.Task[None]:
    """Run the app with --webhook until the sandbox holds its webhook."""
    task = asyncio.create_task(app.run(webhook=True))
    bot = sandbox.bot(TOKEN)
    await until(lambda: bot.webhook is not None or task.done(), 30)
    if task.done():
        task.result()
    return task


async def stop(app: App, task: asyncio.Task[None], close: bool = True) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    if close:
        await app.close()


@contextlib.asynccontextmanager
async def running(settings: Settings, sandbox: Sandbox, clock: Clock,
                  webhook: bool = True) -> AsyncIterator[App]:
    from tests.conftest import start_app

    app = build_app(settings, TOKEN, clock)
    task = await (start_webhook_app(app, sandbox) if webhook else start_app(app, sandbox))
    try:
        yield app
    finally:
        await stop(app, task)


async def post(url: str, body: bytes | dict[str, Any], secret: str | None = SECRET
               ) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with aiohttp.ClientSession() as session:
        if isinstance(body, dict):
            async with session.post(url, json=body, headers=headers) as r:
                return r.status
        async with session.post(url, data=body, headers=headers) as r:
            return r.status


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as r:
        return r.status, await r.text()


async def inbox(app: App) -> list[tuple[int, bool]]:
    """(update_id, handled) of every inbox row."""
    async with app.uow() as uow:
        rows = await uow.session.execute(
            select(InboxRow.update_id, InboxRow.handled_at).order_by(InboxRow.update_id))
        return [(int(i), h is not None) for i, h in rows]


async def inbox_count(app: App) -> int:
    async with app.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(InboxRow)) or 0)


def private_text(update_id: int, user: int, text: str) -> dict[str, Any]:
    """An update as Telegram would post it: a person's text in their private chat."""
    person = {"id": user, "is_bot": False, "first_name": "x"}
    entities = ([{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
                if text.startswith("/") else [])
    return {"update_id": update_id, "message": {
        "message_id": 10_000 + update_id, "date": 1_790_000_000, "text": text,
        "chat": {"id": user, "type": "private", "first_name": "x"}, "from": person,
        **({"entities": entities} if entities else {})}}
