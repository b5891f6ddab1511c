"""Lessons (问题与改进) after /close with the test clock: asked once, in each chat, of the
brigade's commanders and each ordered force's head; an answer after the report went out makes
exactly one new version, at most one a day; an answer after the window is refused politely."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from core.clock import ControllableClock
from storage.tables_afteraction import LessonRow, ReportVersionRow
from tests.afteraction.helpers import cover, document_in, opened, paragraphs
from tests.chain import Chain


async def _versions(chain: Chain) -> list[tuple[int, str, bool]]:
    async with chain.app.uow() as uow:
        return [(v.version, v.reason, v.built_at is not None)
                for v in await uow.session.scalars(select(ReportVersionRow)
                                                   .order_by(ReportVersionRow.version))]


async def _sweeps(chain: Chain, count: int = 3) -> None:
    for _ in range(count):
        await chain.app.sweep.run()
    await asyncio.sleep(0.2)
    await chain.settle()


async def _answer(chain: Chain, code: str, who: int, question: dict[str, object], text: str
                  ) -> str:
    sent = await chain.sb.send_message(chain.chat(code), who, text,
                                       reply_to=int(str(question["message_id"])))
    reply = await chain.sb.wait_for(chain.chat(code),
                                    lambda m: m["reply_to"] == sent["message_id"])
    return str(reply["text"])


async def test_lessons_asked_once_and_a_late_answer_makes_one_version(
        chain: Chain, clock: ControllableClock) -> None:
    sb = chain.sb
    incident = await chain.incident()
    plan = await chain.plan(incident, forces="f-police,f-water")
    await chain.approve(plan)
    await chain.say("brigade", chain.dispatcher, f"/close {incident}")
    commander = chain.county.person("brigade", "commander")
    police_head = chain.county.person("f-police", "head")
    water_head = chain.county.person("f-water", "head")
    asked = {}
    for code, who in (("brigade", commander), ("f-police", police_head),
                      ("f-water", water_head)):
        asked[code] = await sb.wait_for(chain.chat(code), "问题与改进", since=0)
        assert asked[code]["force_reply"] and who in asked[code]["mentions"], code
    assert chain.dispatcher not in asked["brigade"]["mentions"]  # commanders only
    assert await document_in(chain, "gov", f"-{incident}.docx")
    await _sweeps(chain)
    assert await _versions(chain) == [(1, "closed", True)]

    # Someone not asked replies to the question: not a lesson.
    await sb.send_message(chain.chat("brigade"), chain.dispatcher, "随便说说",
                          reply_to=int(str(asked["brigade"]["message_id"])))
    answer = await _answer(chain, "brigade", commander, asked["brigade"],
                           "夜间通信中断，建议配发卫星电话")
    assert "已记录" in answer and "第 2 版" in answer
    answer = await _answer(chain, "f-police", police_head, asked["f-police"], "集" * 5000)
    assert "最多 1000 字" in answer  # refused; the question stays open
    answer = await _answer(chain, "f-police", police_head, asked["f-police"], "  ")
    assert "回复是空的" in answer
    answer = await _answer(chain, "f-police", police_head, asked["f-police"],
                           "集结点不明确")
    assert "已记录" in answer
    clock.advance(timedelta(hours=3))
    await _sweeps(chain)
    assert await _versions(chain) == [(1, "closed", True), (2, "lessons", False)]

    clock.advance(timedelta(days=1))
    await _sweeps(chain)
    second = await document_in(chain, "gov", f"-{incident}-v2.docx")
    assert "第 2 版" in str(second["caption"])
    doc = opened(chain, second)
    assert cover(doc)["版本"] == "第 2 版"
    text = "\n".join(paragraphs(doc))
    assert "夜间通信中断，建议配发卫星电话" in text and "集结点不明确" in text
    assert "随便说说" not in text
    await _sweeps(chain)
    assert await _versions(chain) == [(1, "closed", True), (2, "lessons", True)]

    # Past the window (48 h after the close): refused, politely, and nothing kept.
    clock.advance(timedelta(hours=25))
    answer = await _answer(chain, "f-water", water_head, asked["f-water"], "太晚了")
    assert "截止" in answer and "感谢" in answer
    await _sweeps(chain)
    assert await _versions(chain) == [(1, "closed", True), (2, "lessons", True)]
    async with chain.app.uow() as uow:
        kept = [r.text for r in await uow.session.scalars(select(LessonRow))]
    assert sorted(kept) == sorted(["夜间通信中断，建议配发卫星电话", "集结点不明确"])
    # Asked once: one question in each chat, whatever happened since.
    for code in ("brigade", "f-police", "f-water"):
        questions = [m for m in sb.transcript(chain.chat(code))
                     if m["is_bot"] and m["force_reply"] and "问题与改进" in m["text"]]
        assert len(questions) == 1, code
