"""The renderer on the bot's own texts: notices longer than a message, refusals quoting huge
arguments, people's names with markup, and the limits on what people may type."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Translator, load_catalog
from bot.render import LIMIT, mention, parts, render, safe_params, shorten, toast, trim, u16
from bot.views.registry import status_text
from core.dispatch.incidents import parse_incident
from core.dispatch.plans import split_tasks
from core.errors import DomainError
from core.limits import LIMITS, TITLE
from core.notices import Notice, moment, text
from core.registry import Unit, UnitKind
from core.usecases.status import Connection, StatusView
from core.warnings.request import parse_warn_line
from sandbox.html import parse_html

translator = Translator("zh_Hans", ZoneInfo("Asia/Shanghai"))
HUGE = "<b>&amp;" + "长" * 5000


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_a_notice_longer_than_a_message_arrives_in_valid_marked_parts(locale: str) -> None:
    notice = Notice("dispatch.incident.report", dict(
        id=7, title="长" * 5000, township="城关镇", level=text("dispatch.level.general"),
        drill="", kind="—", by="吴磊", at=moment(datetime(2026, 1, 1)),
        command=text("dispatch.command.brigade")), unit_id=1)
    rendered = render(notice, translator, locale)
    assert len(rendered.parts) == 2
    for part in rendered.parts:
        assert u16(part) <= LIMIT
        parse_html(part)
    mark = "（续2/2）" if locale == "zh_Hans" else "(continued, 2/2)"
    assert rendered.parts[1].startswith(mark + "\n")
    edit = trim(rendered.text)
    assert u16(edit) <= LIMIT and edit.endswith("…")
    parse_html(edit)


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_every_refusal_quoting_a_huge_argument_fits_one_message(locale: str) -> None:
    t = translator.for_locale(locale)
    for key in load_catalog(locale):
        if not key.startswith("error."):
            continue
        names = [f for f in translator.raw(locale, key).split("{")[1:]]
        params = {n.split("}", 1)[0]: HUGE for n in names}
        said = t(key, **safe_params(params))
        assert u16(said) < 2000, key
        assert parse_html(said).text.count("长") <= 64 * len(names), key
        assert len(toast(said)) <= 200


def test_safe_params_shortens_nested_and_listed_texts() -> None:
    params = safe_params({"a": "x" * 100, "b": text("k", c="y" * 100), "d": ["z" * 100] * 50,
                          "n": 5})
    assert params["a"] == "x" * 63 + "…"
    assert params["b"] == {"_t": "k", "c": "y" * 63 + "…"}
    assert len(params["d"]) == 31 and params["d"][-1] == "…"
    assert params["n"] == 5


def test_shorten_keeps_one_line_and_whole_characters() -> None:
    assert shorten("a\nb   c") == "a b c"
    assert shorten("👨‍👩‍👧‍👦" * 20, 10).endswith("…")
    cut = shorten("e\u0301" * 30, 10)
    assert cut.endswith("…") and not cut[:-1].endswith("e")


def test_names_with_markup_are_escaped_once() -> None:
    assert mention(1, "<b>x&y") == '<a href="tg://user?id=1">&lt;b&gt;x&amp;y</a>'
    t = translator.for_locale("zh_Hans")
    odd = [Unit(code="f-a", kind=UnitKind.FORCE, name="<b>x", id=1),
           Unit(code="f-b", kind=UnitKind.FORCE, name='<a href="http://e">x</a>', id=2)]
    view = StatusView(unit=None, department=None, members=[],
                      connection=Connection(bound=0, total=2, target=0.8, unbound=odd))
    shown = parse_html(status_text(t, view, private=True))
    assert "• <b>x（f-a）" in shown.text and '<a href="http://e">x</a>' in shown.text
    assert all(e["type"] != "text_link" for e in shown.entities)


def test_parts_without_a_language_mark_with_numbers_only() -> None:
    pieces = parts("x\n" * 3000)
    assert len(pieces) == 2 and pieces[1].startswith("(2/2)\n")


def test_people_texts_over_their_limit_are_refused_with_the_limit_named() -> None:
    with pytest.raises(DomainError) as found:
        parse_incident("一般 城关镇 " + "长" * (TITLE + 1))
    assert found.value.code == "too_long" and found.value.params["limit"] == TITLE
    assert parse_incident("一般 城关镇 " + "长" * TITLE).title == "长" * TITLE
    with pytest.raises(DomainError, match="too_long"):
        parse_warn_line("red 暴雨 all 12 " + "雨" * (LIMITS["warning_text"] + 1))
    with pytest.raises(DomainError, match="too_long"):
        split_tasks("任" * (LIMITS["task"] + 1), [])
    said = translator("zh_Hans", "error.too_long", **found.value.params)
    assert said == f"事件标题太长：{TITLE + 1} 字，最多 {TITLE} 字。请精简后重发，未做任何更改。"
