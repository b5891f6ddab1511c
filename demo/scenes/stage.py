"""What a demo scene plays with: the county in the sandbox, the clock, the chats' language.

Scenes find buttons and wait for answers by the catalog's texts, not by literal Chinese, so the
demo plays in any locale and keeps working when a text's wording changes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.i18n import Texts
from core.clock import ControllableClock
from demo.world import SandboxCounty

# A busy group may wait up to a minute: Telegram allows it 20 messages a minute.
WAIT = 90
_TAG = re.compile(r"<[^>]+>")
_FIELD = re.compile(r"\{[^}]*\}")


async def _no_pause(seconds: float) -> None:
    return None


async def _nothing() -> None:
    return None


def _quiet(*args: Any) -> None:
    return None


@dataclass
class Stage:
    county: SandboxCounty
    clock: ControllableClock
    t: Texts
    pause: Callable[[float], Awaitable[None]] = _no_pause
    # Resolves once the bot has sent every notice to a group; see `later`.
    settled: Callable[[], Awaitable[None]] = _nothing
    # The demo prints these; tests leave them quiet.
    narrate: Callable[[str], None] = _quiet
    show_tap: Callable[[int, int, str], None] = _quiet
    numbers: dict[str, str] = field(default_factory=dict)

    def label(self, key: str) -> str:
        """A button's text as the chats show it."""
        return html.unescape(_TAG.sub("", self.t(key)))

    def fragments(self, key: str) -> list[list[str]]:
        """The fixed words of a text's first line, between its fields: for each plural form."""
        out = []
        for form in self.t.translator.forms(self.t.locale, key):
            plain = html.unescape(_TAG.sub("", form))
            parts = [p.strip() for p in _FIELD.split(plain.strip().split("\n")[0])]
            out.append([p for p in parts if p] or [plain])
        return out

    def marker(self, key: str) -> str:
        """The longest fixed words of a text: enough to find it among a chat's messages."""
        forms = self.fragments(key)
        shared = [f for f in forms[0] if all(f in other for other in forms)]
        return max(shared or forms[0], key=len)

    def matches(self, key: str) -> Callable[[dict[str, Any]], bool]:
        forms = self.fragments(key)
        return lambda entry: any(all(f in entry["text"] for f in fragments)
                                 for fragments in forms)

    def chat(self, code: str) -> int:
        return self.county.chats[code]

    async def wait(self, code: str, key: str, *, since: int | None = None) -> dict[str, Any]:
        return await self.county.sb.wait_for(self.chat(code), self.matches(key), timeout=WAIT,
                                             since=since)

    async def number(self, code: str, key: str) -> str:
        """The #number in the bot's answer ``key`` in ``code``'s chat."""
        found = re.search(r"#(\d+)", (await self.wait(code, key))["text"])
        assert found, key
        return found.group(1)

    async def say(self, code: str, who: int, text: str, *, reply_to: int | None = None) -> None:
        await self.county.sb.send_message(self.chat(code), who, text, reply_to=reply_to)

    async def tap(self, code: str, who: int, key: str, contains: str) -> None:
        """``who`` taps the button ``key`` on the latest bot message containing ``contains``."""
        chat, label = self.chat(code), self.label(key)
        await self.county.sb.wait_for(chat, contains, timeout=WAIT, since=0)
        self.show_tap(chat, who, label)
        cq = await self.county.sb.press_button(chat, who, label, text_contains=contains)
        # The bot answers a tap only after the answer is committed: the scene moves on from
        # there, so a clock jump never overtakes it.
        await self.county.sb.wait_callback_answer(cq, timeout=WAIT)

    def scene(self, key: str) -> None:
        self.narrate(f"\n=== {self.t(key)} ===\n")

    async def later(self, delta: timedelta, banner_key: str) -> int:
        """Time passes. First every notice already due is sent: a jump past a notice still
        queued would make it look late, and the admins would be told of a delay that only the
        demo's clock caused. Returns the sandbox's mark from before the jump, to wait on what
        the jump brings."""
        await self.settled()
        self.narrate(f"\n--- {self.t(banner_key)} ---\n")
        mark = self.county.sb.mark()
        self.clock.advance(delta)
        return mark
