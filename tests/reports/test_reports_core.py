"""The report's line is read without any adapter: township, text, limits, a title."""

from __future__ import annotations

import pytest

from core.errors import DomainError
from core.reports.usecases import parse_report, title_of


def test_the_township_is_the_first_word_and_the_text_may_span_lines() -> None:
    found = parse_report(" 河口镇  桥面出现裂缝\n车辆已绕行 ")
    assert found == ("河口镇", "桥面出现裂缝\n车辆已绕行")


@pytest.mark.parametrize(("line", "code"), [("", "usage"), ("   ", "usage"),
                                            ("河口镇", "report_empty"),
                                            ("河口镇 \n  ", "report_empty"),
                                            ("河口镇 " + "水" * 1001, "too_long"),
                                            ("镇" * 31 + " 有情况", "too_long")])
def test_refusals(line: str, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_report(line)
    assert refused.value.code == code


def test_an_incident_opened_from_a_report_is_titled_by_its_first_words() -> None:
    assert title_of("桥面出现裂缝\n车辆已绕行") == "桥面出现裂缝"
    assert title_of("水" * 30) == "水" * 20 + "…"
