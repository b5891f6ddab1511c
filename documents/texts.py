"""What a document builder is given to say things in the reader's language: the bot's
translator for one locale (key, **params) -> text, so documents carry no texts of their own."""

from __future__ import annotations

from typing import Any, Protocol

from core.assessment.model import minutes, pct

__all__ = ["Say", "minutes", "pct"]


class Say(Protocol):
    def __call__(self, key: str, /, **params: Any) -> str: ...

