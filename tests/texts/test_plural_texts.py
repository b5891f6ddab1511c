"""Counted things read right in English ("1 error", "2 errors"); Chinese has one form."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Translator, read_catalog
from core.notices import text
from core.registry_file import RegistryFileError

translator = Translator("zh_Hans", ZoneInfo("Asia/Shanghai"))


def test_one_error_is_singular_and_two_are_plural() -> None:
    said = [translator("en", "error.registry_file_invalid", count=n) for n in (1, 2, 0)]
    assert said == ["The registry file has 1 error.", "The registry file has 2 errors.",
                    "The registry file has 0 errors."]
    assert translator("zh_Hans", "error.registry_file_invalid", count=1) == "登记文件有 1 处错误。"
    assert translator("zh_Hans", "error.registry_file_invalid", count=2) == "登记文件有 2 处错误。"


def test_a_refusal_with_its_count_reads_singular() -> None:
    refusal = RegistryFileError([], 1)
    said = translator("en", f"error.{refusal.code}", **refusal.params)
    assert said == "The registry file has 1 error."


@pytest.mark.parametrize(("count", "words"), [(1, "1 force stood down"),
                                              (3, "3 forces stood down")])
def test_a_nested_text_is_counted_too(count: int, words: str) -> None:
    said = translator("en", "dispatch.toast.order",
                      state=text("dispatch.standdown.done", plan=4, count=count))
    assert words in said


def test_every_plural_text_has_a_form_for_one_and_for_many_in_english() -> None:
    en, zh = read_catalog("en"), read_catalog("zh_Hans")
    assert len(en.counted) >= 20 and en.counted == zh.counted
    for key, counted in en.counted.items():
        one = translator("en", key, **{counted: 1})
        many = translator("en", key, **{counted: 2})
        assert one != many.replace("2", "1"), key
        assert len(translator.forms("en", key)) == 2 and len(translator.forms("zh_Hans", key)) == 1
    withdrawn = translator.forms("en", "dispatch.plan.withdrawn")
    assert withdrawn == ["Dispatch plan #{plan} withdrawn."]
