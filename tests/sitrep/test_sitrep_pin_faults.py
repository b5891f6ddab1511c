"""A pin that fails is the pin's problem, never the notice's: a 5xx is tried again a few
times, then given up, and the situation update counts as delivered all along; the chat's
next messages are not held up."""

from __future__ import annotations

from sqlalchemy import select

from storage.tables import NoticeRow
from tests.chain import Chain
from tests.sitrep.test_sitrep_flow import BOT_ID, REFUSED, _eventually, _update


async def _pin_statuses(chain: Chain) -> list[str]:
    async with chain.app.uow() as uow:
        return list(await uow.session.scalars(select(NoticeRow.status)
                                              .where(NoticeRow.pin.is_(True))))


async def test_a_pin_failing_once_is_tried_again(chain: Chain) -> None:
    sb = chain.sb
    gid = chain.chat("brigade")
    sb.set_admin(gid, BOT_ID)
    incident = await chain.incident()
    sb.faults.fail_next(1, 502, method="pinChatMessage")
    await chain.say("brigade", chain.dispatcher, f"/sitrep {incident} 现场研判")
    await chain.settle()
    first = _update(chain, "brigade", 1)[0]["message_id"]
    await _eventually(lambda: sb.pinned(gid) == [first])
    assert sb.stats.calls["pinChatMessage"] == 2
    assert await _pin_statuses(chain) == ["sent"]


async def test_a_pin_that_keeps_failing_is_given_up_and_the_update_stays_delivered(
        chain: Chain) -> None:
    sb = chain.sb
    gid = chain.chat("brigade")
    sb.set_admin(gid, BOT_ID)
    incident = await chain.incident()
    sb.faults.fail_next(10, 500, method="pinChatMessage")
    await chain.say("brigade", chain.dispatcher, f"/sitrep {incident} 现场研判")
    await chain.settle()
    assert await _pin_statuses(chain) == ["sent"]
    await _eventually(lambda: sb.stats.calls["pinChatMessage"] == 3)
    # The chat goes on: the next update arrives (and its pin, one of the faults, fails too).
    await chain.say("brigade", chain.dispatcher, f"/sitrep {incident} 第二次现场研判")
    await chain.settle()
    assert _update(chain, "brigade", 2)
    assert sb.pinned(gid) == []
    assert not any(REFUSED in m["text"] for m in sb.transcript(gid))  # not a refusal
    assert await _pin_statuses(chain) == ["sent", "sent"]
