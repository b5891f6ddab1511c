"""Notices to Telegram messages: text in the chat's language, mentions, keyboards, length."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import ActionCallback
from bot.i18n import Translator
from core.notices import Notice

LIMIT = 4096


@dataclass
class Rendered:
    parts: list[str]
    keyboard: InlineKeyboardMarkup | None


def mention(tg_id: int, name: str) -> str:
    return f'<a href="tg://user?id={tg_id}">{_escape(name)}</a>'


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def keyboard(notice: Notice, translator: Translator, locale: str | None) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=translator(locale, b.label),
                callback_data=ActionCallback(action=b.action, ref=b.ref).pack(),
            )
            for b in line
        ]
        for line in notice.buttons
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def split(text: str, limit: int = LIMIT) -> list[str]:
    """Cut at line ends where possible; tags never span lines in our templates."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    return parts


def trim(text: str, limit: int = LIMIT) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 2)
    return text[: cut if cut > 0 else limit - 2] + "\n…"


def render(notice: Notice, translator: Translator, locale: str | None) -> Rendered:
    text = translator(locale, notice.template, **notice.params)
    if notice.mentions:
        text += "\n" + " ".join(mention(m.tg_id, m.name) for m in notice.mentions)
    markup = keyboard(notice, translator, locale) if notice.buttons else None
    return Rendered(split(text), markup)
