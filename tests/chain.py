"""Shared set-up for the dispatch tests: the chain of command and a few forces, bound."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from sqlalchemy import func, select

from bot.app import App
from demo.world import SandboxCounty
from sandbox import Sandbox
from storage.tables import NoticeRow

FORCES = ("f-police", "f-water", "f-health")
UNITS = ("bureau", "brigade", "gov", "dept-police", "dept-water", "dept-health", *FORCES)
PLAN_RE = re.compile(r"#(\d+)")


@dataclass
class Chain:
    county: SandboxCounty
    sb: Sandbox
    app: App

    def chat(self, code: str) -> int:
        return self.county.chats[code]

    @property
    def dispatcher(self) -> int:
        return self.county.person("brigade", "dispatcher")

    @property
    def approver(self) -> int:
        return self.county.person("bureau", "approver")

    @property
    def second_approver(self) -> int:
        return [p.tg_id for p in self.county.unit("bureau").people
                if "approver" in {r.value for r in p.roles}][1]

    async def say(self, code: str, who: int, text: str) -> dict[str, object]:
        """Send a command in a unit's chat and return the bot's direct reply."""
        sent = await self.sb.send_message(self.chat(code), who, text)
        return await self.sb.wait_for(
            self.chat(code), lambda m: m["reply_to"] == sent["message_id"])

    async def incident(self, words: str = "一般 城关镇 城关镇化工厂火灾") -> int:
        reply = await self.say("brigade", self.dispatcher, f"/incident {words}")
        found = PLAN_RE.search(str(reply["text"]))
        assert found, reply["text"]
        return int(found.group(1))

    async def plan(self, incident: int, forces: str = ",".join(FORCES),
                   task: str = "赶赴现场处置") -> int:
        reply = await self.say("brigade", self.dispatcher, f"/dispatch {incident} {forces} {task}")
        found = PLAN_RE.search(str(reply["text"]))
        assert found and "审批" in str(reply["text"]), reply["text"]
        return int(found.group(1))

    async def approve(self, plan: int) -> None:
        await self.sb.wait_for(self.chat("bureau"), f"调用方案 #{plan} 待审批", since=0)
        cq = await self.sb.press_button(self.chat("bureau"), self.approver, "批准",
                                        text_contains=f"#{plan} ")
        answer = await self.sb.wait_callback_answer(cq)
        assert "批准" in str(answer["text"]), answer
        await self.settle()

    async def settle(self, seconds: float = 10.0) -> None:
        """Wait until the bot has sent everything it means to, as a person would wait."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            async with self.app.uow() as uow:
                pending = await uow.session.scalar(
                    select(func.count()).select_from(NoticeRow)
                    .where(NoticeRow.status == "pending", NoticeRow.person_tg_id.is_(None)))
            if not pending:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{pending} notices still pending")

    async def press(self, code: str, who: int, label: str, contains: str) -> dict[str, object]:
        cq = await self.sb.press_button(self.chat(code), who, label, text_contains=contains)
        return await self.sb.wait_callback_answer(cq)
