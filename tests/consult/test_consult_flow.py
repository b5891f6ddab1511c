"""Experts on order (专家会商): a commander consults experts on an incident; one accepts and
advises twice (forwarded to the requester and the HQ, on the timeline, counted), one cannot
attend (the reason reaches the requester), one stays silent and is reminded once at T1. The
wrong person, a second tap, a closed incident and bad arguments change nothing."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from core.clock import ControllableClock
from storage.tables import NoticeRow
from storage.tables_consult import ConsultationRow, ExpertTallyRow
from tests.chain import Chain

EXPERTS = ("f-expert-geohazard", "f-expert-hydrology", "f-expert-medical")
CONSULT_RE = re.compile(r"【专家会商】#(\d+)")


async def _setup(chain: Chain) -> int:
    await chain.county.bind_all([*EXPERTS, "detachment"])
    return await chain.incident()


def _commander(chain: Chain) -> int:
    return chain.county.person("brigade", "commander")


async def _rows(chain: Chain) -> list[tuple[str, int, str]]:
    async with chain.app.uow() as uow:
        rows = await uow.session.scalars(select(ConsultationRow).order_by(ConsultationRow.id))
        return [(r.status, r.advice, r.reason) for r in rows]


async def _notices(chain: Chain, template: str, code: str) -> int:
    async with chain.app.uow() as uow:
        unit = await uow.units.by_code(code)
        assert unit is not None
        found = await uow.session.scalar(
            select(func.count()).select_from(NoticeRow)
            .where(NoticeRow.template == template, NoticeRow.unit_id == unit.id))
    return int(found or 0)


async def _request(chain: Chain, code: str) -> tuple[int, dict[str, object]]:
    card = await chain.sb.wait_for(chain.chat(code), "【专家会商】#", since=0)
    found = CONSULT_RE.search(str(card["text"]))
    assert found, card
    return int(found.group(1)), card


async def test_accept_and_advise_decline_with_reason_and_silent_reminded(
        chain: Chain, clock: ControllableClock) -> None:
    sb = chain.sb
    incident = await _setup(chain)
    await chain.say("bureau", chain.approver, f"/hq {incident} detachment")
    plan = await chain.plan(incident)
    await chain.approve(plan)  # the incident's board is up in the brigade's chat
    sent = await chain.say("brigade", _commander(chain),
                           f"/consult {incident} f-expert-geohazard，f-expert-hydrology, "
                           "f-expert-medical 后山是否有二次滑坡风险？")
    for name in ("江州理工大学地质灾害防治专家", "江州大学水文水资源专家",
                 "江州医学院急诊医学专家"):
        assert name in str(sent["text"]), sent
    geo, card = await _request(chain, "f-expert-geohazard")
    assert card["buttons"] == [["接受", "无法参加"]]
    for text in ("后山是否有二次滑坡风险", "周海涛", "消防救援大队", f"事件 #{incident}"):
        assert text in str(card["text"]), (text, card["text"])

    # Someone of another unit taps: told why, nothing changes.
    police = chain.county.members("f-police")[0]
    wrong = await chain.press("f-expert-geohazard", police, "接受", f"#{geo} ")
    assert "只有" in str(wrong["text"]) and "地质灾害防治专家" in str(wrong["text"]), wrong
    assert (await _rows(chain))[0][0] == "asked"

    head = chain.county.person("f-expert-geohazard", "head")
    duty = chain.county.person("f-expert-geohazard", "duty_officer")
    toast = await chain.press("f-expert-geohazard", head, "接受", f"#{geo} ")
    assert "已接受" in str(toast["text"]), toast
    ask = await sb.wait_for(chain.chat("f-expert-geohazard"), "请回复本消息提出建议", since=0)
    assert ask["force_reply"] and head in ask["mentions"]
    await sb.wait_for(chain.chat("f-expert-geohazard"),
                      lambda m: f"#{geo} " in m["text"] and "顾明远 已接受" in m["text"]
                      and not m["buttons"], since=0)
    await sb.wait_for(chain.chat("brigade"), f"#{geo} 江州理工大学地质灾害防治专家 已接受",
                      since=0)
    again = await _stale_tap(chain, "f-expert-geohazard", duty, card, 0)
    assert "已由 顾明远" in str(again["text"]) and "已接受" in str(again["text"]), again

    first = await sb.send_message(chain.chat("f-expert-geohazard"), head,
                                  "建议立即疏散后山坡脚 200 米内住户", reply_to=ask["message_id"])
    ack = await sb.wait_for(chain.chat("f-expert-geohazard"),
                            lambda m: m["reply_to"] == first["message_id"])
    assert "第 1 条" in ack["text"] and "现场指挥部" in ack["text"], ack
    second = await sb.send_message(chain.chat("f-expert-geohazard"), duty,
                                   "雨停后 24 小时内仍需专人监测裂缝", reply_to=ack["message_id"])
    ack2 = await sb.wait_for(chain.chat("f-expert-geohazard"),
                             lambda m: m["reply_to"] == second["message_id"])
    assert "第 2 条" in ack2["text"] and "累计 2 条" in ack2["text"], ack2
    for code in ("brigade", "detachment"):
        for text in ("建议立即疏散后山坡脚", "雨停后 24 小时内"):
            got = await sb.wait_for(chain.chat(code), _advice(text), since=0)
            assert "地质灾害防治专家" in got["text"], got
    assert "第 2 条" not in sb.format_transcript(chain.chat("bureau"))

    # Cannot attend: the reason is asked, and reaches the requester.
    hydro, hcard = await _request(chain, "f-expert-hydrology")
    hhead = chain.county.person("f-expert-hydrology", "head")
    await chain.press("f-expert-hydrology", hhead, "无法参加", f"#{hydro} ")
    why = await sb.wait_for(chain.chat("f-expert-hydrology"), "无法参加会商的原因", since=0)
    assert why["force_reply"]
    reason = await sb.send_message(chain.chat("f-expert-hydrology"), hhead, "本人在省外出差",
                                   reply_to=why["message_id"])
    done = await sb.wait_for(chain.chat("f-expert-hydrology"),
                             lambda m: m["reply_to"] == reason["message_id"])
    assert "已告知" in done["text"]
    told = await sb.wait_for(chain.chat("brigade"), "本人在省外出差", since=0)
    assert f"#{hydro}" in told["text"] and "无法参加" in told["text"]
    stale = await _stale_tap(chain, "f-expert-hydrology", hhead, hcard, 0)
    assert "无法参加" in str(stale["text"]) and "黄河清" in str(stale["text"]), stale

    # The silent one: reminded once at T1, its head and duty officer mentioned.
    clock.advance(timedelta(minutes=2))
    await _sweeps(chain)
    assert await _notices(chain, "consult.remind", "f-expert-medical") == 0
    clock.advance(timedelta(minutes=1, seconds=5))
    await _sweeps(chain)
    remind = await sb.wait_for(chain.chat("f-expert-medical"), "【会商提醒】", since=0)
    people = {p.tg_id for p in chain.county.unit("f-expert-medical").people}
    assert set(remind["mentions"]) == people and remind["buttons"] == [["接受", "无法参加"]]
    await _sweeps(chain)
    assert await _notices(chain, "consult.remind", "f-expert-medical") == 1
    assert await _notices(chain, "consult.remind", "f-expert-geohazard") == 0

    assert await _rows(chain) == [("accepted", 2, ""), ("declined", 0, "本人在省外出差"),
                                  ("asked", 0, "")]
    async with chain.app.uow() as uow:
        tallies = list(await uow.session.execute(select(ExpertTallyRow.incident_id,
                                                        ExpertTallyRow.advice)))
    assert [tuple(t) for t in tallies] == [(incident, 2)]
    board = await sb.wait_for(chain.chat("brigade"), lambda m: "专家会商：" in m["text"]
                              and "已提供建议 2 条" in m["text"] and "已提醒" in m["text"],
                              since=0)
    assert "无法参加" in board["text"] and "【调度看板】" in board["text"], board
    log = str((await chain.say("brigade", _commander(chain), f"/log {incident}"))["text"])
    for text in ("会商专家", "专家接受会商", "专家建议", "第 2 条", "雨停后 24 小时内",
                 "专家无法参加会商", "本人在省外出差", "提醒未答复的专家"):
        assert text in log, (text, log)


def _reply_to(sent: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    return lambda m: m["reply_to"] == sent["message_id"]


def _advice(says: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: "【专家建议】" in m["text"] and says in m["text"]


async def _stale_tap(chain: Chain, code: str, who: int, card: dict[str, object], index: int
                     ) -> dict[str, object]:
    """A tap on a button of the card as it was first sent (a phone that has not seen the
    edit yet)."""
    markup = card["reply_markup"]
    assert isinstance(markup, dict)
    data = markup["inline_keyboard"][0][index]["callback_data"]
    cq = await chain.sb.press_callback(chain.chat(code), who, int(str(card["message_id"])), data)
    return await chain.sb.wait_callback_answer(cq)


async def _sweeps(chain: Chain, count: int = 3) -> None:
    for _ in range(count):
        await chain.app.sweep.run()
    await asyncio.sleep(0.2)
    await chain.settle()


async def test_bad_arguments_and_roles_change_nothing(chain: Chain) -> None:
    sb = chain.sb
    incident = await _setup(chain)
    commander = _commander(chain)
    for line, says in (
        ("/consult", "用法"),
        (f"/consult {incident}", "用法"),
        (f"/consult {incident} f-expert-geohazard", "请写明要咨询专家的问题"),
        (f"/consult {incident} f-expert-geohazard ，  ", "请写明要咨询专家的问题"),
        ("/consult 999 f-expert-geohazard 有无风险", "没有编号为 999 的事件"),
        (f"/consult {incident} f-expert-geohazard " + "问" * 5000, "最多 1000 字"),
    ):
        reply = await chain.say("brigade", commander, line)
        assert says in str(reply["text"]), (line, reply["text"])
    reply = await chain.say("brigade", commander,
                            f"/consult {incident} f-police，nope,f-expert-power 有无风险")
    text = str(reply["text"])
    for says in ("f-police", "不是应急救援专家", "nope", "没有这个代码", "f-expert-power",
                 "尚未绑定", "未发出任何会商请求"):
        assert says in text, (says, text)
    reply = await chain.say("brigade", chain.dispatcher,
                            f"/consult {incident} f-expert-geohazard 有无风险")
    assert "指挥员" in str(reply["text"]), reply
    police = chain.county.members("f-police")[0]
    reply = await chain.say("f-police", police, f"/consult {incident} f-expert-geohazard 有无风险")
    assert "指挥员" in str(reply["text"]) or "审批人" in str(reply["text"]), reply
    reply = await chain.say("detachment", chain.county.person("detachment", "commander"),
                            f"/consult {incident} f-expert-geohazard 有无风险")
    assert "不是事件" in str(reply["text"]), reply
    await chain.settle()
    assert await _rows(chain) == []
    for code in EXPERTS:
        assert "【专家会商】" not in sb.format_transcript(chain.chat(code))


async def test_a_closed_incident_stops_the_buttons_and_the_advice(chain: Chain) -> None:
    sb = chain.sb
    incident = await _setup(chain)
    await chain.say("bureau", chain.approver,
                    f"/consult {incident} f-expert-geohazard,f-expert-hydrology 风险如何")
    geo, _ = await _request(chain, "f-expert-geohazard")
    hydro, _ = await _request(chain, "f-expert-hydrology")
    head = chain.county.person("f-expert-geohazard", "head")
    await chain.press("f-expert-geohazard", head, "接受", f"#{geo} ")
    ask = await sb.wait_for(chain.chat("f-expert-geohazard"), "请回复本消息提出建议", since=0)
    await sb.wait_for(chain.chat("bureau"), "已接受", since=0)
    closed = await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    assert "结束" in str(closed["text"]) or closed
    late = await sb.send_message(chain.chat("f-expert-geohazard"), head, "建议撤离",
                                 reply_to=ask["message_id"])
    refused = await sb.wait_for(chain.chat("f-expert-geohazard"),
                                lambda m: m["reply_to"] == late["message_id"])
    assert "已于" in refused["text"] and "结束" in refused["text"], refused
    toast = await chain.press("f-expert-hydrology", chain.county.person("f-expert-hydrology",
                                                                        "head"),
                              "接受", f"#{hydro} ")
    assert "结束" in str(toast["text"]), toast
    await chain.settle()
    assert await _rows(chain) == [("accepted", 0, ""), ("asked", 0, "")]
    assert "【专家建议】" not in sb.format_transcript(chain.chat("bureau"))


async def test_two_taps_at_once_and_advice_from_the_wrong_person_or_too_long(chain: Chain
                                                                             ) -> None:
    sb = chain.sb
    incident = await _setup(chain)
    await chain.say("brigade", _commander(chain),
                    f"/consult {incident} f-expert-geohazard 风险如何")
    geo, card = await _request(chain, "f-expert-geohazard")
    head = chain.county.person("f-expert-geohazard", "head")
    duty = chain.county.person("f-expert-geohazard", "duty_officer")
    chat = chain.chat("f-expert-geohazard")
    taps = [await sb.press_button(chat, who, "接受", text_contains=f"#{geo} ")
            for who in (head, duty)]
    answers = [str((await sb.wait_callback_answer(cq))["text"]) for cq in taps]
    assert sum("已接受会商" in a for a in answers) == 1, answers
    assert sum("已由" in a for a in answers) == 1, answers
    await chain.settle()
    asks = [m for m in sb.transcript(chat) if "请回复本消息提出建议" in m["text"]]
    assert len(asks) == 1
    ask = asks[0]

    police = chain.county.members("f-police")[0]
    for who, said, refusal in ((police, "建议撤离", "只有"),
                               (head, "长" * 2001, "最多 2000 字")):
        sent = await sb.send_message(chat, who, said, reply_to=ask["message_id"])
        answer = await sb.wait_for(chat, _reply_to(sent))
        assert refusal in answer["text"], answer
    on_card = await sb.send_message(chat, head, "这不是对提问的回复",
                                    reply_to=int(str(card["message_id"])))
    await chain.settle()
    assert not [m for m in sb.transcript(chat) if m["reply_to"] == on_card["message_id"]]
    assert await _rows(chain) == [("accepted", 0, "")]
    assert "【专家建议】" not in sb.format_transcript(chain.chat("brigade"))


async def test_an_english_chat_reads_the_request_in_english(chain: Chain) -> None:
    sb = chain.sb
    incident = await _setup(chain)
    head = chain.county.person("f-expert-hazchem", "head")
    await chain.county.bind_all(["f-expert-hazchem"])
    await sb.send_message(chain.chat("f-expert-hazchem"), head, "/lang en")
    await sb.wait_for(chain.chat("f-expert-hazchem"), "English")
    await chain.say("bureau", chain.approver, f"/consult {incident} f-expert-hazchem 泄漏如何处置")
    card = await sb.wait_for(chain.chat("f-expert-hazchem"), "[Expert consultation]", since=0)
    assert card["buttons"] == [["Accept", "Cannot attend"]] and "泄漏如何处置" in card["text"]


async def test_a_request_that_cannot_reach_the_expert_is_reported_to_the_requester(
        chain: Chain) -> None:
    sb = chain.sb
    incident = await _setup(chain)
    sb.faults.kick_on_next_send(chain.chat("f-expert-medical"))  # the bot was removed there
    await chain.say("brigade", _commander(chain),
                    f"/consult {incident} f-expert-medical 伤员如何分拣")
    alarm = await sb.wait_for(chain.chat("brigade"), "【会商未送达】", since=0)
    assert "江州医学院急诊医学专家" in alarm["text"] and "电话" in alarm["text"]
    assert _commander(chain) in alarm["mentions"]
