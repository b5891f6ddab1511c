"""A plan of 200 forces: the traffic-support notice stays one message within Telegram's 4,096
characters, naming the first forces and counting the rest with their vehicles."""

from __future__ import annotations

import re

import pytest

from bot.app import App
from bot.settings import Settings
from core.clock import ControllableClock
from core.registry import ForceCategory, Item, Unit, UnitKind
from demo.world import SandboxCounty
from sandbox import Sandbox
from tests.conftest import TOKEN
from tests.dispatch.test_big_plan import submit
from tests.traffic.test_traffic_flow import HEAD

FORCES = 200
MEMBER = 870000


@pytest.fixture
def settings(settings: Settings) -> Settings:
    dispatch = settings.dispatch.model_copy(update={"escalate_t1_seconds": 3600,
                                                    "escalate_t2_seconds": 7200})
    return settings.model_copy(update={"dispatch": dispatch})


async def add_forces(app: App, sandbox: Sandbox) -> None:
    """Forces with long names and three kinds of vehicles each, bound long ago."""
    chats = []
    for i in range(FORCES):
        sandbox.add_user(MEMBER + i, f"队员{i}")
        chats.append(sandbox.create_group(f"大力量{i}", [MEMBER + i]))
        sandbox.add_bot_to_group(chats[-1], by_user=MEMBER + i)
    sandbox.bot(TOKEN).updates.clear()
    async with app.uow() as uow:
        for i, gid in enumerate(chats):
            await uow.units.add(Unit(
                f"big-{i}", UnitKind.FORCE, f"青川县城关镇社区应急救援志愿服务队第{i}分队",
                category=ForceCategory.SOCIAL, township="城关镇", chat_id=gid,
                equipment=(Item("抢险救援车", 2), Item("橡皮艇", 1), Item("对讲机", 10))))
        await uow.commit()


async def test_two_hundred_forces_fit_one_message(app: App, county: SandboxCounty,
                                                  sandbox: Sandbox,
                                                  clock: ControllableClock) -> None:
    await county.bind_all(["bureau", "brigade", "dept-police"])
    await add_forces(app, sandbox)
    brigade, dispatcher = county.chats["brigade"], county.person("brigade", "dispatcher")
    await sandbox.send_message(brigade, dispatcher, "/incident 一般 城关镇 特大山洪")
    found = re.search(r"#(\d+)", (await sandbox.wait_for(brigade, "已登记事件"))["text"])
    assert found
    plan = await submit(app, county, clock, int(found.group(1)), FORCES)
    assert plan
    # The card is long: its last part, with the buttons, names the last force.
    await sandbox.wait_for(county.chats["bureau"], f"第{FORCES - 1}分队", timeout=120, since=0)
    cq = await sandbox.press_button(county.chats["bureau"], county.person("bureau", "approver"),
                                    "批准")
    assert "批准" in str((await sandbox.wait_callback_answer(cq, timeout=120))["text"])
    police = county.chats["dept-police"]
    notice = await sandbox.wait_for(police, HEAD, timeout=120, since=0)
    texts = [t for t in sandbox.bot_texts(police) if HEAD in t]
    assert len(texts) == 1 and len(notice["text"]) <= 4096, len(notice["text"])
    text = notice["text"]
    assert f"{FORCES} 支力量" in text and "登记车辆共 600 台" in text
    assert "第0分队：抢险救援车×2、橡皮艇×1" in text and "对讲机" not in text
    assert "另有 170 支力量，登记车辆 510 台" in text and "第199分队" not in text
    assert notice["buttons"] == [["已安排", "需协调"]]
