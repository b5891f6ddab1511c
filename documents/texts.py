"""What a document builder is given to say things in the reader's language: the bot's
translator for one locale (key, **params) -> text, so documents carry no texts of their own."""

from __future__ import annotations

from typing import Any, Protocol


class Say(Protocol):
    def __call__(self, key: str, /, **params: Any) -> str: ...


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"
