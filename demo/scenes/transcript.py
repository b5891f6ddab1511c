"""The demo's transcript: every chat's messages as they happen, told as a story.

A chat's name heads each run of its messages; people's taps and typed lines appear where they
happen; a message identical to one just shown in another chat (a board kept in two groups, a
notice sent to several) is printed once in full and then as "same as above".
"""

from __future__ import annotations

import html
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TextIO

from bot.i18n import Texts
from sandbox import Sandbox

log = logging.getLogger(__name__)
INDENT = "   "
# How far back an identical message counts as "above": the copies of one notice are sent
# together, but a few other messages may come between them.
RECENT = 6
Shown = tuple[str, tuple[str, ...]]  # a bot message's text and buttons


class Transcript:
    def __init__(self, sb: Sandbox, t: Texts, out: TextIO,
                 hidden: Callable[[dict[str, Any]], bool] = lambda entry: False) -> None:
        self.sb, self.t, self.out, self.hidden = sb, t, out, hidden
        self.seen: dict[tuple[int, int], int] = {}
        self.quiet = True
        self.chat: int | None = None
        self.recent: deque[tuple[int, Shown]] = deque(maxlen=RECENT)
        self.last: Shown | None = None  # the bot message just shown

    def text(self, key: str, **params: Any) -> str:
        return html.unescape(self.t(key, **params))

    def title(self, chat_id: int) -> str:
        chat = self.sb.chats.get(chat_id)
        if chat is None:
            return str(chat_id)
        if chat.type == "private" and chat.user:
            return self.text("demo.private", name=chat.user.get("first_name", chat_id))
        return chat.title or str(chat_id)

    def name(self, user_id: int) -> str:
        return str(self.sb.users.get(user_id, {}).get("first_name", user_id))

    def line(self, text: str) -> None:
        """A narration line, between the chats, after all that came before it."""
        self.flush()
        self.chat, self.last = None, None
        print(text, file=self.out, flush=True)
        # The log's timestamps and the CPU time used so far tell where the time goes.
        log.info("demo: %s (cpu %.1f s)", text.strip(), time.process_time())

    def enter(self, chat_id: int) -> None:
        if self.chat != chat_id:
            print(f"── {self.title(chat_id)}", file=self.out)
            self.chat = chat_id

    def tap(self, chat_id: int, user_id: int, label: str) -> None:
        """Shown before the tap reaches the bot, after all that came before it."""
        self.flush()
        self.enter(chat_id)
        self.last = None
        print(INDENT + self.text("demo.tap", who=self.name(user_id), button=label),
              file=self.out, flush=True)

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
            if not self.quiet and not self.hidden(entry) and entry["text"]:
                self.show(chat_id, entry, edited)
        self.out.flush()

    def show(self, chat_id: int, entry: dict[str, Any], edited: bool) -> None:
        self.enter(chat_id)
        if not entry["is_bot"]:
            self.last = None
            typed = entry["text"].replace("\n", "\n" + INDENT + "   ")
            print(INDENT + self.text("demo.typed", who=self.name(entry["from_id"]), text=typed),
                  file=self.out)
            return
        head = INDENT + "🤖 " + (self.text("demo.edited") if edited else "")
        buttons = tuple(b for row in entry["buttons"] for b in row)
        shown = (entry["text"], buttons)
        if shown == self.last:
            print(head + self.text("demo.same"), file=self.out)
            self.last = shown
            return
        earlier = self.earlier(chat_id, shown)
        if earlier is not None:
            print(head + self.text("demo.same_as", chat=self.title(earlier)), file=self.out)
            self.last = shown
            return
        self.recent.append((chat_id, shown))
        self.last = shown
        body = entry["text"].replace("\n", "\n" + INDENT + "   ")
        print(head + body, file=self.out)
        if buttons:
            print(INDENT + "   " + " ".join(f"[{b}]" for b in buttons), file=self.out)

    def earlier(self, chat_id: int, shown: Shown) -> int | None:
        """The other chat where this very message was shown a moment ago, if any."""
        return next((c for c, s in reversed(self.recent) if c != chat_id and s == shown), None)
