"""Freshness: a force whose data is stale is told in its chat once a month, its head mentioned,
never twice in a month (written down, so a restart sends nothing again); a person's insurance
or health check running out within 30 days is told to the force's head once per expiry date
and listed by /stale."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import select

from core.clock import ControllableClock
from core.mydata.config import DataConfig
from core.mydata.reminders import remind
from scheduler.mydata import freshness_step
from storage.tables import PersonRow
from tests.chain import Chain

STALE = "数据更新提醒"
EXPIRY = "到期提醒"


async def _sweeps(chain: Chain) -> None:
    """The step as the sweep runs it (the tests' settings turn it off in the sweep); a new
    closure each time is what a restarted bot would have. Twice, then delivered."""
    for _ in range(2):
        step = freshness_step(replace(chain.app.configs.data, reminders=True))
        await step(chain.app.uow, chain.app.clock, chain.app.config)
    await chain.settle()


def _count(chain: Chain, code: str, mark: str) -> int:
    return chain.sb.format_transcript(chain.chat(code)).count(mark)


async def test_a_stale_force_is_reminded_once_a_month(
        chain: Chain, clock: ControllableClock) -> None:
    # f-water's data is dated 2026-05-20: 166 days old on 2026-11-02.
    await _sweeps(chain)
    reminded = await chain.sb.wait_for(chain.chat("f-water"), STALE, since=0)
    assert "166 天未更新" in reminded["text"] and "90 天" in reminded["text"], reminded
    head = chain.county.unit("f-water").people[0].name
    assert head in reminded["text"], reminded  # the head is mentioned
    assert _count(chain, "f-police", STALE) == 0  # f-police's data is fresh (2026-11-02)
    clock.advance(timedelta(days=10))  # still November: not again
    await _sweeps(chain)
    assert _count(chain, "f-water", STALE) == 1
    async with chain.app.uow() as uow:  # written down: the use case itself finds nothing due
        assert await remind(uow, clock, DataConfig(chain.app.settings.zone)) == 0
    clock.advance(timedelta(days=30))  # December: once more
    await _sweeps(chain)
    await chain.sb.wait_for(chain.chat("f-water"), "206 天未更新", since=0)
    await _sweeps(chain)
    assert _count(chain, "f-water", STALE) == 2
    clock.advance(timedelta(days=60))  # February: f-police's data is 100 days old now
    await _sweeps(chain)
    await chain.sb.wait_for(chain.chat("f-police"), STALE, since=0)


async def test_an_update_keeps_a_force_fresh(chain: Chain, clock: ControllableClock) -> None:
    await _sweeps(chain)
    await chain.sb.wait_for(chain.chat("f-water"), STALE, since=0)
    head = chain.county.person("f-water", "head")
    reply = await chain.say("f-water", head, "/update 在岗人数 15")
    assert "2026-11-02" in str(reply["text"])
    clock.advance(timedelta(days=31))  # December, 31 days after the update: fresh
    await _sweeps(chain)
    assert _count(chain, "f-water", STALE) == 1


async def test_insurance_and_health_check_expiries(
        chain: Chain, clock: ControllableClock) -> None:
    head = chain.county.person("f-police", "head")
    member = chain.county.person("f-police", "member")
    for line, says in (
            ("/update 保险 秦磊 2026-11-20", "秦磊 的意外保险到期日 — → 2026-11-20"),
            (f"/update 体检 {member} 2027-06-30", "体检有效期 — → 2027-06-30"),
            ("/update 保险 无名氏 2026-11-20", "名册上没有“无名氏”"),
            ("/update 保险 秦磊 2026-13-01", "不是有效日期"),
            ("/update 保险 秦磊 明年", "不是有效日期")):
        reply = str((await chain.say("f-police", head, line))["text"])
        assert says in reply, (line, reply)
    async with chain.app.uow() as uow:
        row = await uow.session.scalar(select(PersonRow).where(PersonRow.tg_id == member))
        assert row is not None
        assert (row.insurance_until, row.health_check_until) == (
            date(2026, 11, 20), date(2027, 6, 30))
    await _sweeps(chain)
    told = await chain.sb.wait_for(chain.chat("f-police"), EXPIRY, since=0)
    assert "秦磊" in told["text"] and "2026-11-20" in told["text"] and "18 天" in told["text"]
    assert "韩卫国" in told["text"], told  # the head mentioned
    clock.advance(timedelta(days=5))
    await _sweeps(chain)
    assert _count(chain, "f-police", EXPIRY) == 1  # once per person per expiry date
    listed = str((await chain.say("brigade", chain.dispatcher, "/stale"))["text"])
    assert "秦磊：意外保险 2026-11-20 到期" in listed, listed
    dept = chain.county.person("dept-water", "head")
    other = str((await chain.say("dept-water", dept, "/stale"))["text"])
    assert "秦磊" not in other, other
    # A renewal is a new expiry date: told again only when it comes near.
    await chain.say("f-police", head, "/update 保险 秦磊 2027-11-20")
    await _sweeps(chain)
    assert _count(chain, "f-police", EXPIRY) == 1
    # A date already past is told too, as such.
    await chain.say("f-police", head, "/update 体检 韩卫国 2026-10-30")
    await _sweeps(chain)
    past = await chain.sb.wait_for(chain.chat("f-police"), "已过期 8 天", since=0)
    assert "韩卫国 的体检 2026-10-30 到期" in past["text"], past
