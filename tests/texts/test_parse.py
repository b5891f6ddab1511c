"""Numbers at the edge: ASCII digits within the range they are used in, or a clear refusal."""

from __future__ import annotations

import pytest

from bot.callbacks import ActionCallback
from core.errors import DomainError, NotFound
from core.parse import MAX_ID, in_range, parse_id, whole
from core.warnings.request import parse_hours


@pytest.mark.parametrize("raw", ["²", "³", "１２", "٣", "-1", "+1", "1_0", "1e3", "1.5", "0x10",
                                 "", " ", "1 2", "nan", "99999999999999999999"])
def test_whole_refuses_anything_but_ascii_digits_in_range(raw: str) -> None:
    assert whole(raw, 0, 1000) is None


def test_whole_reads_plain_numbers() -> None:
    assert whole(" 007 ", 0, 10) == 7 and whole("10", 0, 10) == 10 and whole("11", 0, 10) is None


def test_ids_fit_the_integer_column() -> None:
    assert parse_id("#12", "u", "plan_unknown") == 12
    assert parse_id(str(MAX_ID), "u", "plan_unknown") == MAX_ID
    for raw in (str(MAX_ID + 1), "0", "99999999999999999999"):
        with pytest.raises(NotFound, match="plan_unknown"):
            parse_id(raw, "u", "plan_unknown")
    for raw in ("²", "abc", "-3", ""):
        with pytest.raises(DomainError, match="usage"):
            parse_id(raw, "u", "plan_unknown")


def test_counts_name_their_range() -> None:
    with pytest.raises(DomainError) as refused:
        in_range("99999999999", 1, 8784, "/period")
    assert refused.value.params == {"value": "99999999999", "min": 1, "max": 8784,
                                    "usage": "/period"}


@pytest.mark.parametrize("raw", ["1e-9", "0", "1.5", "-2", "²", "h", "小时", "9999999"])
def test_warning_hours_are_whole_and_at_least_one(raw: str) -> None:
    with pytest.raises(DomainError, match="bad_hours"):
        parse_hours(raw)


def test_warning_hours_may_carry_a_unit() -> None:
    assert [parse_hours(r) for r in ("12", "12h", "12H", "12小时", "1")] == [12, 12, 12, 12, 1]


@pytest.mark.parametrize("ref", ["99999999999999999999", str(MAX_ID + 1), "0", "-1", "²", "+3",
                                 "1_0", " 7", ""])
def test_forged_refs_do_not_parse(ref: str) -> None:
    with pytest.raises(ValueError):
        ActionCallback.unpack(f"v1:wc:{ref}")
    assert ActionCallback.unpack(f"v1:wc:{MAX_ID}").ref == MAX_ID
