"""Who may issue warnings and call roll-calls; everyone else is refused and nothing changes."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from demo.world import SandboxCounty
from sandbox import Sandbox
from storage.tables import NoticeRow
from storage.tables_alerts import RollCallRow, WarningRow


async def counts(app: App) -> tuple[int, int, int]:
    async with app.uow() as uow:
        s = uow.session
        return (int(await s.scalar(select(func.count(WarningRow.id))) or 0),
                int(await s.scalar(select(func.count(RollCallRow.id))) or 0),
                int(await s.scalar(select(func.count(NoticeRow.id))
                                   .where(NoticeRow.template.like("warnings.%")
                                          | NoticeRow.template.like("rollcall.%"))) or 0))


async def test_people_without_the_role_are_refused(app: App, county: SandboxCounty,
                                                   sandbox: Sandbox) -> None:
    chats = await county.bind_all(["brigade", "dept-housing", "f-police"])
    warn = "/warn red 暴雨 all 12 今夜暴雨"
    head = county.person("f-police", "head")
    await sandbox.send_message(chats["f-police"], head, warn)
    assert "预警发布人" in (await sandbox.wait_for(chats["f-police"], "此操作需要"))["text"]
    dispatcher = county.person("brigade", "dispatcher")  # 吴磊 also issues warnings
    plain = 200003  # 郑凯: dispatcher only
    assert plain != dispatcher
    await sandbox.send_message(chats["brigade"], plain, warn)
    refusal = await sandbox.wait_for(chats["brigade"], "没有")
    assert "“预警发布人”" in refusal["text"] and "消防救援大队" in refusal["text"]
    housing = county.person("dept-housing", "head")  # a department without warning issuers
    await sandbox.send_message(chats["dept-housing"], housing, "/warn")
    await sandbox.wait_for(chats["dept-housing"], "“预警发布人”")

    await sandbox.send_message(chats["f-police"], head, "/rollcall")
    assert "调度员" in (await sandbox.wait_for(chats["f-police"], "此操作需要"))["text"]
    issuer_only = 200005  # 何静: warning issuer, no duty role
    await sandbox.send_message(chats["brigade"], issuer_only, "/rollcall")
    await sandbox.wait_for(chats["brigade"], "“调度员”")
    await sandbox.send_message(chats["brigade"], issuer_only, "/sensitive 7")
    await sandbox.wait_for(chats["brigade"], "“调度员”")
    assert await counts(app) == (0, 0, 0)
    assert not any("【值班点名】" in t for t in sandbox.bot_texts(chats["f-police"]))


async def test_help_lists_the_commands_a_person_may_use(app: App, county: SandboxCounty,
                                                        sandbox: Sandbox) -> None:
    chats = await county.bind_all(["brigade", "f-police"])
    await sandbox.send_message(chats["brigade"], county.person("brigade", "dispatcher"), "/help")
    text = (await sandbox.wait_for(chats["brigade"], "/help"))["text"]
    assert "/warn " in text and "/rollcall" in text and "/duty" in text
    await sandbox.send_message(chats["f-police"], county.person("f-police", "head"), "/help")
    text = (await sandbox.wait_for(chats["f-police"], "/help"))["text"]
    assert "/warn " not in text and "/rollcall" not in text and "/duty" in text
