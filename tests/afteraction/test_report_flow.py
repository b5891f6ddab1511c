"""The after-action report through the sandbox: /close builds it and sends it to the county
government, the bureau and the brigade as a Word document; /report <incident> asks for it at
any time; the document's sections, forces' table, timeline and drill mark."""

from __future__ import annotations

import io
from datetime import timedelta

from docx import Document
from sqlalchemy import select

from bot.views.afteraction import build_report
from core.clock import ControllableClock
from storage.tables_afteraction import ReportVersionRow
from storage.tables_dispatch import OrderRow
from tests.afteraction.helpers import cover, document_in, opened, paragraphs, table_with
from tests.chain import Chain
from tests.delivery_helpers import unit_id


async def _names(chain: Chain) -> dict[str, str]:
    async with chain.app.uow() as uow:
        return {u.code: u.name for u in await uow.units.list()}


async def test_close_sends_the_report_to_the_chain(chain: Chain, clock: ControllableClock
                                                   ) -> None:
    sb = chain.sb
    incident = await chain.incident("较大 城关镇 城关镇化工厂火灾")
    plan = await chain.plan(incident)
    await chain.approve(plan)
    police = chain.county.members("f-police")[0]
    clock.advance(timedelta(minutes=2))
    await chain.press("f-police", police, "收到", "【出动指令】")
    clock.advance(timedelta(minutes=9))
    await chain.press("f-police", police, "已到达", "【出动指令】")
    member = chain.county.members("f-water")[-1]
    await chain.press("f-water", member, "无法出动", "【出动指令】")
    question = await sb.wait_for(chain.chat("f-water"), "无法出动的原因")
    await sb.send_message(chain.chat("f-water"), member, "冲锋舟送修",
                          reply_to=question["message_id"])
    await sb.wait_for(chain.chat("brigade"), "冲锋舟送修", since=0)
    issuer = chain.county.person("brigade", "warning_issuer")
    await chain.say("brigade", issuer, "/warn 黄 大风 township:城关镇 6 午后阵风8级")
    await chain.say("brigade", issuer, "/warn 黄 大雾 township:白沙镇 6 白沙镇有大雾")
    await chain.say("brigade", chain.dispatcher, f"/sitrep {incident} 火势已得到控制")
    clock.advance(timedelta(minutes=30))
    await chain.settle()
    await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    messages = {code: await document_in(chain, code, f"-{incident}.docx")
                for code in ("gov", "bureau", "brigade")}
    for code, message in messages.items():
        assert message["caption"] and "事后评估报告" in message["caption"], code
    doc = opened(chain, messages["gov"])
    names = await _names(chain)
    text = "\n".join(paragraphs(doc))
    for heading in ("一、概况", "二、调用方案及审批", "三、各力量响应情况", "四、响应时间图",
                    "五、处置过程（留痕记录）", "六、期间发布的预警", "十、问题与改进"):
        assert heading in text, heading
    front = cover(doc)
    assert front["事件"].startswith(f"#{incident} 城关镇化工厂火灾")
    assert front["事件等级"] == "较大" and front["性质"] == "实战"
    assert "【演练】" not in text
    assert "午后阵风8级" in text and "白沙镇有大雾" not in text  # the township's warnings only
    assert "七、滚动研判" in text and "火势已得到控制" in text
    # The forces' table: one row per order, the times as the orders hold them.
    rows = table_with(doc, "力量")
    by_force = {r[0]: r for r in rows[1:]}
    assert set(by_force) == {names[c] for c in ("f-police", "f-water", "f-health")}
    police_id = await unit_id(chain.app, "f-police")
    async with chain.app.uow() as uow:
        police_order = await uow.session.scalar(
            select(OrderRow).where(OrderRow.unit_id == police_id))
        assert police_order is not None
        stamps = (police_order.issued_at, police_order.received_at, police_order.on_scene_at)
    moment = chain.app.translator.moment
    police_row = by_force[names["f-police"]]
    assert [police_row[2], police_row[3], police_row[5]] == [
        moment(s) for s in stamps if s is not None]
    assert "冲锋舟送修" in by_force[names["f-water"]][6]
    assert by_force[names["f-health"]][3] == "—" and by_force[names["f-health"]][8] == "—"
    # The timeline names the forces and the units people acted from, never a bare id.
    timeline = table_with(doc, "时间")
    lines = [" ".join(r) for r in timeline[1:]]
    assert any("收到" in line and names["f-police"] in line for line in lines)
    assert any(names["f-water"] in r[2] and "冲锋舟送修" in r[3] for r in timeline[1:])
    assert any(r[2] == names["brigade"] for r in timeline[1:])
    assert len(doc.inline_shapes) == 1  # the chart
    async with chain.app.uow() as uow:
        versions = [(v.version, v.reason, v.built_at is not None)
                    for v in await uow.session.scalars(select(ReportVersionRow))]
    assert versions == [(1, "closed", True)]
    # The benchmark's hook builds the same report from a unit of work, writing nothing.
    async with chain.app.uow() as uow:
        again = Document(io.BytesIO(await build_report(uow, incident)))
    assert table_with(again, "力量")[1:] == rows[1:]


async def test_drill_report_says_drill_on_its_cover(chain: Chain) -> None:
    incident = await chain.incident("一般 河口镇 危化品车辆侧翻 演练")
    plan = await chain.plan(incident, forces="f-police")
    await chain.approve(plan)
    await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    message = await document_in(chain, "bureau", f"演练-{incident}.docx")
    assert message["caption"].startswith("【演练】")
    doc = opened(chain, message)
    assert doc.paragraphs[1].text.startswith("【演练】")  # under the title, before anything
    assert cover(doc)["性质"] == "演练"


async def test_report_on_request_while_open(chain: Chain) -> None:
    incident = await chain.incident()
    gov_head = chain.county.person("gov", "head")
    reply = await chain.say("gov", gov_head, f"/report {incident}")
    assert "正在生成" in str(reply["text"]) and "第 1 版" in str(reply["text"])
    message = await document_in(chain, "brigade", f"-{incident}.docx")
    doc = opened(chain, message)
    assert cover(doc)["处置时段"].endswith("尚未结案")
    assert "十、问题与改进" in paragraphs(doc)
    # Asked again: a second version, named so.
    await chain.settle()
    reply = await chain.say("bureau", chain.approver, f"/report  {incident} ")
    assert "第 2 版" in str(reply["text"])
    second = await document_in(chain, "gov", f"-{incident}-v2.docx")
    assert "第 2 版" in second["caption"]
    assert cover(opened(chain, second))["版本"] == "第 2 版"
