"""A /dispatch dialog outlives its process: started on one bot, which is killed with SIGKILL,
and finished on a second bot on the same PostgreSQL and Redis (bot/dialog_store.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.dialog_store import dialogs_in_progress, make_storage
from bot.registry_cli import import_file
from bot.settings import load_settings
from core.clock import ControllableClock
from demo.world import SandboxCounty, load_county
from sandbox import Sandbox
from storage.db import make_engine, make_sessionmaker
from storage.tables_dispatch import PlanRow
from storage.uow import UnitOfWorkFactory
from tests.chain import PLAN_RE, UNITS
from tests.conftest import COUNTY, REGISTRY_ADMIN, TOKEN
from tests.ops.helpers import POSTGRES, REDIS, RunningBot

pytestmark = pytest.mark.skipif(
    not (POSTGRES and REDIS),
    reason="needs RESCUEBOT_TEST_POSTGRES and RESCUEBOT_TEST_REDIS (a dialog kept in Redis, "
           "two bot processes on one PostgreSQL); .ci/run sets both")
BOT_ID = TOKEN.split(":")[0]


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    from redis.asyncio import Redis

    assert REDIS is not None
    client = Redis.from_url(REDIS)
    # Only this bot's dialog keys: the database may be shared with other tests.
    async for key in client.scan_iter(match=f"rescuebot:fsm:{BOT_ID}:*"):
        await client.delete(key)
    await client.aclose()
    yield REDIS


async def in_progress(redis_url: str) -> int:
    storage = make_storage(redis_url)
    try:
        return await dialogs_in_progress(storage, int(BOT_ID))
    finally:
        await storage.close()


async def test_dialog_started_on_a_killed_process_is_finished_on_another(
        sandbox: Sandbox, database_url: str, redis_url: str, tmp_path: Path) -> None:
    assert database_url.startswith("postgresql")
    settings = load_settings(token=TOKEN, api_url=sandbox.base_url, database_url=database_url)
    await import_file(settings, COUNTY, ControllableClock())
    county = SandboxCounty(sandbox, load_county(COUNTY), REGISTRY_ADMIN)
    county.add_people()
    log = tmp_path / "bots.log"
    first = RunningBot(sandbox, database_url, log, RESCUEBOT_REDIS_URL=redis_url)
    second = RunningBot(sandbox, database_url, log, RESCUEBOT_REDIS_URL=redis_url)
    sb = sandbox
    try:
        await first.start()
        await county.bind_all(list(UNITS))
        brigade = county.chats["brigade"]
        me = county.person("brigade", "dispatcher")
        opened = await sb.send_message(brigade, me, "/incident 一般 城关镇 城关镇化工厂火灾")
        reply = await sb.wait_for(brigade, lambda m: m["reply_to"] == opened["message_id"])
        incident = PLAN_RE.search(str(reply["text"])).group(1)  # type: ignore[union-attr]
        await sb.send_message(brigade, me, "/dispatch")
        menu = await sb.wait_for(brigade, "第 1 步")
        await sb.press_button(brigade, me, f"#{incident} 城关镇化工厂火灾",
                              message_id=menu["message_id"])
        await sb.wait_for(brigade, "第 2 步")
        await sb.press_button(brigade, me, "政府", message_id=menu["message_id"])
        await sb.wait_for(brigade, "类力量")
        await sb.press_button(brigade, me, "☐ 青川县公安局特警大队", message_id=menu["message_id"])
        await sb.wait_for(brigade, lambda m: any("☑ 青川县公安局特警大队" in b
                                                 for row in m["buttons"] for b in row))

        # Mid-dialog: incident, category and a force chosen, the choice shown. (Not after a
        # question: its message id is written to the dialog only once the question is sent,
        # so a kill between the two would leave a reply to it unmatched.)
        await first.kill()
        assert await in_progress(redis_url) == 1  # the dialog is in Redis, not in the dead bot
        await second.start()

        await sb.press_button(brigade, me, "完成（已选 1）", message_id=menu["message_id"])
        ask = await sb.wait_for(brigade, "第 3 步", timeout=30)
        await sb.send_message(brigade, me, "封控化工厂周边道路", reply_to=ask["message_id"])
        ask = await sb.wait_for(brigade, "第 4 步")
        await sb.send_message(brigade, me, "城关镇政府广场", reply_to=ask["message_id"])
        confirm = await sb.wait_for(brigade, "确认调用方案")
        await sb.press_button(brigade, me, "提交审批", message_id=confirm["message_id"])
        await sb.wait_for(brigade, "已提交")
        bureau = county.chats["bureau"]
        await sb.wait_for(bureau, "待审批", since=0)
        cq = await sb.press_button(bureau, county.person("bureau", "approver"), "批准",
                                   text_contains="待审批")
        assert "批准" in str((await sb.wait_callback_answer(cq))["text"])
        order = await sb.wait_for(county.chats["f-police"], "【出动指令】", since=0, timeout=30)
        assert await in_progress(redis_url) == 0  # submitted: the dialog is over
    finally:
        await first.stop()
        await second.stop()
    assert "封控化工厂周边道路" in order["text"]
    engine = make_engine(database_url)
    uow = UnitOfWorkFactory(make_sessionmaker(engine), ControllableClock())
    async with uow() as u:
        plans = [(p.status, p.rendezvous, p.task)
                 for p in await u.session.scalars(select(PlanRow))]
    await engine.dispose()
    assert len(plans) == 1 and plans[0][1:] == ("城关镇政府广场", "封控化工厂周边道路")
    assert plans[0][0] not in ("draft", "awaiting_approval"), plans
