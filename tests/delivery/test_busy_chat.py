"""One busy chat never stalls another, with Telegram's real limits on in the sandbox and the bot.

The brigade's group is pushed past its 20-messages-a-minute limit by a dispatcher's /status
commands; a force's tap in its own group must be answered and committed while those answers
still wait for their slots."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.registry_cli import import_file
from bot.settings import Settings, load_settings
from core.clock import ControllableClock
from demo.world import SandboxCounty, load_county
from sandbox import Sandbox
from storage.tables_alerts import RollCallAnswerRow
from tests.conftest import COUNTY, REGISTRY_ADMIN, TOKEN, start_app, started_sandbox, stop_app

STATUS_ASKS = 25  # past the group's 20 a minute


@pytest.fixture
async def limited() -> AsyncIterator[Sandbox]:
    sb = await started_sandbox(limits=True)
    yield sb
    await sb.stop()


@pytest.fixture
def real_limits(database_url: str, limited: Sandbox) -> Settings:
    # Telegram's own limits (the defaults), not the generous ones of the other tests.
    return load_settings(token=TOKEN, api_url=limited.base_url, database_url=database_url,
                         sweep_seconds=0.2, delivery={"poll_seconds": 0.05})


@pytest.fixture
async def busy_app(real_limits: Settings, limited: Sandbox,
                   clock: ControllableClock) -> AsyncIterator[tuple[App, SandboxCounty]]:
    await import_file(real_limits, COUNTY, clock)
    county = SandboxCounty(limited, load_county(COUNTY), REGISTRY_ADMIN)
    county.add_people()
    app = build_app(real_limits, TOKEN, clock)
    task = await start_app(app, limited)
    yield app, county
    await stop_app(app, task)


def bot_messages(sb: Sandbox, chat: int) -> int:
    return sum(1 for m in sb.transcript(chat) if m["is_bot"])


async def test_a_tap_is_answered_while_the_brigade_group_waits(
        busy_app: tuple[App, SandboxCounty], limited: Sandbox) -> None:
    app, county = busy_app
    sb = limited
    chats = await county.bind_all(["brigade", "f-water"])
    brigade, force = chats["brigade"], chats["f-water"]
    dispatcher = county.person("brigade", "dispatcher")
    await sb.send_message(brigade, dispatcher, "/rollcall force:f-water")
    await sb.wait_for(force, "【值班点名】", since=0, timeout=30)

    before = bot_messages(sb, brigade)
    for _ in range(STATUS_ASKS):
        await sb.send_message(brigade, dispatcher, "/status")
    duty = county.person("f-water", "duty_officer")
    cq = await sb.press_button(force, duty, "在岗")
    answer = await sb.wait_callback_answer(cq, timeout=10)

    # The force's answer came while most /status answers were still waiting for the group.
    assert "按时" in answer["text"]
    assert bot_messages(sb, brigade) - before < STATUS_ASKS
    async with app.uow() as uow:
        on_time = (await uow.session.scalars(select(RollCallAnswerRow.on_time).where(
            RollCallAnswerRow.answered_by == duty))).one()
    assert on_time
    # Every /status is handled in a moment; only its answer waits for the group's slots.
    for _ in range(200):
        async with app.uow() as uow:
            if not await uow.inbox.pending(10):
                break
        await asyncio.sleep(0.05)
    assert bot_messages(sb, brigade) - before < STATUS_ASKS
