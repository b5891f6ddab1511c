"""Parse the subset of HTML that Telegram accepts with ``parse_mode=HTML``.

Telegram rejects malformed markup instead of guessing, so the parser is strict too: a bot
that passes here should not be surprised by the real servers.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass
from typing import Any

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME = re.compile(r"([a-zA-Z][a-zA-Z0-9-]*)")
_ATTR = re.compile(
    r"""\s*([a-zA-Z_][a-zA-Z0-9_-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?"""
)
_MENTION_URL = re.compile(r"^tg://user\?id=(\d+)$")


class HtmlParseError(ValueError):
    """Markup that Telegram would answer with "can't parse entities"."""


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]]


def utf16_len(text: str) -> int:
    # Telegram measures entity offsets in UTF-16 code units, not code points.
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _parse_attrs(rest: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    rest = rest.rstrip().rstrip("/")
    while pos < len(rest):
        m = _ATTR.match(rest, pos)
        if m is None or m.end() == pos:
            break
        value = m.group(2) if m.group(2) is not None else m.group(3)
        if value is None:
            value = m.group(4) or ""
        attrs[m.group(1).lower()] = _html.unescape(value)
        pos = m.end()
    return attrs


def _decode_entity(source: str, index: int) -> tuple[str, int]:
    """Return (decoded text, characters consumed) for an '&' at ``index``."""
    semi = source.find(";", index + 1, index + 12)
    if semi == -1:
        return "&", 1
    name = source[index + 1 : semi]
    if name in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[name], semi - index + 1
    try:
        if name.startswith(("#x", "#X")):
            return chr(int(name[2:], 16)), semi - index + 1
        if name.startswith("#"):
            return chr(int(name[1:])), semi - index + 1
    except (ValueError, OverflowError):
        pass
    # Telegram keeps unsupported named entities verbatim rather than failing.
    return "&", 1


def parse_html(source: str) -> ParsedText:
    out: list[str] = []
    offset = 0  # in UTF-16 units
    stack: list[tuple[str, int, dict[str, Any] | None]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "<":
            end = source.find(">", i)
            if end == -1:
                raise HtmlParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(source, i)}"
                )
            inner = source[i + 1 : end]
            if inner.startswith("/"):
                name = inner[1:].strip().lower()
                if not stack:
                    raise HtmlParseError(
                        f'Unexpected end tag "{name}" at byte offset {_byte_offset(source, i)}'
                    )
                tag, start, entity = stack.pop()
                if name and name != tag:
                    raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{tag}"')
                if entity is not None and offset > start:
                    entity.update(offset=start, length=offset - start)
                    entities.append(entity)
            else:
                m = _TAG_NAME.match(inner)
                tag = m.group(1).lower() if m else ""
                attrs = _parse_attrs(inner[m.end() :]) if m else {}
                entity = _start_entity(tag, attrs, stack, source, i)
                stack.append((tag, offset, entity))
            i = end + 1
            continue
        if ch == "&":
            decoded, used = _decode_entity(source, i)
            i += used
        else:
            decoded = ch
            i += 1
        out.append(decoded)
        offset += 2 if ord(decoded) > 0xFFFF else 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)


def _start_entity(
    tag: str,
    attrs: dict[str, str],
    stack: list[tuple[str, int, dict[str, Any] | None]],
    source: str,
    index: int,
) -> dict[str, Any] | None:
    if tag in _SIMPLE_TAGS:
        kind = _SIMPLE_TAGS[tag]
        if tag == "blockquote" and "expandable" in attrs:
            kind = "expandable_blockquote"
        if tag == "code" and stack and stack[-1][0] == "pre":
            language = attrs.get("class", "")
            pre = stack[-1][2]
            if language.startswith("language-") and pre is not None:
                # Telegram folds <pre><code class="language-x"> into one pre entity.
                pre["language"] = language[len("language-") :]
                return None
        return {"type": kind}
    if tag == "span" and attrs.get("class") == "tg-spoiler":
        return {"type": "spoiler"}
    if tag == "a":
        href = attrs.get("href")
        if not href:
            return None
        mention = _MENTION_URL.match(href)
        if mention:
            return {"type": "text_mention", "user": {"id": int(mention.group(1))}}
        return {"type": "text_link", "url": href}
    raise HtmlParseError(
        f'Unsupported start tag "{tag}" at byte offset {_byte_offset(source, index)}'
    )


def strip_html(source: str) -> str:
    """Best-effort plain text, for transcripts of markup that may not even be valid."""
    try:
        return parse_html(source).text
    except HtmlParseError:
        return _html.unescape(re.sub(r"<[^>]*>?", "", source))
