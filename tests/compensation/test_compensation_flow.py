"""Compensation of social forces through the real bot: 已出发 to stand-down or close, the people
asked on 已到达 (optional; a bad answer refused), /compensation YYYY-MM and its workbook."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import select

from core.clock import ControllableClock
from storage.tables import FileRow
from storage.tables_compensation import CompensationPeopleRow
from tests.chain import Chain

SOCIAL = ("f-volunteer-bluesky", "f-volunteer-shanying")
MONTH = "2026-11"  # the test clock's month


@pytest.fixture
async def social(chain: Chain) -> Chain:
    await chain.county.bind_all([*SOCIAL, "dept-civil"])
    return chain


async def _out(chain: Chain, code: str, incident: int, plan: int) -> int:
    """The force's order has come; the last person of the force answers it."""
    await chain.sb.wait_for(chain.chat(code), f"#{incident}", since=0)
    return chain.county.members(code)[-1]


async def _tap(chain: Chain, code: str, who: int, label: str) -> None:
    answer = await chain.press(code, who, label, "【出动指令】")
    assert label in str(answer["text"]), answer


async def _people_question(chain: Chain, code: str) -> dict[str, object]:
    ask = await chain.sb.wait_for(chain.chat(code), "补偿登记")
    assert ask["force_reply"]
    return ask


async def _reply(chain: Chain, code: str, who: int, text: str, to: dict[str, object]
                 ) -> str:
    sent = await chain.sb.send_message(chain.chat(code), who, text,
                                       reply_to=int(str(to["message_id"])))
    found = await chain.sb.wait_for(chain.chat(code),
                                    lambda m: m["reply_to"] == sent["message_id"])
    return str(found["text"])


async def _workbook(chain: Chain) -> openpyxl.Workbook:
    await chain.settle()
    # The close's after-action report may reach the chat before or after the workbook.
    shown = [m for m in chain.sb.transcript(chain.chat("bureau"))
             if str(m.get("document", "")).endswith(f"{MONTH}.xlsx")]
    assert shown, chain.sb.transcript(chain.chat("bureau"))
    async with chain.app.uow() as uow:
        row = await uow.session.scalar(select(FileRow).where(FileRow.name.endswith(".xlsx"))
                                       .order_by(FileRow.id.desc()))
        assert row is not None
        return openpyxl.load_workbook(io.BytesIO(row.content))


async def test_hours_and_person_hours_from_en_route_to_stand_down(
        social: Chain, clock: ControllableClock) -> None:
    chain, code = social, SOCIAL[0]
    incident = await chain.incident()
    plan = await chain.plan(incident, f"{code},f-police")
    await chain.approve(plan)
    who = await _out(chain, code, incident, plan)
    police = await _out(chain, "f-police", incident, plan)
    await _tap(chain, code, who, "已出发")
    await _tap(chain, "f-police", police, "已出发")
    clock.advance(timedelta(minutes=40))
    await _tap(chain, code, who, "已到达")
    ask = await _people_question(chain, code)
    await _tap(chain, "f-police", police, "已到达")  # not a social force: nothing asked

    assert "不是有效人数" in await _reply(chain, code, who, "十二", ask)
    assert "不是有效人数" in await _reply(chain, code, who, "1000", ask)
    async with chain.app.uow() as uow:
        assert await uow.session.scalar(select(CompensationPeopleRow)) is None
    assert "12 人" in await _reply(chain, code, who, "12", ask)

    clock.advance(timedelta(minutes=110))  # en route + 2 h 30
    reply = await chain.say("brigade", chain.dispatcher, f"/standdown {plan} {code}")
    assert "已解除" in str(reply["text"]), reply
    clock.advance(timedelta(hours=5))  # later time changes nothing: the deployment has ended

    reply = await chain.say("bureau", chain.approver, f"/compensation {MONTH}")
    text = str(reply["text"])
    name = chain.county.unit(code).name
    assert f"{name}：出动 1 次，2.5 小时，30 人·小时" in text, text
    assert chain.county.unit("f-police").name not in text
    asked = [m for m in chain.sb.transcript(chain.chat("f-police")) if "补偿登记" in m["text"]]
    assert not asked

    wb = await _workbook(chain)
    assert wb.sheetnames == ["汇总", "出动明细"]
    summary = [list(r) for r in wb["汇总"].iter_rows(min_row=2, values_only=True)]
    assert summary[0][:5] == [code, name, 1, 2.5, 30.0], summary
    detail = [list(r) for r in wb["出动明细"].iter_rows(min_row=2, values_only=True)]
    assert len(detail) == 1 and detail[0][5] == "撤离" and detail[0][7] == 12, detail
    async with chain.app.uow() as uow:
        row = await uow.session.scalar(select(CompensationPeopleRow))
        assert row is not None and row.people == 12


async def test_the_close_ends_a_deployment_and_the_people_may_be_skipped(
        social: Chain, clock: ControllableClock) -> None:
    chain, code = social, SOCIAL[1]
    incident = await chain.incident()
    plan = await chain.plan(incident, code)
    await chain.approve(plan)
    who = await _out(chain, code, incident, plan)
    await _tap(chain, code, who, "已出发")
    clock.advance(timedelta(hours=1))
    await _tap(chain, code, who, "已到达")
    ask = await _people_question(chain, code)
    assert "不登记" in await _reply(chain, code, who, "跳过", ask)
    clock.advance(timedelta(hours=3))
    reply = await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    assert "结束" in str(reply["text"]), reply
    clock.advance(timedelta(hours=7))

    reply = await chain.say("bureau", chain.approver, f"/compensation {MONTH}")
    text = str(reply["text"])
    assert "出动 1 次，4 小时，0 人·小时" in text and "1 次未报人数" in text, text
    wb = await _workbook(chain)
    detail = [list(r) for r in wb["出动明细"].iter_rows(min_row=2, values_only=True)]
    assert detail[0][5] == "事件结束" and detail[0][7] in (None, ""), detail
    async with chain.app.uow() as uow:
        assert await uow.session.scalar(select(CompensationPeopleRow)) is None


async def test_refusals_a_bad_month_and_someone_outside_the_bureau(social: Chain) -> None:
    chain = social
    for bad in ("2026-13", "11/2026", "", "2026-1x" + "9" * 40):
        reply = await chain.say("bureau", chain.approver, f"/compensation {bad}")
        assert "YYYY-MM" in str(reply["text"]), reply
        assert "9" * 30 not in str(reply["text"])  # quoted only shortened
    reply = await chain.say("bureau", chain.approver, f"/compensation {MONTH}")
    assert "没有社会应急力量出动记录" in str(reply["text"]), reply
    reply = await chain.say("brigade", chain.dispatcher, f"/compensation {MONTH}")
    assert "负责人" in str(reply["text"]) or "审批人" in str(reply["text"]), reply
    member = chain.county.person("bureau", "member")
    reply = await chain.say("bureau", member, f"/compensation {MONTH}")
    assert "没有“负责人”角色" in str(reply["text"]), reply
    assert not [m for m in chain.sb.transcript(chain.chat("bureau")) if m.get("document")]
