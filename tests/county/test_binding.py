"""Binding group chats to units, driven through the sandbox as people would."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from core.clock import ControllableClock
from demo.world import SandboxCounty
from sandbox import Sandbox
from storage.tables import AuditRow, UnitRow
from tests.conftest import REGISTRY_ADMIN


async def unit_chat(app: App, code: str) -> int | None:
    async with app.uow() as uow:
        unit = await uow.units.by_code(code)
    assert unit is not None
    return unit.chat_id


async def test_good_code_binds_and_admins_hear_of_it(app: App, county: SandboxCounty,
                                                      sandbox: Sandbox) -> None:
    gid = county.make_group("f-police")
    assert "/bind" in (await sandbox.wait_for(gid, "尚未绑定单位"))["text"]
    code = await county.invite("f-police")
    await sandbox.send_message(gid, county.members("f-police")[0], f"/bind {code}")
    reply = await sandbox.wait_for(gid, "已绑定")
    assert "青川县公安局" in reply["text"]
    assert await unit_chat(app, "f-police") == gid
    await sandbox.wait_for(REGISTRY_ADMIN, "【接入】")
    async with app.uow() as uow:
        rows = (await uow.session.scalars(select(AuditRow.action))).all()
    assert "chat.bound" in rows and "invite.created" in rows


async def test_wrong_code_is_refused_and_changes_nothing(app: App, county: SandboxCounty,
                                                         sandbox: Sandbox) -> None:
    gid = county.make_group("f-police")
    await sandbox.send_message(gid, county.members("f-police")[0], "/bind WRONG123")
    reply = await sandbox.wait_for(gid, "无效")
    assert "WRONG123" in reply["text"]
    assert await unit_chat(app, "f-police") is None


async def test_used_code_is_refused(app: App, county: SandboxCounty, sandbox: Sandbox) -> None:
    await county.bind("f-police")
    code = await county.invite("f-water")
    first = county.make_group("f-water")
    await sandbox.send_message(first, county.members("f-water")[0], f"/bind {code}")
    await sandbox.wait_for(first, "已绑定")
    second = county.make_group("f-gas")
    await sandbox.send_message(second, county.members("f-gas")[0], f"/bind {code}")
    reply = await sandbox.wait_for(second, "已于")
    assert "只能用一次" in reply["text"]
    assert await unit_chat(app, "f-water") == first
    assert await unit_chat(app, "f-gas") is None


async def test_expired_code_is_refused(app: App, county: SandboxCounty, sandbox: Sandbox,
                                       clock: ControllableClock) -> None:
    code = await county.invite("f-gas")
    clock.advance(timedelta(hours=72, minutes=1))
    gid = county.make_group("f-gas")
    await sandbox.send_message(gid, county.members("f-gas")[0], f"/bind {code}")
    reply = await sandbox.wait_for(gid, "过期")
    assert "索取新码" in reply["text"]
    assert await unit_chat(app, "f-gas") is None


async def test_bind_in_private_chat_is_refused(app: App, county: SandboxCounty,
                                               sandbox: Sandbox) -> None:
    code = await county.invite("f-gas")
    await sandbox.send_message(REGISTRY_ADMIN, REGISTRY_ADMIN, f"/bind {code}")
    await sandbox.wait_for(REGISTRY_ADMIN, "只能在要绑定的群里")
    assert await unit_chat(app, "f-gas") is None


async def test_non_admin_cannot_invite(app: App, county: SandboxCounty, sandbox: Sandbox) -> None:
    dispatcher = county.person("brigade", "dispatcher")
    await sandbox.send_message(dispatcher, dispatcher, "/invite f-police")
    reply = await sandbox.wait_for(dispatcher, "只有管理员")
    assert "/bind" not in reply["text"]
    async with app.uow() as uow:
        actions = (await uow.session.scalars(select(AuditRow.action))).all()
    assert "invite.created" not in actions


async def test_removed_bot_unbinds_and_tells_admins(app: App, county: SandboxCounty,
                                                    sandbox: Sandbox) -> None:
    gid = await county.bind("f-gas")
    sandbox.remove_bot_from_group(gid, by_user=county.members("f-gas")[0])
    notice = await sandbox.wait_for(REGISTRY_ADMIN, "【失联】")
    assert "f-gas" in notice["text"] and "移出" in notice["text"]
    assert await unit_chat(app, "f-gas") is None


async def test_upgraded_group_keeps_its_binding(app: App, county: SandboxCounty,
                                                sandbox: Sandbox) -> None:
    gid = await county.bind("f-gas")
    new_id = sandbox.upgrade_group(gid)
    await sandbox.wait_delivered()
    assert await unit_chat(app, "f-gas") == new_id
    await sandbox.send_message(new_id, county.members("f-gas")[0], "/status")
    reply = await sandbox.wait_for(new_id, "f-gas")
    assert "青川县燃气" in reply["text"] or "燃气" in reply["text"]


async def test_unit_rows_have_unique_chats(app: App, county: SandboxCounty) -> None:
    await county.bind_all(["f-gas", "f-police"])
    async with app.uow() as uow:
        chats = (await uow.session.scalars(select(UnitRow.chat_id))).all()
    bound = [c for c in chats if c is not None]
    assert len(bound) == len(set(bound)) == 2
