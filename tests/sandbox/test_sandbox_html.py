from __future__ import annotations

import pytest

from sandbox.html import HtmlParseError, parse_html, strip_html, utf16_len


def test_plain_text_and_entities() -> None:
    parsed = parse_html('<b>警情</b> &lt;1&gt; &amp; <a href="tg://user?id=42">张三</a>')
    assert parsed.text == "警情 <1> & 张三"
    assert parsed.entities[0] == {"type": "bold", "offset": 0, "length": 2}
    mention = parsed.entities[1]
    assert mention["type"] == "text_mention"
    assert mention["user"]["id"] == 42
    assert (mention["offset"], mention["length"]) == (9, 2)


def test_offsets_are_utf16() -> None:
    parsed = parse_html("🚒<i>x</i>")
    assert parsed.entities == [{"type": "italic", "offset": 2, "length": 1}]
    assert utf16_len("🚒") == 2


def test_supported_tags() -> None:
    source = (
        "<strong>a</strong><em>b</em><ins>c</ins><s>d</s><strike>e</strike><del>f</del>"
        '<u>g</u><code>h</code><pre><code class="language-py">i</code></pre>'
        '<tg-spoiler>j</tg-spoiler><span class="tg-spoiler">k</span>'
        '<blockquote expandable>l</blockquote><a href="https://x.y/?a=1&amp;b=2">m</a>&quot;'
    )
    parsed = parse_html(source)
    assert parsed.text == 'abcdefghijklm"'
    kinds = [e["type"] for e in parsed.entities]
    assert kinds.count("strikethrough") == 3
    assert {"type": "pre", "offset": 8, "length": 1, "language": "py"} in parsed.entities
    assert "expandable_blockquote" in kinds
    assert parsed.entities[-1]["url"] == "https://x.y/?a=1&b=2"


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("<b>x", "Can't find end tag"),
        ("<b>x</i>", "Can't find end tag"),
        ("x</b>", "Unexpected end tag"),
        ("<br>x", 'Unsupported start tag "br"'),
        ("a < b", "byte offset 2"),
        ("a < b > c", "Unsupported start tag"),
        ("<b", "Unclosed start tag"),
        ('<span class="x">y</span>', "Unsupported start tag"),
    ],
)
def test_malformed(source: str, fragment: str) -> None:
    with pytest.raises(HtmlParseError, match=fragment):
        parse_html(source)


def test_numeric_and_unknown_entities() -> None:
    assert parse_html("&#65;&#x42;&nbsp;&").text == "AB&nbsp;&"
    assert strip_html("<b>x</b") == "x"
