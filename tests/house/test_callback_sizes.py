"""Every kind of button data, packed with the longest value each field can hold, fits the 64
bytes Telegram allows. The CallbackData classes are found by importing the whole of bot/, not
listed here, so a new one is checked without anyone remembering to add it."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Any

import pytest
from aiogram.filters.callback_data import CallbackData
from pydantic import TypeAdapter, ValidationError

import bot
from bot.dialogs.warning import HOURS, Pick, WarnStep, target_buttons
from core.registry_file import MAX_LEN
from core.warnings.model import HAZARDS, Level
from demo.world import load_county
from tests.conftest import COUNTY

TELEGRAM_LIMIT = 64  # bytes of callback_data
# Every int field is tried with these; the longest one the field accepts is packed.
INTS = (-(2**63), 2**63 - 1, -(2**31), 2**31 - 1, 2**15 - 1, 255, 0)


def _subclasses(cls: type[CallbackData]) -> Iterator[type[CallbackData]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _callback_classes() -> list[type[CallbackData]]:
    for module in pkgutil.walk_packages(bot.__path__, "bot."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found = {c for c in _subclasses(CallbackData) if c.__module__.startswith("bot.")}
    return sorted(found, key=lambda c: c.__prefix__)


CLASSES = _callback_classes()


def _pick_values(townships: set[str]) -> list[str]:
    """Every value a warning dialog button can carry, for a county with these townships."""
    values = [*HAZARDS, "other", *(lv.value for lv in Level), *HOURS, "yes", "no"]
    return values + list(target_buttons(sorted(townships)))


def _shipped_townships() -> set[str]:
    return {u.township for u in load_county(COUNTY).units if u.township}


# A text field has no longest value of its own: each says here what the longest one it carries
# is. A new text field fails test_every_field_has_a_longest_value until it is added.
LONGEST_TEXT: dict[tuple[type[CallbackData], str], str] = {
    (Pick, "value"): max(_pick_values(_shipped_townships()), key=lambda v: len(v.encode())),
}


def _longest(cls: type[CallbackData], name: str) -> Any:
    field = cls.model_fields[name]
    kind = field.annotation
    if isinstance(kind, type) and issubclass(kind, Enum):
        return max(kind, key=lambda member: len(str(member.value).encode()))
    if kind is int:
        accepts: TypeAdapter[int] = TypeAdapter(Annotated[(int, *field.metadata)])
        allowed = [n for n in INTS if _accepts(accepts, n)]
        return max(allowed, key=lambda n: len(str(n)))
    return LONGEST_TEXT[(cls, name)]


def _accepts(adapter: TypeAdapter[int], value: int) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def test_the_classes_are_found() -> None:
    assert {c.__prefix__ for c in CLASSES} >= {"v1", "d1", "wd1"}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_field_has_a_longest_value(cls: type[CallbackData]) -> None:
    for name, field in cls.model_fields.items():
        kind = field.annotation
        known = (kind is int or (isinstance(kind, type) and issubclass(kind, Enum))
                 or (cls, name) in LONGEST_TEXT)
        assert known, f"say in LONGEST_TEXT what the longest {cls.__name__}.{name} is"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_longest_packed_value_fits(cls: type[CallbackData]) -> None:
    values = {name: _longest(cls, name) for name in cls.model_fields}
    packed = cls(**values).pack()  # aiogram refuses to pack more than 64 bytes
    assert len(packed.encode()) <= TELEGRAM_LIMIT, packed
    assert cls.unpack(packed) == cls(**values)


def test_townships_as_long_and_as_many_as_a_county_could_have_fit() -> None:
    """A targets button carries a township's place in the list, not its name (32 characters
    of Chinese would be 96 bytes)."""
    towns = {f"{i:05d}" + "镇" * (MAX_LEN["township"] - 5) for i in range(10_000)}
    longest = max(_pick_values(towns), key=lambda v: len(v.encode()))
    assert len(Pick(step=WarnStep.TARGETS, value=longest).pack().encode()) <= 64
