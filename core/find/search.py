"""Resource search: which forces have a capability, a piece of equipment or a material.

Pure: it ranks the units the repository returns, given the roll-call and order facts the
caller fetched in one query each (never one per force).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from core.errors import DomainError
from core.notices import text
from core.registry import Unit

MAX_WORD = 100

# Common terms people type for the same thing; a word in a group matches every member.
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"冲锋舟", "橡皮艇", "救生艇", "boat", "dinghy", "lifeboat"}),
    frozenset({"无人机", "航拍", "drone", "uav"}),
    frozenset({"发电机", "发电车", "generator"}),
    frozenset({"挖掘机", "挖机", "excavator", "digger"}),
    frozenset({"救护车", "急救车", "ambulance"}),
)


class BadWord(DomainError):
    """The search word is empty or too long."""


@dataclass(frozen=True)
class Hit:
    """One force that matched, with what matched and the facts the ranking used."""

    unit: Unit
    matched: str
    count: int
    age_days: int | None
    answered: bool
    on_order: bool


def clean_word(raw: str) -> str:
    word = " ".join(raw.split())
    if not word:
        raise BadWord("find_empty")
    if len(word) > MAX_WORD:
        raise BadWord("too_long", field=text("field.find_word"), limit=MAX_WORD,
                      length=len(word))
    return word


def terms(word: str) -> frozenset[str]:
    """The word plus every synonym of a group the word belongs to or contains."""
    low = word.casefold()
    found = {low}
    for group in SYNONYMS:
        if any(low == t or t in low for t in group):
            found |= group
    return frozenset(found)


def _match(unit: Unit, wanted: frozenset[str]) -> tuple[str, int] | None:
    best: tuple[str, int] | None = None
    for item in (*unit.equipment, *unit.materials):
        name = item.name.casefold()
        if any(t in name for t in wanted) and (best is None or item.count > best[1]):
            best = (item.name, item.count)
    if best is not None:
        return best
    for cap in unit.capabilities:
        if any(t in cap.casefold() for t in wanted):
            return (cap, 0)
    return None


def search(
    units: Iterable[Unit],
    word: str,
    *,
    today: date,
    township: str = "",
    answered: Collection[int] = (),
    on_order: Collection[int] = (),
    limit: int = 20,
) -> list[Hit]:
    """Forces matching `word`, best first: bound chat, answered today's roll-call,
    same township as asked, larger count, fresher data."""
    wanted = terms(clean_word(word))
    answered_set, order_set = set(answered), set(on_order)
    hits: list[Hit] = []
    for unit in units:
        if not unit.is_force or unit.id is None:
            continue
        found = _match(unit, wanted)
        if found is None:
            continue
        age = (today - unit.data_updated).days if unit.data_updated else None
        hits.append(
            Hit(unit, found[0], found[1], age, unit.id in answered_set, unit.id in order_set)
        )

    def key(h: Hit) -> tuple[bool, bool, bool, int, int, str]:
        return (
            not h.unit.is_bound,
            not h.answered,
            not (township and h.unit.township == township),
            -h.count,
            h.age_days if h.age_days is not None else 10**6,
            h.unit.code,
        )

    return sorted(hits, key=key)[:limit]

