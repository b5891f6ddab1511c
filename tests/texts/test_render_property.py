"""Any text, any length: every part fits Telegram, parses as its HTML, and the parts read back
as the whole, formatting included. RESCUEBOT_RENDER_EXAMPLES raises the number of examples."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render import LIMIT, split, trim, u16
from sandbox.html import parse_html

EXAMPLES = int(os.environ.get("RESCUEBOT_RENDER_EXAMPLES", "100"))

ALPHABETS = [
    "abc xyz 0123456789.,;:!?-",
    "应急救援力量城关镇化工厂火灾，。；：“”（）",
    "😀👍🏽🇨🇳👨‍👩‍👧‍👦❤️🔥🚒",  # astral, skin tone, flag, ZWJ family, variation selector
    "مرحبا بالعالم שלום עולם\u200f\u200e",  # right-to-left, with direction marks
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width characters
    "e\u0301a\u0308",  # combining accents
    "\n\n\t  ",
    "<>&\"'",  # markup characters as text: escaped below
]
ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&#128512;", "&#x1F692;", "&#20013;"]
SIMPLE = ["b", "i", "u", "s", "code", "tg-spoiler", "strong", "em", "del"]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def plain(draw: Any) -> str:
    alphabet = draw(st.sampled_from(ALPHABETS))
    piece = draw(st.text(alphabet=alphabet, min_size=1, max_size=40))
    times: int = draw(st.sampled_from([1, 1, 1, 3, 20, 150]))
    return _escape(piece) * times


def wrapped(children: Any) -> Any:
    simple = st.tuples(st.sampled_from(SIMPLE), children).map(lambda p: f"<{p[0]}>{p[1]}</{p[0]}>")
    link = children.map(lambda c: f'<a href="https://example.org/x?a=1&amp;b=2">{c}</a>')
    mention = children.map(lambda c: f'<a href="tg://user?id=123456">{c}</a>')
    quote = children.map(lambda c: f"<blockquote>{c}</blockquote>")
    return st.one_of(simple, link, mention, quote)


fragment = st.recursive(
    st.one_of(plain(), st.sampled_from(ENTITIES)),
    lambda inner: st.one_of(wrapped(inner), st.lists(inner, min_size=1, max_size=6).map("".join)),
    max_leaves=25,
)
pre = st.text(alphabet=ALPHABETS[0] + "\n", min_size=1, max_size=60).map(
    lambda c: f'<pre><code class="language-python">{_escape(c) * 50}</code></pre>')
document = st.lists(st.one_of(fragment, fragment, pre), min_size=1, max_size=12).map("".join)


def styled(source: str) -> list[tuple[str, tuple[Any, ...]]]:
    """Each UTF-16 unit of the visible text with the formatting that covers it."""
    parsed = parse_html(source)
    units: list[str] = []
    for ch in parsed.text:
        units.extend([ch, ""] if ord(ch) > 0xFFFF else [ch])
    marks: list[list[Any]] = [[] for _ in units]
    for e in parsed.entities:
        key = (e["type"], e.get("url"), e.get("language"), (e.get("user") or {}).get("id"))
        for k in range(e["offset"], e["offset"] + e["length"]):
            marks[k].append(key)
    return [(u, tuple(sorted(m, key=repr))) for u, m in zip(units, marks, strict=True)]


def mark(part: int, total: int) -> str:
    return f"（续{part}/{total}）"


def check(source: str, limit: int) -> list[str]:
    parts = split(source, limit, mark)
    joined: list[tuple[str, tuple[Any, ...]]] = []
    for k, part in enumerate(parts):
        assert u16(part) <= limit
        assert len(parse_html(part).text) <= limit
        units = styled(part)
        if k:
            head = f"{mark(k + 1, len(parts))}\n"
            assert "".join(u for u, _ in units[: u16(head)]) == head
            units = units[u16(head):]
        joined.extend(units)
    assert joined == styled(source)
    return parts


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document)
def test_any_text_splits_into_valid_parts_that_read_back_whole(source: str) -> None:
    check(source, LIMIT)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document, st.integers(min_value=400, max_value=1500))
def test_small_limits_too(source: str, limit: int) -> None:
    check(source, limit)


@settings(max_examples=EXAMPLES // 2, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document)
def test_trim_is_one_valid_message(source: str) -> None:
    cut = trim(source)
    assert u16(cut) <= LIMIT
    parse_html(cut)


def test_a_long_bold_title_is_closed_and_reopened() -> None:
    source = "<b>" + "长" * 5000 + "</b>\n尾"
    parts = check(source, LIMIT)
    assert len(parts) == 2
    assert parts[0].startswith("<b>") and parts[0].endswith("</b>")
    assert parts[1].startswith("（续2/2）\n<b>")


def test_entities_are_never_cut() -> None:
    source = "&amp;" * 2000
    for part in check(source, LIMIT):
        body = part.split("\n", 1)[-1] if part.startswith("（") else part
        assert body.replace("&amp;", "") == ""


def test_lines_stay_whole_where_possible() -> None:
    lines = [f"{i:04d} " + "x" * 90 for i in range(200)]
    parts = check("\n".join(lines), LIMIT)
    assert len(parts) == 5
    for part in parts:
        for line in part.split("\n")[1:-1]:
            assert line in lines or line.startswith("（续")
