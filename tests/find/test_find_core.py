"""The resource search ranks forces without any adapter."""

from __future__ import annotations

from datetime import date

import pytest

from core.find.search import BadWord, Hit, search, terms
from core.registry import Item, Unit, UnitKind

TODAY = date(2026, 12, 4)


def force(
    uid: int,
    *,
    boats: int = 0,
    township: str = "",
    bound: bool = False,
    updated: date | None = None,
    caps: tuple[str, ...] = (),
) -> Unit:
    equipment = (Item("冲锋舟", boats, "艘"),) if boats else ()
    return Unit(
        code=f"F{uid:03d}",
        kind=UnitKind.FORCE,
        name=f"force {uid}",
        id=uid,
        township=township,
        equipment=equipment,
        capabilities=caps,
        data_updated=updated,
        chat_id=-uid if bound else None,
    )


def codes(hits: list[Hit]) -> list[str]:
    return [h.unit.code for h in hits]


def test_bound_chat_ranks_first() -> None:
    hits = search([force(1, boats=9), force(2, boats=1, bound=True)], "冲锋舟", today=TODAY)
    assert codes(hits) == ["F002", "F001"]


def test_answered_roll_call_then_township_then_count_then_freshness() -> None:
    units = [
        force(1, boats=9),
        force(2, boats=1, township="城关镇"),
        force(3, boats=1),
        force(4, boats=5),
        force(5, boats=5, updated=date(2026, 12, 1)),
        force(6, boats=5, updated=date(2026, 11, 1)),
    ]
    hits = search(units, "冲锋舟", today=TODAY, township="城关镇", answered={3})
    assert codes(hits) == ["F003", "F002", "F001", "F005", "F006", "F004"]
    assert hits[3].age_days == 3


def test_synonyms_and_on_order_mark() -> None:
    hits = search([force(1, boats=2)], "橡皮艇", today=TODAY, on_order={1})
    assert codes(hits) == ["F001"]
    assert hits[0].matched == "冲锋舟" and hits[0].count == 2 and hits[0].on_order
    assert "航拍" in terms("无人机") and "挖机" in terms("挖掘机")


def test_capability_substring_and_non_forces_ignored() -> None:
    office = Unit(code="B", kind=UnitKind.BUREAU, name="bureau", id=99, capabilities=("水域救援",))
    hits = search([office, force(1, caps=("水域救援",)), force(2)], "水域", today=TODAY)
    assert codes(hits) == ["F001"] and hits[0].matched == "水域救援"


@pytest.mark.parametrize("word", ["", "   ", "舟" * 5000])
def test_bad_words_refused(word: str) -> None:
    with pytest.raises(BadWord):
        search([force(1, boats=1)], word, today=TODAY)
