"""Numbers people type and buttons carry, read at the edge.

Only ASCII digits count: `str.isdigit()` also accepts "²" and "١", which `int()` then refuses
or reads as another number. A value is checked against the range it will be used in before it
goes anywhere, so an id never overflows a database column and an hour count never overflows a
date. Anything else is a refusal that names the problem, never a traceback.
"""

from __future__ import annotations

from core.errors import DomainError, NotFound

# Ids are `Integer` columns in storage (PostgreSQL's 4-byte integer, the narrower backend).
MAX_ID = 2**31 - 1
_DIGITS = frozenset("0123456789")


def digits(raw: str) -> bool:
    """ASCII digits only: no sign, no spaces inside, no "_", exponent or point."""
    return bool(raw) and set(raw) <= _DIGITS


def whole(raw: str, lo: int, hi: int) -> int | None:
    """`raw` as a whole number within lo..hi, or None."""
    text = raw.strip()
    # A number longer than the bound's digits is out of range: no need to build it.
    if not digits(text) or len(text.lstrip("0")) > len(str(hi)):
        return None
    value = int(text)
    return value if lo <= value <= hi else None


def parse_id(raw: str, usage: object, unknown: str) -> int:
    """An id as people write it ("12" or "#12"). Not a number: the usage; a number no row
    can have (0, or beyond the column): NotFound(unknown), as for any id that does not exist."""
    text = raw.strip().removeprefix("#")
    if not digits(text):
        raise DomainError("usage", usage=usage)
    value = whole(text, 1, MAX_ID)
    if value is None:
        raise NotFound(unknown, id=text)
    return value


def id_or_unknown(raw: str, unknown: str) -> int:
    """An id, or NotFound(unknown) naming what was typed, whatever it was."""
    value = whole(raw.strip().removeprefix("#"), 1, MAX_ID)
    if value is None:
        raise NotFound(unknown, id=raw)
    return value


def valid_id(value: int) -> bool:
    """An id from callback data or a dialog's state: fits the column and could exist."""
    return 1 <= value <= MAX_ID


def in_range(raw: str, lo: int, hi: int, usage: object) -> int:
    """A count (hours, days) within lo..hi; otherwise a refusal saying the range and usage."""
    value = whole(raw, lo, hi)
    if value is None:
        raise DomainError("number_range", value=raw, min=lo, max=hi, usage=usage)
    return value
