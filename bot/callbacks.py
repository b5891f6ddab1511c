"""Typed callback data. The prefix carries a version so buttons already in chats keep working.

Callback data comes back from Telegram as the client sent it, so it is read like anything a
person types: numbers are ASCII digits within the column's range. Data that does not parse
matches no handler and gets the stale-button answer; it never reaches the database.
"""

from __future__ import annotations

from typing import Annotated, Any

from aiogram.filters.callback_data import CallbackData
from pydantic import BeforeValidator

from core.notices import Action
from core.parse import MAX_ID, digits


def _number(lo: int) -> Any:
    def check(value: Any) -> int:
        if isinstance(value, str):
            if not digits(value) or len(value) > len(str(MAX_ID)):
                raise ValueError("not a number")
            value = int(value)
        if not isinstance(value, int) or not lo <= value <= MAX_ID:
            raise ValueError("out of range")
        return value

    return BeforeValidator(check)


Ref = Annotated[int, _number(1)]  # the id of a plan, order, warning, roll-call...
Number = Annotated[int, _number(0)]  # an id, an index, or 0 for "none"


class ActionCallback(CallbackData, prefix="v1"):
    """A button on a notice: what it does and to which plan, order, warning or roll-call."""

    action: Action
    ref: Ref


class ReportLinkCallback(CallbackData, prefix="rl1"):
    """One open incident offered for an information report (关联事件 → the choice)."""

    report: Ref
    incident: Ref
