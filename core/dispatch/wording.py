"""Optional parts of the dispatch texts, and durations in words.

A template shows an optional part through one placeholder that is either a whole text (its
label, its value and its separator, from its own key) or nothing: a value nobody gave is left
out, never shown as "—". A duration under a minute reads "at once", never "0 minutes".
"""

from __future__ import annotations

from typing import Any

from core.notices import text


def optional(key: str, value: Any, **params: Any) -> Any:
    """``key`` rendered with ``value``, or nothing when no value was given."""
    return text(key, value=value, **params) if value else ""


def after(key: str, minutes: int) -> Any:
    """``key`` with ``after`` minutes; ``key.now`` when less than a minute passed."""
    return text(f"{key}.now") if minutes < 1 else text(key, after=minutes)
