"""Two bots in webhook mode on one database: Telegram (or a proxy retrying) may post the same
update to either; the inbox's unique update_id lets only one of them handle it."""

from __future__ import annotations

import asyncio

from bot.settings import Settings
from core.clock import ControllableClock
from demo.world import SandboxCounty
from sandbox import Sandbox
from tests.conftest import SETTINGS_ADMIN
from tests.webhook.helpers import inbox, post, private_text, running, with_webhook


def _url(settings: Settings) -> str:
    found = settings.webhook.url
    assert found is not None
    return found


async def test_the_same_update_posted_to_two_bots_is_handled_once(
        settings: Settings, sandbox: Sandbox, clock: ControllableClock,
        county: SandboxCounty) -> None:
    one, two = with_webhook(settings), with_webhook(settings)
    async with running(one, sandbox, clock) as first, running(two, sandbox, clock):
        await sandbox.send_message(SETTINGS_ADMIN, SETTINGS_ADMIN, "/start")  # opens the chat
        await sandbox.wait_for(SETTINGS_ADMIN, lambda m: True)
        for n in range(5):
            update = private_text(910_000 + n, SETTINGS_ADMIN, "/whoami")
            mark = sandbox.mark()
            statuses = await asyncio.gather(post(_url(one), update), post(_url(two), update),
                                            post(_url(two), update), post(_url(one), update))
            assert list(statuses) == [200] * 4  # each bot confirms: the update is stored
            await sandbox.wait_for(SETTINGS_ADMIN, lambda m: True, since=mark)
        await asyncio.sleep(0.5)  # room for a second answer, were there one
        replies = [m for m in sandbox.transcript(SETTINGS_ADMIN) if m["is_bot"]]
        assert len(replies) == 1 + 5, sandbox.format_transcript(SETTINGS_ADMIN)
        rows = dict(await inbox(first))
        assert all(rows[910_000 + n] for n in range(5))
