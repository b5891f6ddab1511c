"""/whoami: anyone learns the Telegram id the registry needs, and what the bot knows of them."""

from __future__ import annotations

import asyncio

from bot.app import App
from demo.world import SandboxCounty
from sandbox import Sandbox
from tests.conftest import SETTINGS_ADMIN

STRANGER = 555002  # a new team member, not yet in the registry
TWO_UNITS = 300103  # in the registry for two forces


async def test_whoami_in_private_lists_units_and_roles(app: App, county: SandboxCounty,
                                                       sandbox: Sandbox) -> None:
    await sandbox.send_message(TWO_UNITS, TWO_UNITS, "/whoami")
    text = (await sandbox.wait_for(TWO_UNITS, "Telegram ID"))["text"]
    assert str(TWO_UNITS) in text
    assert "f-town-chengguan" in text and "f-volunteer-bluesky" in text and "成员" in text
    head = county.person("f-power-repair", "head")
    await sandbox.send_message(head, head, "/whoami")
    text = (await sandbox.wait_for(head, "Telegram ID"))["text"]
    assert "李强" in text and "国网青川县供电公司抢修队（f-power-repair）：负责人" in text
    await sandbox.send_message(SETTINGS_ADMIN, SETTINGS_ADMIN, "/whoami")
    text = (await sandbox.wait_for(SETTINGS_ADMIN, "Telegram ID"))["text"]
    assert "管理员" in text and str(SETTINGS_ADMIN) in text


async def test_whoami_in_a_group_for_someone_not_in_the_registry(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    gid = await county.bind("f-power-repair")
    sandbox.add_user(STRANGER, "新队员小周")
    sandbox.add_member(gid, STRANGER)
    await sandbox.send_message(gid, STRANGER, "/whoami")
    text = (await sandbox.wait_for(gid, "Telegram ID"))["text"]
    assert str(STRANGER) in text and "新队员小周" in text
    assert "不在登记名册中" in text and "信息化管理员" in text
    await sandbox.send_message(gid, STRANGER, "/lang en")
    await sandbox.wait_for(gid, "English")
    await sandbox.send_message(gid, STRANGER, "/whoami")
    text = (await sandbox.wait_for(gid, "Telegram id"))["text"]
    assert "not in the registry" in text and "IT officer" in text


async def test_whoami_explains_anonymous_admins(app: App, county: SandboxCounty,
                                                sandbox: Sandbox) -> None:
    gid = await county.bind("f-power-repair")
    head = county.person("f-power-repair", "head")
    await sandbox.send_message(gid, head, "/whoami", anonymous_admin=True)
    text = (await sandbox.wait_for(gid, "匿名"))["text"]
    assert "来自本群" in text and str(head) not in text and "1087968824" not in text


async def test_help_and_menu_offer_whoami(app: App, county: SandboxCounty,
                                          sandbox: Sandbox) -> None:
    sandbox.add_user(STRANGER, "新队员小周")
    await sandbox.send_message(STRANGER, STRANGER, "/help")
    assert "/whoami" in (await sandbox.wait_for(STRANGER, "/help"))["text"]
    for _ in range(200):
        if len(sandbox.commands) >= 2:
            break
        await asyncio.sleep(0.05)
    menus = sandbox.commands
    assert menus and all("whoami" in [c["command"] for c in menu] for menu in menus.values())
