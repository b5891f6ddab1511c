"""A level's order reminder interval: while it is in force, an order nobody has received is
sent again every N minutes (Ⅲ: 10), beside the dispatch chain's own T1 reminder; an answered
order, or any order once the level ended, is left alone."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.clock import ControllableClock
from tests.chain import Chain
from tests.response.helpers import audited, commander, propose

RESENT = "【出动指令·再次提醒】"


def _resent(chain: Chain, code: str) -> int:
    return sum(RESENT in t for t in chain.sb.bot_texts(chain.chat(code)))


async def _until(chain: Chain, code: str, count: int) -> None:
    for _ in range(100):
        if _resent(chain, code) >= count:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.4)  # a few more sweeps: nothing more comes
    await chain.settle()
    assert _resent(chain, code) == count, chain.sb.format_transcript(chain.chat(code))


async def test_orders_are_reminded_at_the_levels_interval(chain: Chain,
                                                          clock: ControllableClock) -> None:
    incident = await chain.incident()
    proposal = await propose(chain, "brigade", incident, "Ⅲ")
    await chain.press("bureau", chain.approver, "同意启动", f"#{proposal} ")
    plan = await chain.plan(incident, "f-police,f-health")
    await chain.approve(plan)
    await chain.sb.wait_for(chain.chat("f-health"), "【出动指令】", since=0)
    await chain.press("f-health", chain.county.members("f-health")[0], "收到", "【出动指令】")
    clock.advance(timedelta(minutes=4))  # the dispatch chain's T1 (3 min)
    await _until(chain, "f-police", 1)
    clock.advance(timedelta(minutes=6))  # 10 min: the level's interval
    await _until(chain, "f-police", 2)
    clock.advance(timedelta(minutes=5))
    await _until(chain, "f-police", 2)
    clock.advance(timedelta(minutes=5))  # 20 min
    await _until(chain, "f-police", 3)
    assert _resent(chain, "f-health") == 0  # received: never reminded
    assert (await audited(chain)).count("response.order_reminded") == 2
    log = str((await chain.say("brigade", chain.dispatcher, f"/log {incident}"))["text"])
    assert "出动指令按响应级别再次提醒" in log, log

    ended = await propose(chain, "bureau", incident, "终止")
    await chain.press("brigade", commander(chain), "同意启动", f"#{ended} ")
    await chain.settle()
    clock.advance(timedelta(minutes=30))
    await _until(chain, "f-police", 3)
