"""Who sent an update is kept between updates (bot/identities.py); any write to the registry,
from any process, is seen by the very next update."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.app import App
from bot.registry_cli import import_file
from bot.settings import Settings
from core.clock import ControllableClock
from demo.world import SandboxCounty
from sandbox import Sandbox
from tests.conftest import COUNTY

STRANGER = 555002  # not in the registry until the second import


async def test_an_import_beside_the_running_bot_is_seen_by_the_next_update(
    app: App, county: SandboxCounty, sandbox: Sandbox, settings: Settings,
    clock: ControllableClock, tmp_path: Path,
) -> None:
    head = county.person("f-power-repair", "head")
    sandbox.add_user(STRANGER, "新队员")
    for who in (head, STRANGER):  # both asked once: the bot knows them as they were
        await sandbox.send_message(who, who, "/whoami")
    assert "李强" in (await sandbox.wait_for(head, "Telegram ID"))["text"]
    assert "不在登记名册中" in (await sandbox.wait_for(STRANGER, "Telegram ID"))["text"]

    data = yaml.safe_load(COUNTY.read_text(encoding="utf-8"))
    units = {u["code"]: u for u in data["units"]}
    units["f-power-repair"]["people"][0]["name"] = "李新强"
    units["f-gas"]["people"].append({"tg_id": STRANGER, "name": "新队员", "roles": ["member"]})
    path = tmp_path / "county.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    await import_file(settings, path, clock)  # its own engine, as `python -m bot registry import`

    await sandbox.send_message(head, head, "/whoami")
    assert "李新强" in (await sandbox.wait_for(head, "李新强"))["text"]
    await sandbox.send_message(STRANGER, STRANGER, "/whoami")
    assert "成员" in (await sandbox.wait_for(STRANGER, "f-gas"))["text"]
