"""`run --webhook`: the sandbox posts updates as Telegram does; the bot stores each in the inbox
before its 200, refuses a wrong secret and a body that is no update, and handles a
redelivered update once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.settings import Settings
from bot.webhook import WebhookIntake
from core.clock import ControllableClock
from demo.world import SandboxCounty
from sandbox import Sandbox
from tests.conftest import SETTINGS_ADMIN, TOKEN
from tests.registry_upload.test_upload_flow import _changed
from tests.webhook.helpers import (
    inbox,
    inbox_count,
    post,
    private_text,
    running,
    with_webhook,
)


@pytest.fixture
async def hooked(settings: Settings, sandbox: Sandbox, clock: ControllableClock,
                 county: SandboxCounty) -> AsyncIterator[App]:
    async with running(with_webhook(settings), sandbox, clock) as app:
        yield app


def url(app: App) -> str:
    found = app.settings.webhook.url
    assert found is not None
    return found


async def test_a_command_and_a_tap_reach_the_bot_and_are_answered(
        hooked: App, sandbox: Sandbox, county: SandboxCounty) -> None:
    bot = sandbox.bot(TOKEN)
    assert bot.webhook is not None and bot.webhook["url"] == url(hooked)
    assert bot.webhook["secret_token"] == hooked.settings.webhook.secret.get_secret_value()  # type: ignore[union-attr]
    assert "callback_query" in bot.webhook["allowed_updates"]
    gid = await county.bind("f-gas")  # /bind, posted to the webhook
    member = county.members("f-gas")[0]
    await sandbox.send_message(gid, member, "/status")
    await sandbox.wait_for(gid, "f-gas")
    preview = await sandbox.send_document(SETTINGS_ADMIN, SETTINGS_ADMIN, _changed(),
                                          "county.yaml")
    await sandbox.wait_for(SETTINGS_ADMIN, lambda m: m["reply_to"] == preview["message_id"])
    cq = await sandbox.press_button(SETTINGS_ADMIN, SETTINGS_ADMIN, "取消")
    assert "已取消" in str((await sandbox.wait_callback_answer(cq))["text"])
    await sandbox.wait_delivered(10)
    assert sandbox.stats.calls.get("getUpdates", 0) == 0  # nothing was polled
    assert {a.status for a in sandbox.webhook_attempts} == {200}
    rows = await inbox(hooked)
    assert rows and all(handled for _, handled in rows)
    assert len(rows) == len(sandbox.webhook_attempts)


async def test_a_wrong_or_missing_secret_is_401_and_changes_nothing(hooked: App) -> None:
    before = await inbox(hooked)
    update = private_text(900_001, SETTINGS_ADMIN, "/help")
    assert await post(url(hooked), update, secret="not-the-secret") == 401
    assert await post(url(hooked), update, secret=None) == 401
    assert await inbox(hooked) == before


async def test_a_body_that_is_no_update_is_400(hooked: App) -> None:
    before = await inbox(hooked)
    assert await post(url(hooked), b"{not json") == 400
    assert await post(url(hooked), b"[1, 2]") == 400
    assert await post(url(hooked), {"message": {"text": "no update_id"}}) == 400
    assert await post(url(hooked), {"update_id": 5, "message": {"text": "no chat"}}) == 400
    assert await inbox(hooked) == before


async def test_the_same_update_posted_twice_is_handled_once(
        hooked: App, sandbox: Sandbox) -> None:
    await sandbox.send_message(SETTINGS_ADMIN, SETTINGS_ADMIN, "/start")  # opens the chat
    await sandbox.wait_for(SETTINGS_ADMIN, lambda m: True)
    update = private_text(900_002, SETTINGS_ADMIN, "/whoami")
    mark = sandbox.mark()
    statuses = await asyncio.gather(*(post(url(hooked), update) for _ in range(4)))
    assert statuses == [200] * 4  # a redelivery is confirmed, not refused
    await sandbox.wait_for(SETTINGS_ADMIN, lambda m: True, since=mark)
    await asyncio.sleep(0.3)  # room for a second answer, were there one
    assert await post(url(hooked), update) == 200  # again, long after: still once
    await asyncio.sleep(0.3)
    replies = [m for m in sandbox.transcript(SETTINGS_ADMIN) if m["is_bot"]]
    assert len(replies) == 2, sandbox.format_transcript(SETTINGS_ADMIN)  # /start's, /whoami's
    assert (900_002, True) in await inbox(hooked)


async def test_a_busy_database_is_503_and_telegram_posts_again(
        hooked: App, sandbox: Sandbox, county: SandboxCounty,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.webhook.dbfaults import database_held

    sandbox.webhook_policy.first_retry = 0.2
    before = await inbox_count(hooked)
    intake = hooked.intake
    assert isinstance(intake, WebhookIntake)
    intake.store_seconds = 0.5
    async with database_held(hooked.settings.database_url):
        mark = sandbox.mark()
        await sandbox.send_message(SETTINGS_ADMIN, SETTINGS_ADMIN, "/help")
        for _ in range(200):
            if any(a.status == 503 for a in sandbox.webhook_attempts):
                break
            await asyncio.sleep(0.05)
        assert [a.status for a in sandbox.webhook_attempts][-1:] == [503]
    await sandbox.wait_delivered(20)
    await sandbox.wait_for(SETTINGS_ADMIN, lambda m: True, since=mark, timeout=20)
    assert await inbox_count(hooked) == before + 1
