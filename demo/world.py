"""A county in the sandbox: its people, one group chat per unit, each bound by the real flow.

The demo and the tests use it; it drives the sandbox as people would (an admin asks for a code
in a private chat, a member sends /bind in the group), never the bot's internals.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from core.registry_file import RegistryFile, UnitSpec
from sandbox import Sandbox

CODE_RE = re.compile(r"/bind ([A-Z0-9]{6,12})")


@dataclass
class SandboxCounty:
    sb: Sandbox
    registry: RegistryFile
    admin: int
    chats: dict[str, int] = field(default_factory=dict)
    # How a binding code is obtained; by default an admin asks for it in a private chat.
    console_invite: Callable[[str], Awaitable[str]] | None = None
    # How long to wait for the bot's answer to /invite or /bind; the demo, paced like Telegram
    # on a busy machine, waits longer than the tests.
    timeout: float = 10.0

    def unit(self, code: str) -> UnitSpec:
        return next(u for u in self.registry.units if u.code == code)

    def person(self, code: str, role: str) -> int:
        """The first person holding ``role`` in unit ``code``."""
        return next(p.tg_id for p in self.unit(code).people if role in {r.value for r in p.roles})

    def members(self, code: str) -> list[int]:
        return [p.tg_id for p in self.unit(code).people]

    def add_people(self) -> None:
        seen: set[int] = set()
        for unit in self.registry.units:
            for p in unit.people:
                if p.tg_id not in seen:
                    seen.add(p.tg_id)
                    self.sb.add_user(p.tg_id, p.name)
        if self.admin not in seen:
            self.sb.add_user(self.admin, "admin")

    def make_group(self, code: str) -> int:
        """The unit's group chat, with the bot added by the unit's first member."""
        members = self.members(code) or [self.admin]
        gid = self.sb.create_group(self.unit(code).name, members, admins=members[:1])
        self.sb.add_bot_to_group(gid, by_user=members[0])
        return gid

    async def invite(self, code: str) -> str:
        if self.console_invite is not None:
            return await self.console_invite(code)
        await self.sb.send_message(self.admin, self.admin, f"/invite {code}")
        reply = await self.sb.wait_for(self.admin, "/bind ", timeout=self.timeout)
        found = CODE_RE.search(reply["text"])
        assert found, reply["text"]
        return found.group(1)

    async def bind(self, code: str) -> int:
        gid = self.chats.get(code) or self.make_group(code)
        invite = await self.invite(code)
        binder = (self.members(code) or [self.admin])[0]
        await self.sb.send_message(gid, binder, f"/bind {invite}")
        marks = (f"({code})", f"（{code}）")
        await self.sb.wait_for(gid, lambda m: any(x in m["text"] for x in marks),
                               timeout=self.timeout)
        self.chats[code] = gid
        return gid

    async def bind_all(
        self, codes: list[str] | None = None, parallel: int = 1
    ) -> dict[str, int]:
        gate = asyncio.Semaphore(parallel)

        async def one(code: str) -> None:
            async with gate:
                await self.bind(code)

        await asyncio.gather(*(one(c) for c in codes or [u.code for u in self.registry.units]))
        return self.chats


def load_county(path: Any) -> RegistryFile:
    from pathlib import Path

    from bot.registry_read import read_registry
    from core.registry_file import parse_registry

    # Read as the importer reads it: a GBK or UTF-16 file that imported loads here too.
    return parse_registry(read_registry(Path(path)).data)
