"""/status shows phone numbers only to those who coordinate the unit."""

from __future__ import annotations

import re

from bot.app import App
from demo.world import SandboxCounty
from sandbox import Sandbox
from tests.conftest import SETTINGS_ADMIN

PHONE = re.compile(r"1\d{10}")
STRANGER = 555001  # a driver added to the group, not in the registry


async def _status(sandbox: Sandbox, gid: int, who: int) -> str:
    await sandbox.send_message(gid, who, "/status")
    return str((await sandbox.wait_for(gid, "f-power-repair"))["text"])


async def test_phones_only_for_the_unit_the_brigade_the_bureau_and_admins(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    gid = await county.bind("f-power-repair")
    sandbox.add_user(STRANGER, "司机小陈")
    outsider = county.members("f-water")[0]  # in the chat, but of another force
    bureau = county.person("bureau", "member")
    brigade = county.person("brigade", "dispatcher")
    for who in (STRANGER, outsider, bureau, brigade, SETTINGS_ADMIN):
        sandbox.add_member(gid, who)

    for who in (STRANGER, outsider):
        text = await _status(sandbox, gid, who)
        assert "李强" in text and not PHONE.search(text), text
        assert "电话号码仅向" in text

    head = county.person("f-power-repair", "head")
    for who in (head, bureau, brigade, SETTINGS_ADMIN):
        text = await _status(sandbox, gid, who)
        assert "15883901501" in text and "15883901502" in text, (who, text)
        assert "电话号码仅向" not in text


async def test_anonymous_admin_sees_no_phones(app: App, county: SandboxCounty,
                                              sandbox: Sandbox) -> None:
    gid = await county.bind("f-power-repair")
    head = county.person("f-power-repair", "head")
    await sandbox.send_message(gid, head, "/status", anonymous_admin=True)
    text = (await sandbox.wait_for(gid, "f-power-repair"))["text"]
    assert not PHONE.search(text), text


async def test_status_leaves_out_what_the_registry_does_not_say(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    async with app.uow() as uow:
        unit = await uow.units.by_code("f-power-repair")
        assert unit is not None
        unit.sector = ""
        await uow.units.update(unit)
        await uow.commit()
    gid = await county.bind("f-power-repair")
    text = await _status(sandbox, gid, county.person("f-power-repair", "head"))
    assert "类别：企业；乡镇：城关镇" in text and "行业" not in text.split("\n")[1], text
    assert "-" not in text.split("\n")[1]
