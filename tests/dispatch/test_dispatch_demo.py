"""The demo's dispatch scene plays to the end against the real bot, in either language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import App
from bot.i18n import Texts
from bot.settings import Settings
from core.clock import ControllableClock
from demo.run import outbox_settled
from demo.scenes.dispatch import SILENT, UNITS, play
from demo.scenes.stage import Stage
from demo.world import SandboxCounty
from storage.tables_dispatch import OrderRow


@pytest.fixture(params=["zh_Hans", "en"])
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    return settings.model_copy(update={"locale": request.param})


async def test_demo_scene_reaches_every_force(app: App, county: SandboxCounty,
                                              clock: ControllableClock,
                                              settings: Settings) -> None:
    await county.bind_all(list(UNITS))
    taps: list[str] = []
    stage = Stage(county, clock, Texts(app.translator, settings.locale),
                  settled=outbox_settled(app, clock),
                  show_tap=lambda chat, who, label: taps.append(label))
    await play(stage)
    async with app.uow() as uow:
        rows = [(r.status, r.on_scene_at is not None, r.unable_at is not None,
                 r.escalated_t1_at is not None)
                for r in await uow.session.scalars(select(OrderRow).order_by(OrderRow.id))]
    # the force that answered 无法出动 keeps that answer: it is not called back
    assert [r[0] for r in rows] == ["stood_down"] * 3 + ["unable", "stood_down"]
    assert [r[1:] for r in rows] == [(True, False, False), (True, False, False),
                                     (True, False, True), (False, True, False),
                                     (False, False, True)]
    assert taps[0] == {"zh_Hans": "批准", "en": "Approve"}[settings.locale]
    # T2: the brigade and the bureau are told that the silent force has not answered.
    silent = county.unit(SILENT).name
    for code in ("brigade", "bureau"):
        texts = county.sb.bot_texts(county.chats[code])
        assert any(stage.matches("dispatch.silent")({"text": t}) and silent in t for t in texts)
