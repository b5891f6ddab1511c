"""Direct answers to the person who acted: collected while the handler runs, sent after commit.

A handler never awaits Telegram with a transaction open: it says what to answer through
``Outbound``; the middleware commits, answers the tap at once, and hands the messages to the
``Courier``, which sends each chat's in order, at that chat's pace, without holding up the
handling of the next update. What is addressed to other chats goes through the outbox instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
)

from bot.i18n import Texts
from bot.render import parts, toast, trim

log = logging.getLogger(__name__)
Markup = InlineKeyboardMarkup | ForceReply
OnSent = Callable[[int], Awaitable[None]]


@dataclass
class Say:
    chat_id: int
    text: str
    reply_to: int | None = None
    markup: Markup | None = None
    on_sent: OnSent | None = None  # told the id of the message that carries the markup
    t: Texts | None = None  # the chat's language, for marking continued parts


@dataclass
class Edit:
    chat_id: int
    message_id: int
    text: str | None  # None: only the buttons change
    markup: InlineKeyboardMarkup | None = None


@dataclass
class Photo:
    """A picture made for this answer (a chart): drawn by the courier after the commit, in a
    worker thread, so neither the transaction nor the event loop waits for matplotlib."""

    chat_id: int
    build: Callable[[], bytes]
    caption: str
    name: str = "chart.png"
    reply_to: int | None = None


Item = Say | Edit | Photo


class Outbound:
    """What one update's handler wants said. Discarded if the handler's work is rolled back."""

    def __init__(self, t: Texts | None = None) -> None:
        self.t = t
        self.toast_text: str | None = None
        self.alert = False
        self.items: list[Item] = []

    def clear(self) -> None:
        self.toast_text, self.alert, self.items = None, False, []

    def toast(self, text: str = "", alert: bool = False) -> None:
        """The answer to a tapped button (a short notice over the chat)."""
        self.toast_text, self.alert = text, alert

    def reply(self, message: Message, text: str, markup: Markup | None = None,
              on_sent: OnSent | None = None) -> None:
        self.items.append(Say(message.chat.id, text, message.message_id, markup, on_sent, self.t))

    def say(self, chat_id: int, text: str, markup: Markup | None = None,
            on_sent: OnSent | None = None, reply_to: int | None = None) -> None:
        self.items.append(Say(chat_id, text, reply_to, markup, on_sent, self.t))

    def photo(self, chat_id: int, build: Callable[[], bytes], caption: str,
              name: str = "chart.png", reply_to: int | None = None) -> None:
        self.items.append(Photo(chat_id, build, caption, name, reply_to))

    def edit(self, chat_id: int, message_id: int, text: str | None,
             markup: InlineKeyboardMarkup | None = None) -> None:
        self.items.append(Edit(chat_id, message_id, text, markup))


class Courier:
    """Sends direct answers, one chat's in order, different chats independently."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._queues: dict[int, deque[Item]] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._toasts: set[asyncio.Task[None]] = set()

    def answer(self, query: CallbackQuery, text: str, alert: bool) -> None:
        """Answer a tap at once, beside everything else: the person's button is spinning."""
        task = asyncio.create_task(self._answer(query, text, alert), name=f"tap-{query.id}")
        self._toasts.add(task)
        task.add_done_callback(self._toasts.discard)

    async def _answer(self, query: CallbackQuery, text: str, alert: bool) -> None:
        try:
            await query.answer(toast(text), show_alert=alert)  # plain, at most 200
        except Exception as e:  # a tap older than Telegram's answer window, or the network
            log.warning("tap %s not answered: %s", query.id, e)

    def post(self, items: list[Item]) -> None:
        for item in items:
            self._queues.setdefault(item.chat_id, deque()).append(item)
            if item.chat_id not in self._tasks:
                self._tasks[item.chat_id] = asyncio.create_task(
                    self._run(item.chat_id), name=f"courier-{item.chat_id}")

    async def _run(self, chat_id: int) -> None:
        queue = self._queues[chat_id]
        try:
            while queue:
                await self._send(queue.popleft())
        finally:
            self._queues.pop(chat_id, None)
            self._tasks.pop(chat_id, None)

    async def _send(self, item: Item) -> None:
        try:
            if isinstance(item, Edit):
                await self._edit(item)
            elif isinstance(item, Photo):
                await self._photo(item)
            else:
                await self._say(item)
        except asyncio.CancelledError:
            raise
        except TelegramAPIError as e:
            # The work is committed; only this answer is lost. Telegram said why.
            log.warning("answer to chat %s not sent: %s", item.chat_id, e.message)
        except Exception as e:
            log.warning("answer to chat %s not sent: %s: %s", item.chat_id,
                        type(e).__name__, e)

    async def _say(self, item: Say) -> None:
        pieces = parts(item.text, item.t)
        last_id = 0
        for i, part in enumerate(pieces):
            # Every part answers the same message, so a long answer reads as one in the group.
            reply = (ReplyParameters(message_id=item.reply_to, allow_sending_without_reply=True)
                     if item.reply_to else None)
            sent = await self.bot.send_message(
                item.chat_id, part, parse_mode="HTML", reply_parameters=reply,
                reply_markup=item.markup if i == len(pieces) - 1 else None)
            last_id = sent.message_id
        if item.on_sent is not None:
            try:
                await item.on_sent(last_id)
            except Exception:
                log.exception("recording the answer sent to chat %s failed", item.chat_id)

    async def _photo(self, item: Photo) -> None:
        content = await asyncio.to_thread(item.build)
        reply = (ReplyParameters(message_id=item.reply_to, allow_sending_without_reply=True)
                 if item.reply_to else None)
        await self.bot.send_photo(item.chat_id, BufferedInputFile(content, item.name),
                                  caption=trim(item.caption, 1024), parse_mode="HTML",
                                  reply_parameters=reply)

    async def _edit(self, item: Edit) -> None:
        try:
            if item.text is None:
                await self.bot.edit_message_reply_markup(
                    chat_id=item.chat_id, message_id=item.message_id, reply_markup=item.markup)
                return
            await self.bot.edit_message_text(
                chat_id=item.chat_id, message_id=item.message_id, text=trim(item.text),
                parse_mode="HTML", reply_markup=item.markup)
        except TelegramBadRequest as e:
            if "not modified" not in e.message:
                raise

    async def drain(self, within: float = 5.0) -> None:
        """Let answers under way go out before stopping."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                while self._tasks or self._toasts:
                    await asyncio.gather(*self._tasks.values(), *self._toasts,
                                         return_exceptions=True)
