"""`/respond <incident> <level>`: the level in any of the ways people write it."""

from __future__ import annotations

from core.errors import DomainError
from core.notices import text
from core.response.model import Level

RESPOND_USAGE = text("usage.respond")
# Looked up lowercased: the Roman numeral signs (Ⅳ, U+2163) have lowercase forms (ⅳ) too.
LEVEL_WORDS: dict[str, Level] = {
    **{w: Level.IV for w in ("Ⅳ", "4", "iv", "四")},
    **{w: Level.III for w in ("Ⅲ", "3", "iii", "三")},
    **{w: Level.II for w in ("Ⅱ", "2", "ii", "二")},
    **{w: Level.I for w in ("Ⅰ", "1", "i", "一")},
    **{w: Level.NONE for w in ("终止", "end", "结束", "解除")},
}
_LOWER = {k.lower(): v for k, v in LEVEL_WORDS.items()}


def parse_level(raw: str) -> Level:
    word = raw.strip().lower().removesuffix("级")
    if word not in _LOWER:
        raise DomainError("response_bad_level", value=raw)
    return _LOWER[word]


def parse_respond(args: str) -> tuple[str, Level]:
    """``<incident> <level>`` -> (the incident as typed, the level); NONE is 终止/end."""
    words = args.split()
    if len(words) != 2:
        raise DomainError("usage", usage=RESPOND_USAGE)
    return words[0], parse_level(words[1])
