"""Deadlines of the dispatch chain: silent forces at T1 and T2, undecided plans, a restart."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot.app import build_app
from bot.settings import Settings
from core.clock import ControllableClock
from storage.tables import NoticeRow
from storage.tables_dispatch import OrderRow
from tests.chain import FORCES, Chain
from tests.conftest import TOKEN, start_app, stop_app


async def sweeps(chain: Chain, count: int = 3) -> None:
    """Let the 0.1 s sweep run a few times, so that a repeated action would show."""
    for _ in range(count):
        await chain.app.sweep.run()
    await asyncio.sleep(0.3)
    await chain.settle()


def orders_in(chain: Chain, code: str, marker: str = "【出动指令】") -> int:
    return sum(marker in m["text"] for m in chain.sb.transcript(chain.chat(code)))


async def notices(chain: Chain, template: str, code: str) -> int:
    """Notices the mechanism decided to send; the count a repeated sweep would raise.

    Counted in the outbox, where the decision is, so the test does not also wait on delivery
    (which has its own tests for sending each notice once).
    """
    async with chain.app.uow() as uow:
        unit = await uow.units.by_code(code)
        assert unit is not None
        found = await uow.session.scalar(
            select(func.count()).select_from(NoticeRow)
            .where(NoticeRow.template == template, NoticeRow.unit_id == unit.id))
    return int(found or 0)


async def test_silent_force_escalated_at_t1_and_t2(chain: Chain, clock: ControllableClock
                                                   ) -> None:
    sb = chain.sb
    plan = await chain.plan(await chain.incident())
    await chain.approve(plan)
    await chain.press("f-police", chain.county.members("f-police")[-1], "收到", "【出动指令】")
    await chain.settle()
    clock.advance(timedelta(minutes=2))
    await sweeps(chain)
    assert await notices(chain, "dispatch.order.resend", "f-water") == 0
    clock.advance(timedelta(minutes=1, seconds=5))
    again = await sb.wait_for(chain.chat("f-water"), "再次提醒", since=0)
    duty = {p.tg_id for p in chain.county.unit("f-water").people
            if {r.value for r in p.roles} & {"duty_officer", "head"}}
    assert duty and set(again["mentions"]) == duty
    assert again["buttons"]
    await sweeps(chain)
    assert await notices(chain, "dispatch.order.resend", "f-water") == 1
    assert await notices(chain, "dispatch.order.resend", "f-police") == 0
    assert orders_in(chain, "f-police", "再次提醒") == 0
    clock.advance(timedelta(minutes=7))
    for code in ("brigade", "bureau"):
        silent = await sb.wait_for(chain.chat(code), "【未响应力量】", since=0)
        assert "水利局" in silent["text"] and "人民医院" in silent["text"]
        assert "公安局" not in silent["text"]
    await sweeps(chain)
    assert await notices(chain, "dispatch.silent", "brigade") == 1
    async with chain.app.uow() as uow:
        rows = [(r.escalated_t1_at is not None, r.escalated_t2_at is not None)
                for r in await uow.session.scalars(select(OrderRow).order_by(OrderRow.id))]
    assert rows == [(False, False), (True, True), (True, True)]


async def test_undecided_plan_reminds_approvers_then_deputies(chain: Chain,
                                                              clock: ControllableClock) -> None:
    sb = chain.sb
    plan = await chain.plan(await chain.incident())
    await sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    clock.advance(timedelta(minutes=5, seconds=5))
    first = await sb.wait_for(chain.chat("bureau"), "【待审批提醒】", since=0)
    assert f"#{plan}" in first["text"] and first["mentions"]
    await sweeps(chain)
    assert await notices(chain, "dispatch.remind.approvers", "bureau") == 1
    clock.advance(timedelta(minutes=5, seconds=5))
    second = await sb.wait_for(chain.chat("bureau"), "升级提醒", since=0)
    assert len(second["mentions"]) > len(first["mentions"])
    await sweeps(chain)
    assert await notices(chain, "dispatch.remind.deputies", "bureau") == 1


async def test_restart_between_approval_and_delivery(chain: Chain, clock: ControllableClock,
                                                     settings: Settings) -> None:
    sb = chain.sb
    plan = await chain.plan(await chain.incident())
    await sb.wait_for(chain.chat("bureau"), "待审批", since=0)
    sb.faults.fail_next(10_000, status=500, method="sendMessage")
    cq = await sb.press_button(chain.chat("bureau"), chain.approver, "批准",
                               text_contains=f"#{plan} ")
    await sb.wait_callback_answer(cq)
    async with chain.app.uow() as uow:
        orders = await uow.session.scalar(select(func.count()).select_from(OrderRow))
    assert orders == len(FORCES)  # committed, though nothing has reached the forces
    await asyncio.sleep(0.3)
    await stop_app(chain.app, running_app_task())
    assert all(orders_in(chain, code) == 0 for code in FORCES)
    sb.faults.clear()
    second = build_app(settings, TOKEN, clock)
    task = await start_app(second, sb)
    try:
        clock.advance(timedelta(seconds=90))
        for code in FORCES:
            await sb.wait_for(chain.chat(code), "【出动指令】", since=0, timeout=15)
        chain.app = second
        await chain.settle(seconds=15)
        await asyncio.sleep(0.5)
        assert [await notices(chain, "dispatch.order", code) for code in FORCES] == [1, 1, 1]
        assert all(orders_in(chain, code) >= 1 for code in FORCES)
    finally:
        await stop_app(second, task)


def running_app_task() -> asyncio.Task[None]:
    """The task the app fixture started (it keeps no handle we could ask for)."""
    return next(t for t in asyncio.all_tasks()
                if getattr(t.get_coro(), "__qualname__", "") == "App.run")
