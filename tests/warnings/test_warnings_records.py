"""A warning's record stays true: the area shown is the one targeted, reminders end, and a
cancellation never hides a confirmation."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.app import App
from core.clock import ControllableClock
from core.registry import ForceCategory, Unit, UnitKind
from core.warnings.notices import targeted_area
from core.warnings.targets import parse_targets
from demo.world import SandboxCounty
from sandbox import Sandbox
from storage.tables import AuditRow, NoticeRow
from tests.warnings.test_warnings_flow import METEO_ISSUER, bind

HEKOU = ["f-town-hekou", "f-hazchem", "f-mfs-hekou", "f-expert-hazchem"]


async def test_every_copy_shows_the_township_targeted(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    chats = await bind(county, [*HEKOU, "f-police"])
    await sandbox.send_message(chats["dept-meteo"], METEO_ISSUER,
                               "/warn red 暴雨 township:河口镇 12 今夜河口镇有特大暴雨")
    await sandbox.wait_for(chats["dept-meteo"], "发往 4 支力量")
    for code in HEKOU:
        card = await sandbox.wait_for(chats[code], "今夜河口镇有特大暴雨", since=0)
        assert "区域：河口镇" in card["text"] and "全县" not in card["text"], card["text"]
    assert not any("今夜河口镇" in t for t in sandbox.bot_texts(chats["f-police"]))


async def test_every_copy_shows_the_category_targeted(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    chats = await bind(county, ["f-police", "f-water"])
    await sandbox.send_message(chats["dept-meteo"], METEO_ISSUER,
                               "/warn blue 大风 force:f-police,f-water 6 午后阵风")
    card = await sandbox.wait_for(chats["f-water"], "午后阵风", since=0)
    assert "区域：指定力量：" in card["text"] and "特警" in card["text"], card["text"]


async def reminders(app: App) -> list[tuple[str, datetime]]:
    async with app.uow() as uow:
        rows = await uow.session.execute(
            select(AuditRow.action, AuditRow.at).where(AuditRow.action.in_(
                ("warning.reminded", "warning.expired", "warning.cancelled")))
            .order_by(AuditRow.id))
        return [(a, at) for a, at in rows.all()]


async def reports(app: App) -> tuple[int, int]:
    """(reports sent to the brigade, reports in the audit trail)"""
    async with app.uow() as uow:
        sent = (await uow.session.scalars(select(NoticeRow.id).where(
            NoticeRow.template == "warnings.silent_report"))).all()
        kept = (await uow.session.scalars(select(AuditRow.id).where(
            AuditRow.action == "warning.silent_reported"))).all()
        return len(sent), len(kept)


async def sweep_now(app: App) -> None:
    """One whole sweep at the clock's present time, after any the scheduler has under way."""
    async with app.sweep.running:
        await app.sweep._steps()


async def step(app: App, clock: ControllableClock, minutes: int, times: int) -> None:
    for _ in range(times):
        clock.advance(timedelta(minutes=minutes))
        await sweep_now(app)


async def test_red_reminders_slow_down_after_the_report_and_end_with_the_warning(
    app: App, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock
) -> None:
    chats = await bind(county, ["f-water"])
    start = clock.now()
    await sandbox.send_message(chats["dept-meteo"], METEO_ISSUER,
                               "/warn red 洪水 force:f-water 4 河道水位上涨")
    await sandbox.wait_for(chats["f-water"], "河道水位上涨")
    await step(app, clock, 5, 12 * 8)  # 8 hours in 5-minute steps; valid for 4
    log = await reminders(app)
    reminded = [at for action, at in log if action == "warning.reminded"]
    # every 5 minutes until the brigade is told (the 3rd), then hourly until it expires
    offsets = [round((at - start).total_seconds() / 60) for at in reminded]
    assert offsets == [5, 10, 15, 75, 135, 195], offsets
    assert [a for a, _ in log][-1] == "warning.expired"
    assert await reports(app) == (1, 1)
    await sandbox.wait_for(chats["f-water"], "第 6 次提醒", since=0)
    assert not any("第 7 次提醒" in t for t in sandbox.bot_texts(chats["f-water"]))


async def test_no_reminder_after_a_cancel(
    app: App, county: SandboxCounty, sandbox: Sandbox, clock: ControllableClock
) -> None:
    chats = await bind(county, ["f-water"])
    await sandbox.send_message(chats["dept-meteo"], METEO_ISSUER,
                               "/warn red 洪水 force:f-water 24 河道水位上涨")
    await sandbox.wait_for(chats["f-water"], "河道水位上涨")
    await step(app, clock, 5, 4)
    await sandbox.send_message(chats["dept-meteo"], METEO_ISSUER, "/warn_cancel 1")
    await sandbox.wait_for(chats["dept-meteo"], "预警 #1 已解除")
    await step(app, clock, 30, 12)
    log = await reminders(app)
    assert [a for a, _ in log] == ["warning.reminded"] * 3 + ["warning.cancelled"], log


async def test_a_cancel_keeps_who_confirmed_on_the_card(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    chats = await bind(county, ["f-water", "f-police"])
    await sandbox.send_message(chats["dept-meteo"], METEO_ISSUER,
                               "/warn orange 洪水 force:f-water,f-police 24 河道水位上涨")
    await sandbox.wait_for(chats["f-water"], "河道水位上涨")
    head = county.person("f-water", "head")
    cq = await sandbox.press_button(chats["f-water"], head, "已收到")
    await sandbox.wait_callback_answer(cq)
    name = county.unit("f-water").people[0].name
    await sandbox.wait_for(chats["f-water"], "确认收到。", since=0)
    await sandbox.send_message(chats["dept-meteo"], METEO_ISSUER, "/warn_cancel 1")
    card = await sandbox.wait_for(
        chats["f-water"], lambda m: "河道水位上涨" in m["text"] and "已解除" in m["text"])
    assert "确认收到" in card["text"], card["text"]
    assert any(p.name in card["text"] for p in county.unit("f-water").people), (name, card)
    police = await sandbox.wait_for(
        chats["f-police"], lambda m: "河道水位上涨" in m["text"] and "已解除" in m["text"],
        since=0)
    assert "确认收到" not in police["text"]


def test_area_of_each_kind_of_target() -> None:
    units = {1: Unit("dept-water", UnitKind.DEPARTMENT, "水利局", id=1, sector="water"),
             2: Unit("f-a", UnitKind.FORCE, "甲队", id=2, category=ForceCategory.SOCIAL)}

    def area(raw: str) -> object:
        return targeted_area(parse_targets(raw), units)

    assert area("all") == {"_t": "warnings.area_all"}
    assert area("township:河口镇,城关镇") == ["河口镇", "城关镇"]
    assert area("sector:water") == {"_t": "warnings.area.sector", "names": ["水利局"]}
    assert area("force:f-a,f-x") == {"_t": "warnings.area.force", "names": ["甲队", "f-x"]}
    assert area("category:social") == {
        "_t": "warnings.area.category", "names": [{"_t": "category.social"}]}
