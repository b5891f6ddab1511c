"""`python -m bot run --webhook` as a real process: killed with SIGKILL right after its 200,
the update is handled at the next start; started without its settings, it refuses in one line.
And the switch polling -> webhook -> polling, with an update waiting at Telegram in between."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from sqlalchemy import select

from bot.settings import Settings
from core.clock import ControllableClock
from demo.world import SandboxCounty
from sandbox import Sandbox
from sandbox.webhooks import Attempt
from storage.tables import InboxRow
from tests.conftest import REGISTRY_ADMIN, ROOT, TOKEN
from tests.delivery.test_crash import BotProcess
from tests.webhook.helpers import SECRET, free_port, running, until, with_webhook


class WebhookProcess(BotProcess):
    def __init__(self, sandbox: Sandbox, database_url: str, port: int) -> None:
        super().__init__(sandbox, database_url)
        self.env.update({
            "RESCUEBOT_WEBHOOK__URL": f"http://127.0.0.1:{port}/telegram",
            "RESCUEBOT_WEBHOOK__SECRET": SECRET,
            "RESCUEBOT_WEBHOOK__HOST": "127.0.0.1",
            "RESCUEBOT_WEBHOOK__PORT": str(port),
        })

    async def start(self, sandbox: Sandbox) -> None:
        bot = sandbox.bot(TOKEN)
        bot.webhook = None  # set again by this start: that is what is waited for
        sandbox.api.hooks.stop(TOKEN)
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook", cwd=ROOT, env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        await until(lambda: bot.webhook is not None, 60)


async def _row(database_url: str, update_id: int) -> tuple[bool, bool]:
    """(stored, handled) of one inbox row."""
    from storage.db import make_engine

    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            handled = (await conn.execute(select(InboxRow.handled_at)
                                          .where(InboxRow.update_id == update_id))).first()
    finally:
        await engine.dispose()
    return handled is not None, handled is not None and handled[0] is not None


async def _handled(database_url: str, update_id: int) -> bool:
    return (await _row(database_url, update_id))[1]


async def test_killed_right_after_its_200_the_update_is_handled_at_restart(
        sandbox: Sandbox, county: SandboxCounty, database_url: str) -> None:
    bot = WebhookProcess(sandbox, database_url, free_port())
    await bot.start(sandbox)
    killed: list[int] = []

    def kill_after_200(attempt: Attempt) -> None:
        if attempt.status == 200 and not killed and bot.proc is not None:
            os.kill(bot.proc.pid, signal.SIGKILL)  # at once: the bot has just said 200
            killed.append(attempt.update_id)

    try:
        sandbox.on_webhook_answer(kill_after_200)
        await sandbox.send_message(REGISTRY_ADMIN, REGISTRY_ADMIN, "/help")
        await until(lambda: killed, 30)
        assert bot.proc is not None
        await bot.proc.wait()
        await sandbox.wait_delivered(5)  # Telegram counts it delivered: it will not resend
        stored, handled_before = await _row(database_url, killed[0])
        assert stored  # in the inbox before the 200: the promise that matters
        await bot.start(sandbox)
        await until(lambda: _handled(database_url, killed[0]), 30)
        assert await _row(database_url, killed[0]) == (True, True)
        if not handled_before:  # the usual case: the kill beat the handler's commit
            await sandbox.wait_for(REGISTRY_ADMIN, lambda m: True, timeout=30)
        replies = [m for m in sandbox.transcript(REGISTRY_ADMIN) if m["is_bot"]]
        assert len(replies) <= 1
        assert [a.update_id for a in sandbox.webhook_attempts].count(killed[0]) == 1
    finally:
        await bot.stop()


async def test_webhook_without_its_settings_refuses_in_one_line(
        sandbox: Sandbox, database_url: str) -> None:
    env = BotProcess(sandbox, database_url).env
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--webhook", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 1
    lines = err.decode().strip().splitlines()
    assert lines == ["run --webhook needs RESCUEBOT_WEBHOOK__URL and RESCUEBOT_WEBHOOK__SECRET "
                     "(the public https URL Telegram posts to, and a secret of 1-256 letters, "
                     "digits, _ or -)"], lines
    assert "Traceback" not in err.decode()


async def test_switching_polling_webhook_polling(settings: Settings, sandbox: Sandbox,
                                                 clock: ControllableClock,
                                                 county: SandboxCounty) -> None:
    who = REGISTRY_ADMIN
    tg = sandbox.bot(TOKEN)
    async with running(settings, sandbox, clock, webhook=False):
        await sandbox.send_message(who, who, "/help")
        await sandbox.wait_for(who, lambda m: True)
        assert tg.webhook is None
    polled = sandbox.stats.calls["getUpdates"]
    hooked = with_webhook(settings)
    async with running(hooked, sandbox, clock):
        assert tg.webhook is not None and tg.webhook["url"] == hooked.webhook.url
        await sandbox.send_message(who, who, "/whoami")
        await sandbox.wait_for(who, lambda m: True)
        await sandbox.wait_delivered(5)
        assert sandbox.stats.calls["getUpdates"] == polled  # received, not polled
    # Nobody runs; the webhook is still set at Telegram, which keeps this update meanwhile.
    sandbox.webhook_policy.max_retry = 0.2
    await sandbox.send_message(who, who, "/help")
    await until(lambda: any(a.status == 0 for a in sandbox.webhook_attempts), 10)
    async with running(settings, sandbox, clock, webhook=False):
        await sandbox.wait_for(who, lambda m: True, timeout=20)  # polled once deleted
        assert tg.webhook is None
        assert sandbox.stats.calls["deleteWebhook"] >= 2
        await sandbox.wait_delivered(5)
    replies = [m for m in sandbox.transcript(who) if m["is_bot"]]
    assert len(replies) == 3, sandbox.format_transcript(who)
