"""Reason questions are written before they are sent, and any open one is answered once.

Seen: a crash between asking for a rejection reason and recording the question left two
questions, and the answer to the first was silently ignored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update

from storage.tables_dispatch import PlanRow, PromptRow
from tests.chain import Chain


async def plan_status(chain: Chain, plan: int) -> tuple[str, str]:
    async with chain.app.uow() as uow:
        row = (await uow.session.execute(
            select(PlanRow.status, PlanRow.reason).where(PlanRow.id == plan))).one()
    return row[0], row[1]


async def open_questions(chain: Chain) -> int:
    async with chain.app.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(PromptRow)) or 0)


async def asked_to_reject(chain: Chain) -> tuple[int, dict[str, Any]]:
    """A plan awaiting approval, and the approver's 驳回 answered with a reason question."""
    plan = await chain.plan(await chain.incident())
    await chain.sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    await chain.press("bureau", chain.approver, "驳回", f"#{plan} ")
    return plan, await chain.sb.wait_for(chain.chat("bureau"), "驳回理由")


async def test_two_taps_two_questions_the_first_answer_counts_once(chain: Chain) -> None:
    sb = chain.sb
    plan, first = await asked_to_reject(chain)
    await chain.press("bureau", chain.approver, "驳回", f"#{plan} ")
    await sb.wait_for(chain.chat("bureau"), lambda m: "驳回理由" in m["text"]
                      and m["message_id"] != first["message_id"])
    assert await open_questions(chain) == 2
    await sb.send_message(chain.chat("bureau"), chain.approver, "第一次的理由",
                          reply_to=first["message_id"])
    await sb.wait_for(chain.chat("brigade"), "【方案驳回】")
    assert await plan_status(chain, plan) == ("rejected", "第一次的理由")
    assert await open_questions(chain) == 0  # the second question went with the first


async def test_a_question_sent_but_never_recorded_is_still_answered(chain: Chain) -> None:
    sb = chain.sb
    plan, question = await asked_to_reject(chain)
    async with chain.app.uow() as uow:
        # As if the bot had stopped right after Telegram took the question.
        await uow.session.execute(update(PromptRow).values(message_id=None))
        await uow.commit()
    await sb.send_message(chain.chat("bureau"), chain.approver, "未记下的问题也算",
                          reply_to=question["message_id"])
    await sb.wait_for(chain.chat("brigade"), "【方案驳回】")
    assert await plan_status(chain, plan) == ("rejected", "未记下的问题也算")


async def test_a_reply_to_a_question_no_longer_open_changes_nothing(chain: Chain) -> None:
    sb = chain.sb
    plan, question = await asked_to_reject(chain)
    async with chain.app.uow() as uow:
        await uow.session.execute(delete(PromptRow))
        await uow.commit()
    await sb.send_message(chain.chat("bureau"), chain.approver, "迟到的理由",
                          reply_to=question["message_id"])
    await chain.settle()
    assert (await plan_status(chain, plan))[0] == "awaiting_approval"
