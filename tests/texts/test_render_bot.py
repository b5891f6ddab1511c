"""What people see of odd and long texts, through the real bot and the sandbox: names shown
literally, over-long titles refused with the limit named, a long /log arriving whole."""

from __future__ import annotations

import re

from sqlalchemy import func, select, update

from bot.app import App
from demo.world import SandboxCounty
from sandbox import Sandbox
from sandbox.html import parse_html
from storage.tables import UnitRow
from storage.tables_dispatch import IncidentRow
from tests.chain import Chain
from tests.conftest import SETTINGS_ADMIN

FORCES20 = (
    "f-town-chengguan", "f-town-shiqiao", "f-town-hekou", "f-town-longquan", "f-police",
    "f-natres", "f-housing", "f-water", "f-transport", "f-health", "f-emergency",
    "f-power-repair", "f-water-supply", "f-gas", "f-hazchem", "f-telecom-mobile",
    "f-telecom-unicom", "f-telecom-telecom", "f-rescue-mine", "f-rescue-hydro",
)


async def test_unit_names_with_markup_show_literally_in_admin_status(
        app: App, county: SandboxCounty, sandbox: Sandbox) -> None:
    odd = {"f-gas": "<b>x", "f-airfield": '<a href="http://e">x</a>'}
    async with app.uow() as uow:
        for code, name in odd.items():
            await uow.session.execute(update(UnitRow).where(UnitRow.code == code)
                                      .values(name=name))
        await uow.commit()
    await sandbox.send_message(SETTINGS_ADMIN, SETTINGS_ADMIN, "/status")
    reply = await sandbox.wait_for(SETTINGS_ADMIN, "f-gas")
    assert "• <b>x (f-gas)" in reply["text"] or "• <b>x（f-gas）" in reply["text"]
    assert '<a href="http://e">x</a>' in reply["text"]
    entities = parse_html(reply["html"]).entities
    assert not [e for e in entities if e["type"] in ("text_link", "bold")
                and reply["text"][e["offset"]:e["offset"] + e["length"]] == "x"]
    assert all(e.get("url") != "http://e" for e in entities)


async def test_an_overlong_title_is_refused_with_the_limit_named(chain: Chain) -> None:
    title = "长" * 5000
    reply = await chain.say("brigade", chain.dispatcher, f"/incident 一般 城关镇 {title}")
    assert "事件标题太长" in str(reply["text"]) and "最多 100 字" in str(reply["text"])
    async with chain.app.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(IncidentRow)) == 0
    longest = "长" * 100
    incident = await chain.incident(f"一般 城关镇 {longest}")
    for code in ("bureau", "brigade"):
        report = await chain.sb.wait_for(chain.chat(code), "【事件通报】", since=0)
        assert longest in report["text"] and f"#{incident}" in report["text"]


async def _answer_unable(chain: Chain, code: str, reason: str) -> None:
    member = chain.county.members(code)[-1]
    await chain.press(code, member, "无法出动", "【出动指令】")
    question = await chain.sb.wait_for(chain.chat(code), "无法出动的原因")
    sent = await chain.sb.send_message(chain.chat(code), member, reason,
                                       reply_to=question["message_id"])
    await chain.sb.wait_for(chain.chat(code), lambda m: m["reply_to"] == sent["message_id"])


async def test_log_of_twenty_forces_and_two_rounds_arrives_whole(
        app: App, county: SandboxCounty, sandbox: Sandbox) -> None:
    await county.bind_all(["bureau", "brigade", *FORCES20])
    chain = Chain(county, sandbox, app)
    incident = await chain.incident("较大 城关镇 " + "城关镇化工园区危化品仓库爆炸起火" * 5)
    for round_ in (1, 2):
        plan = await chain.plan(incident, forces=",".join(FORCES20), task=f"第{round_}轮处置")
        await chain.approve(plan)
    for code in FORCES20[:6]:
        await _answer_unable(chain, code, f"{code} 的装备正在检修，" + "人员与车辆均不足" * 50)
    await chain.settle()
    sent = await sandbox.send_message(chain.chat("brigade"), chain.dispatcher, f"/log {incident}")
    last = re.compile(r"^（续(\d+)/\1）")  # the last part says so
    await sandbox.wait_for(chain.chat("brigade"), lambda m: m["reply_to"] == sent["message_id"]
                           and last.match(m["text"]) is not None)
    parts = [m for m in sandbox.transcript(chain.chat("brigade"))
             if m["is_bot"] and m["reply_to"] == sent["message_id"]]
    assert len(parts) >= 2
    for k, part in enumerate(parts[1:], start=2):
        assert part["text"].startswith(f"（续{k}/{len(parts)}）")
    text = "".join(p["text"] for p in parts)
    assert all(len(p["text"]) <= 4096 and len(p["html"]) <= 4096 for p in parts)
    for code in FORCES20:
        assert county.unit(code).name in text, code
    assert "[order:" not in text and "[plan:" not in text and "order:" not in text
    assert "人员与车辆均不足" in text and text.count("下达指令") == 40
