"""A force answering for itself: its order, its department's concurrence, a roll-call's 到岗 or
a warning's 已收到. Only the target unit's own chat answers for it, and the first answer counts:
these are the rules, written once, which each feature applies to its own rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from core.actor import Actor
from core.errors import DomainError, NotAllowed
from core.registry import Unit

Row = TypeVar("Row")


def from_own_chat(actor: Actor, unit_id: int, refusal: NotAllowed) -> Unit:
    """The chat's unit, when it is the target ``unit_id``; from any other chat, ``refusal``."""
    here = actor.chat_unit
    if here is None or here.id != unit_id:
        raise refusal
    return here


async def own_target(actor: Actor, find: Callable[[int], Awaitable[Row | None]],
                     refusal: NotAllowed) -> tuple[Unit, Row]:
    """This chat's unit and its row among the targets (``find`` looks it up by unit id); a chat
    that is not a target is refused."""
    here = actor.chat_unit
    row = await find(here.id) if here is not None and here.id is not None else None
    if here is None or row is None:
        raise refusal
    return here, row


async def first_wins(row: Row, write: Callable[[Row], Awaitable[bool]],
                     again: Callable[[], Awaitable[Row | None]],
                     taken: Callable[[Row | None], DomainError]) -> None:
    """Write ``row``'s answer, unless another was written since the row was read: that one
    counts, and ``taken`` says whose it was from the row read ``again``."""
    if not await write(row):
        raise taken(await again())
