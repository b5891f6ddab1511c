"""Every text the bot sends, made fit for Telegram: split, trimmed, quoted, with keyboards.

Texts arrive as Telegram HTML (templates hold the tags; bot/i18n.py escapes the parameters).
Telegram refuses a message longer than 4096 characters after entity parsing; reports differ on
whether it counts code points or UTF-16 code units, so a part is measured here in UTF-16 units
*before* parsing, which bounds both (parsing only ever shortens a text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import ActionCallback
from bot.i18n import Html, Texts, Translator, escape
from core.notices import MOMENT, TEXT, Notice

LIMIT = 4096
TOAST_LIMIT = 200  # answerCallbackQuery's text
QUOTE = 40  # a user's argument repeated in a refusal
PARAM = 64  # any other text parameter of a refusal
LIST_ITEMS = 30  # items of a list parameter of a refusal
ELLIPSIS = "…"
MARK_KEY = "render.continued"

Mark = Callable[[int, int], str]

_TOKEN = re.compile(r"<[^>]*>|&#?[A-Za-z0-9]{1,10};")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9-]*)?")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f", "\u20e3"}


@dataclass
class Rendered:
    parts: list[str]
    keyboard: InlineKeyboardMarkup | None
    text: str = ""  # the whole text, for an edit (an edit is one message: trim it)


def u16(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram's offsets (and perhaps limits) use."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def mention(tg_id: int, name: str) -> str:
    return f'<a href="tg://user?id={tg_id}">{escape(shorten(name, PARAM))}</a>'


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


# --- tokens -------------------------------------------------------------------------------

@dataclass
class _Token:
    raw: str
    kind: str  # "open", "close", "text" (an entity or one character)
    name: str = ""


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        out.extend(_Token(ch, "text") for ch in text[pos:m.start()])
        raw = m.group()
        if raw.startswith("<"):
            found = _TAG_NAME.match(raw)
            name = (found.group(1) or "").lower() if found else ""
            out.append(_Token(raw, "close" if raw.startswith("</") else "open", name))
        else:
            out.append(_Token(raw, "text"))
        pos = m.end()
    out.extend(_Token(ch, "text") for ch in text[pos:])
    return out


def _breakable(before: str, after: str) -> bool:
    """Whether a cut between two characters leaves every visible character whole."""
    if len(before) != 1 or len(after) != 1:
        return True
    if after in _JOINERS or before == "\u200d" or unicodedata.combining(after):
        return False
    # skin tones and the halves of a flag belong to the emoji before them
    return not (0x1F3FB <= ord(after) <= 0x1F3FF
                or (0x1F1E6 <= ord(before) <= 0x1F1FF and 0x1F1E6 <= ord(after) <= 0x1F1FF))


def _closers(stack: list[_Token]) -> str:
    return "".join(f"</{t.name}>" for t in reversed(stack))


def _fit_tag(token: _Token, budget: int) -> _Token:
    """A tag longer than a whole part (a huge link) keeps its formatting but not its attributes."""
    if u16(token.raw) <= budget // 4:
        return token
    return _Token(f"<{token.name}>", token.kind, token.name)


# --- splitting ----------------------------------------------------------------------------

def split(text: str, limit: int = LIMIT, mark: Mark | None = None) -> list[str]:
    """Parts of at most ``limit`` UTF-16 units, cut at a line end where possible.

    Never inside a tag or an ``&…;``; tags open at a cut are closed at the end of the part and
    opened again at the start of the next. Parts after the first begin with ``mark(k, n)`` on
    a line of its own.
    """
    if u16(text) <= limit:
        return [text]
    mark = mark or _plain_mark
    reserve = u16(mark(99999, 99999)) + 1
    tokens = _tokens(text)
    bodies: list[str] = []
    stack: list[_Token] = []
    i = 0
    while i < len(tokens):
        prefix = "".join(t.raw for t in stack)
        budget = limit - u16(prefix) - (reserve if bodies else 0)
        end, stack_after = _cut(tokens, i, stack, budget)
        body = "".join(t.raw for t in tokens[i:end])
        bodies.append(prefix + body + _closers(stack_after))
        stack, i = stack_after, end
    total = len(bodies)
    return [b if k == 0 else f"{mark(k + 1, total)}\n{b}" for k, b in enumerate(bodies)]


def _cut(tokens: list[_Token], start: int, stack: list[_Token], budget: int
         ) -> tuple[int, list[_Token]]:
    """The end of the part beginning at ``start`` and the tags open there."""
    current = list(stack)
    used = 0
    closing = u16(_closers(current))
    seen = False  # something visible besides white space: a part must not look empty
    line = space = hard = -1  # the last cut of each kind so far (token index)
    states: dict[int, list[_Token]] = {}
    i = start
    while i < len(tokens):
        token = tokens[i]
        after, closes = current, closing
        if token.kind == "open":
            token = tokens[i] = _fit_tag(token, budget)
            after, closes = [*current, token], closing + len(token.name) + 3
        elif token.kind == "close" and current:
            after, closes = current[:-1], closing - len(current[-1].name) - 3
        size = (2 if ord(token.raw) > 0xFFFF else 1) if len(token.raw) == 1 else u16(token.raw)
        if used + size + closes > budget and i > start:
            break
        used += size
        current, closing = after, closes
        i += 1
        states[i] = current
        if token.kind != "text":
            continue
        seen = seen or not token.raw.isspace()
        if seen and _breakable(token.raw, tokens[i].raw if i < len(tokens) else ""):
            hard = i
            if token.raw == "\n":
                line = i
            elif token.raw.isspace():
                space = i
    if i >= len(tokens):
        return i, current
    end = _best(start, i, line, space, hard, tokens)
    open_ = states[end]
    # a tag that closes right after the cut is closed here, not reopened empty in the next part
    while (end < len(tokens) and open_ and tokens[end].kind == "close"
           and tokens[end].name in ("", open_[-1].name)
           and u16(tokens[end].raw) <= len(open_[-1].name) + 3):
        open_ = open_[:-1]
        end += 1
    return end, open_


def _best(start: int, stop: int, line: int, space: int, hard: int, tokens: list[_Token]) -> int:
    if line > start:
        return line
    if space > start + (stop - start) // 2:
        return space
    if hard > start:
        return hard
    end = stop
    # an opening tag right before the cut belongs with the text it opens
    while end - 1 > start and tokens[end - 1].kind == "open":
        end -= 1
    return end


def _plain_mark(part: int, total: int) -> str:
    return f"({part}/{total})"


def marker(t: Texts | None) -> Mark:
    if t is None:
        return _plain_mark
    return lambda part, total: str(t(MARK_KEY, part=part, total=total))


def parts(text: str, t: Texts | None = None) -> list[str]:
    """What to send for ``text``: one message, or several marked in the chat's language."""
    return split(text, LIMIT, marker(t))


def trim(text: str, limit: int = LIMIT) -> str:
    """One message at most (an edit cannot be split): the first part, then an ellipsis."""
    if u16(text) <= limit:
        return text
    tail = "\n" + ELLIPSIS
    return split(text, limit - u16(tail))[0] + tail


# --- quoting people -----------------------------------------------------------------------

def shorten(value: str, n: int = QUOTE) -> str:
    """A person's text quoted on one line, at most ``n`` characters (the last one '…')."""
    flat = " ".join(value.split())
    if len(flat) <= n:
        return flat
    end = max(n - 1, 1)
    while end > 1 and not _breakable(flat[end - 1], flat[end]):
        end -= 1
    return flat[:end].rstrip() + ELLIPSIS


def safe_params(params: dict[str, Any], n: int = PARAM) -> dict[str, Any]:
    """A refusal's parameters with every text shortened, so no argument makes it too long."""
    return {k: _safe(v, n) for k, v in params.items()}


def _safe(value: Any, n: int) -> Any:
    if isinstance(value, Html):
        return value
    if isinstance(value, str):
        return shorten(value, n)
    if isinstance(value, dict):
        return {k: v if k in (TEXT, MOMENT) else _safe(v, n) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [_safe(v, n) for v in value[:LIST_ITEMS]]
        return [*items, ELLIPSIS] if len(value) > LIST_ITEMS else items
    return value


def visible(text: str) -> str:
    """The text a person sees for Telegram HTML ``text``: no tags, entities decoded."""
    return _ENTITY.sub(_decode, re.sub(r"<[^>]*>", "", text))


def _decode(m: re.Match[str]) -> str:
    name = m.group(1)
    if name in _NAMED:
        return _NAMED[name]
    code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
    return chr(code) if 0 < code <= 0x10FFFF else m.group()


def toast(text: str, limit: int = TOAST_LIMIT) -> str:
    """A button's answer is plain text of at most 200 characters: markup shown as read."""
    plain = visible(text)
    if u16(plain) <= limit:
        return plain
    out = plain[: limit - 1]
    while u16(out) > limit - 1:
        out = out[:-1]
    return out + ELLIPSIS


def render(notice: Notice, translator: Translator, locale: str | None) -> Rendered:
    text = translator(locale, notice.template, **notice.params)
    if notice.mentions:
        text += "\n" + " ".join(mention(m.tg_id, m.name) for m in notice.mentions)
    markup = keyboard(notice, translator, locale) if notice.buttons else None
    return Rendered(parts(text, translator.for_locale(locale)), markup, text)
