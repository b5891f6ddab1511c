"""Typed callback data. The prefix carries a version so buttons already in chats keep working."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from core.notices import Action


class ActionCallback(CallbackData, prefix="v1"):
    """A button on a notice: what it does and to which plan, order, warning or roll-call."""

    action: Action
    ref: int
