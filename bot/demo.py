"""`python -m bot demo`: the real bot against a local sandbox, with a simulated county.

Starts the sandbox, imports the example county into a fresh database, binds every unit's group
by the real /invite + /bind flow, then plays each feature's scene with simulated people, and
prints every chat's messages as they happen.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.app import build_app
from bot.registry_cli import CONSOLE, import_file
from bot.settings import Settings
from bot.world import SandboxCounty, load_county
from core.clock import ControllableClock
from core.usecases.binding import create_invite
from sandbox import Sandbox

log = logging.getLogger(__name__)
TOKEN = "7000001:DEMO"
ADMIN = 100009
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "county.yaml"
SCENES = ("bot.demo_scenes.dispatch", "bot.demo_scenes.alerts")


class Printer:
    """Prints each bot or human message once, and again when the bot edits it."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        self.seen: dict[tuple[int, int], int] = {}
        self.quiet = True

    def titles(self, chat_id: int) -> str:
        chat = self.sb.chats.get(chat_id)
        if chat is None:
            return str(chat_id)
        if chat.type == "private" and chat.user:
            return f"私聊 {chat.user.get('first_name', chat_id)}"
        return chat.title or str(chat_id)

    def flush(self) -> None:
        changed = []
        for chat_id, chat in list(self.sb.chats.items()):
            for message in list(chat.messages.values()):
                key = (chat_id, message.message_id)
                if self.seen.get(key) != message.edits:
                    changed.append((message.seq, chat_id, key, message.entry()))
        for _, chat_id, key, entry in sorted(changed, key=lambda c: c[0]):  # as they happened
            edited = key in self.seen
            self.seen[key] = entry["edits"]
            # The admin's 54 "group bound" notes trickle in at 1/s: counted, not shown.
            if not self.quiet and not entry["text"].startswith("【接入】"):
                self.show(chat_id, entry, edited)

    def show(self, chat_id: int, entry: dict[str, Any], edited: bool) -> None:
        person = self.sb.users.get(entry["from_id"], {}).get("first_name", "")
        who = "🤖" if entry["is_bot"] else f"👤{person}"
        mark = " (已编辑 edited)" if edited else ""
        buttons = " ".join(f"[{b}]" for row in entry["buttons"] for b in row)
        text = entry["text"].replace("\n", "\n    ")
        tail = f"\n    {buttons}" if buttons else ""
        print(f"── {self.titles(chat_id)} {who}{mark}\n    {text}{tail}", flush=True)

    async def run(self) -> None:
        while True:
            self.flush()
            await asyncio.sleep(0.2)


async def _scenes() -> list[Callable[..., Awaitable[None]]]:
    plays = []
    for name in SCENES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        plays.append(module.play)
    return plays


async def run_demo(settings: Settings, registry: Path | None, *, fast: bool = False) -> None:
    folder = Path(tempfile.mkdtemp(prefix="rescuebot-demo-"))
    sb = Sandbox(limits=True)
    await sb.start()
    sb.create_bot(TOKEN, "rescue_bot", "联调联战")
    demo_settings = settings.model_copy(update={
        "api_url": sb.base_url, "database_url": f"sqlite+aiosqlite:///{folder / 'demo.db'}",
        "admins": [], "sweep_seconds": 0.5,
    })
    clock = ControllableClock()
    path = registry or EXAMPLE
    print(f"沙箱 Telegram 已启动 sandbox at {sb.base_url}; 数据库 database {folder / 'demo.db'}")
    print((await import_file(demo_settings, path, clock)).splitlines()[0])
    county = SandboxCounty(sb, load_county(path), ADMIN)
    county.add_people()

    app = build_app(demo_settings, TOKEN, clock)

    async def console_invite(code: str) -> str:
        # What `python -m bot invite <unit>` does, for all 54 units at once.
        async with app.uow() as uow:
            invite, _ = await create_invite(uow, CONSOLE, code, clock, app.config)
        return invite.code

    county.console_invite = console_invite
    printer = Printer(sb)
    tasks = [asyncio.create_task(app.run()), asyncio.create_task(printer.run())]

    async def pause(seconds: float) -> None:
        # Even in a hurry, give the scheduler's sweep (every 0.5 s here) a turn.
        await asyncio.sleep(min(seconds, 0.6) if fast else seconds)

    try:
        await sb.send_message(ADMIN, ADMIN, "/start")  # the IT officer opens a chat with the bot
        print("绑定各单位群聊 binding every unit's group chat (/invite + /bind)…", flush=True)
        await county.bind_all(parallel=8)
        await asyncio.sleep(1)
        printer.flush()
        print(f"已绑定 {len(county.chats)} 个群 groups bound. 以下为各群实时消息 live messages:\n")
        printer.quiet = False
        await county.sb.send_message(ADMIN, ADMIN, "/status")
        await pause(2)
        for play in await _scenes():
            await play(county, clock, pause)
            await pause(2)
        await asyncio.sleep(2)
        printer.flush()
        print("\n演示结束 demo finished.")
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await app.close()
        await sb.stop()
