"""`/respond <incident> <level>`: the level in any of the ways people write it."""

from __future__ import annotations

from core.errors import DomainError
from core.notices import text
from core.response.model import Level

RESPOND_USAGE = text("usage.respond")
LEVEL_WORDS: dict[str, Level] = {
    **{w: Level.IV for w in ("Ⅳ", "4", "iv", "四")},
    **{w: Level.III for w in ("Ⅲ", "3", "iii", "三")},
    **{w: Level.II for w in ("Ⅱ", "2", "ii", "二")},
    **{w: Level.I for w in ("Ⅰ", "1", "i", "一")},
    **{w: Level.NONE for w in ("终止", "end", "结束", "解除")},
}


def parse_level(raw: str) -> Level:
    word = raw.strip().lower().removesuffix("级")
    if word not in LEVEL_WORDS:
        raise DomainError("response_bad_level", value=raw)
    return LEVEL_WORDS[word]


def parse_respond(args: str) -> tuple[str, Level]:
    """``<incident> <level>`` -> (the incident as typed, the level); NONE is 终止/end."""
    words = args.split()
    if len(words) != 2:
        raise DomainError("usage", usage=RESPOND_USAGE)
    return words[0], parse_level(words[1])
