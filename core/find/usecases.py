"""/find: the forces that have what was asked for, best first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from core.actor import Actor
from core.clock import Clock
from core.find.policies import FIND
from core.find.ports import FindUnitOfWork
from core.find.search import MAX_WORD, BadWord, Hit, clean_word, search
from core.notices import text
from core.registry import UnitKind

MAX_ARGS = MAX_WORD + 40  # the word and a township


@dataclass(frozen=True)
class Found:
    word: str
    township: str
    hits: list[Hit]


def parse(args: str) -> tuple[str, str]:
    """`冲锋舟 城关镇` -> ("冲锋舟", "城关镇"); one word alone has no township."""
    if len(args) > MAX_ARGS:
        raise BadWord("too_long", field=text("field.find_word"), limit=MAX_WORD,
                      length=len(args))
    words = args.split()
    if len(words) >= 2:
        return clean_word(" ".join(words[:-1])), words[-1]
    return clean_word(args), ""


async def find_forces(uow: FindUnitOfWork, actor: Actor, args: str, clock: Clock,
                      zone: ZoneInfo) -> Found:
    FIND.require(actor)
    word, township = parse(args)
    now = clock.now()
    local = now.astimezone(zone)
    day_start = datetime.combine(local.date(), time(0), zone)
    units = await uow.units.list(UnitKind.FORCE)
    answered = await uow.find.answered_since(day_start)
    busy = await uow.find.on_order()
    return Found(word, township, search(units, word, today=local.date(), township=township,
                                        answered=answered, on_order=busy))
