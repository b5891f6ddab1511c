"""The demo's dispatch scene plays to the end against the real bot."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from bot.demo_scenes.dispatch import FORCES, play
from bot.world import SandboxCounty
from core.clock import ControllableClock
from storage.tables_dispatch import OrderRow


async def no_pause(seconds: float) -> None:
    return None


async def test_demo_scene_reaches_every_force(app: App, county: SandboxCounty,
                                              clock: ControllableClock) -> None:
    await county.bind_all(["bureau", "brigade", "gov", "dept-gov-office", "dept-police",
                           "dept-health", "dept-water", *FORCES])
    await play(county, clock, no_pause)
    async with app.uow() as uow:
        rows = [(r.status, r.on_scene_at is not None, r.unable_at is not None,
                 r.escalated_t1_at is not None)
                for r in await uow.session.scalars(select(OrderRow).order_by(OrderRow.id))]
    assert [r[0] for r in rows] == ["stood_down"] * 3 + ["unable"]  # unable is not called back
    assert [r[1:] for r in rows] == [(True, False, False), (True, False, False),
                                     (True, False, True), (False, True, False)]
