"""/status, the connection ratio, /lang and /help as people in the chats see them."""

from __future__ import annotations

import re

from bot.app import App
from demo.world import SandboxCounty
from sandbox import Sandbox
from tests.conftest import REGISTRY_ADMIN, SETTINGS_ADMIN

CHINESE_PUNCTUATION = r"[（）、，：；。【】“”]"


async def test_status_shows_unit_and_people(app: App, county: SandboxCounty,
                                            sandbox: Sandbox) -> None:
    gid = await county.bind("f-power-repair")
    member = county.members("f-power-repair")[-1]
    await sandbox.send_message(gid, member, "/status")
    reply = await sandbox.wait_for(gid, "f-power-repair")
    text = reply["text"]
    assert "行业主管部门" in text and "值班员" in text
    assert "接入比例" not in text  # only admins see the county's figures


async def test_admin_sees_connection_ratio_and_unbound_forces(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    async with app.uow() as uow:
        from core.registry import UnitKind

        forces = await uow.units.list(UnitKind.FORCE)
    await county.bind_all(["f-police", "f-gas"])
    await sandbox.send_message(REGISTRY_ADMIN, REGISTRY_ADMIN, "/status")
    reply = await sandbox.wait_for(REGISTRY_ADMIN, "接入比例")
    total = len(forces)
    assert f"2/{total}" in reply["text"]
    assert "未达到 80%" in reply["text"]
    assert "f-water" in reply["text"] and "f-police)" not in reply["text"]


async def test_ratio_meets_target_when_most_forces_are_bound(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    forces = [u.code for u in county.registry.units if u.kind.value == "force"]
    needed = -(-len(forces) * 8 // 10)
    await county.bind_all(forces[:needed])
    await sandbox.send_message(SETTINGS_ADMIN, SETTINGS_ADMIN, "/status")
    reply = await sandbox.wait_for(SETTINGS_ADMIN, "接入比例")
    assert f"{needed}/{len(forces)}" in reply["text"] and "已达到 80%" in reply["text"]


async def test_language_switch_is_per_chat(app: App, county: SandboxCounty,
                                           sandbox: Sandbox) -> None:
    gid = await county.bind("f-gas")
    other = await county.bind("f-water")
    member = county.members("f-gas")[0]
    await sandbox.send_message(gid, member, "/lang en")
    await sandbox.wait_for(gid, "This chat's language is now English.")
    await sandbox.send_message(gid, member, "/status")
    assert "People (" in (await sandbox.wait_for(gid, "f-gas"))["text"]
    await sandbox.send_message(gid, member, "/bind")
    await sandbox.wait_for(gid, "Usage: /bind <code>")
    await sandbox.send_message(other, county.members("f-water")[0], "/status")
    assert "人员（" in (await sandbox.wait_for(other, "f-water"))["text"]
    await sandbox.send_message(gid, member, "/lang fr")
    reply = await sandbox.wait_for(gid, "Unknown language")
    assert "zh, en" in reply["text"]
    await sandbox.send_message(gid, member, "/lang zh")
    await sandbox.wait_for(gid, "中文")


async def test_help_lists_only_what_the_person_may_use(app: App, county: SandboxCounty,
                                                       sandbox: Sandbox) -> None:
    member = county.members("f-gas")[0]
    await sandbox.send_message(member, member, "/help")
    plain = (await sandbox.wait_for(member, "/help"))["text"]
    assert "/invite" not in plain
    await sandbox.send_message(REGISTRY_ADMIN, REGISTRY_ADMIN, "/help")
    admin = (await sandbox.wait_for(REGISTRY_ADMIN, "/help"))["text"]
    assert "/invite" in admin


async def test_anonymous_admin_cannot_bind(app: App, county: SandboxCounty,
                                           sandbox: Sandbox) -> None:
    gid = county.make_group("f-gas")
    code = await county.invite("f-gas")
    await sandbox.send_message(gid, county.members("f-gas")[0], f"/bind {code}",
                               anonymous_admin=True)
    reply = await sandbox.wait_for(gid, "匿名")
    assert "本人身份" in reply["text"]
    async with app.uow() as uow:
        unit = await uow.units.by_code("f-gas")
    assert unit is not None and unit.chat_id is None


async def test_lists_use_the_chats_punctuation(app: App, county: SandboxCounty,
                                               sandbox: Sandbox) -> None:
    gid = await county.bind("brigade")
    member = county.person("brigade", "dispatcher")
    await sandbox.send_message(gid, member, "/status")
    text = (await sandbox.wait_for(gid, "brigade"))["text"]
    assert "负责人、指挥员" in text or "指挥员、负责人" in text
    await sandbox.send_message(gid, member, "/lang en")
    await sandbox.wait_for(gid, "This chat's language is now English.")
    await sandbox.send_message(gid, member, "/status")
    text = (await sandbox.wait_for(gid, "People ("))["text"]
    assert "dispatcher, warning issuer" in text
    assert not re.search(CHINESE_PUNCTUATION, text), text
