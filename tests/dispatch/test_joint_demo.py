"""The demo's joint-response scene plays to the end against the real bot, in either language:
report → incident → a level started by both sides → plan with traffic support → an expert's
advice → a pinned situation update → every force on scene → close."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import App
from bot.i18n import Texts
from bot.settings import Settings
from core.clock import ControllableClock
from demo.run import outbox_settled
from demo.scenes.joint import UNITS, play
from demo.scenes.stage import Stage
from demo.world import SandboxCounty
from storage.tables_dispatch import IncidentRow, OrderRow


@pytest.fixture(params=["zh_Hans", "en"])
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    return settings.model_copy(update={"locale": request.param})


async def test_joint_response_scene_plays_to_the_close(app: App, county: SandboxCounty,
                                                        clock: ControllableClock,
                                                        settings: Settings) -> None:
    await county.bind_all(list(UNITS))
    stage = Stage(county, clock, Texts(app.translator, settings.locale),
                  settled=outbox_settled(app, clock))
    await play(stage)
    async with app.uow() as uow:
        orders = [r.status for r in await uow.session.scalars(select(OrderRow))]
        incident = (await uow.session.scalars(select(IncidentRow))).one()
        closed = incident.closed_at
        marks = await uow.marks.of(incident.id)
    assert orders == ["on_scene", "on_scene"]
    assert closed is not None
    assert set(marks) == {"response", "sitrep", "experts", "traffic"}
    brigade = county.chats["brigade"]
    assert county.sb.chat(brigade)["pinned_message_id"] is not None
    # The board in the brigade's group shows the level, the update, the expert and the lanes.
    board = [m for m in county.sb.transcript(brigade) if stage.matches("dispatch.board")(m)][-1]
    for key in ("response.mark", "sitrep.mark", "consult.mark", "traffic.mark"):
        assert any(f in board["text"] for f in stage.fragments(key)[0]), key
