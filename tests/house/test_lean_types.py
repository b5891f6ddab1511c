"""aiogram's types are built when first used (bot/lean_types.py), and then work as usual."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import bot.app
from aiogram import types
assert not types.Sticker.__pydantic_complete__, "built at import"
message = types.Message.model_validate({
    "message_id": 1, "date": 1, "chat": {"id": -5, "type": "group", "title": "t"},
    "from": {"id": 7, "is_bot": False, "first_name": "a"},
    "sticker": {"file_id": "f", "file_unique_id": "u", "type": "regular", "width": 1,
                "height": 1, "is_animated": False, "is_video": False}})
assert message.from_user.id == 7 and message.sticker.file_id == "f"
print("ok")
"""


def test_types_are_built_when_first_used() -> None:
    # A process of its own: the test session has imported aiogram long before.
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


EVERY_TYPE = """
import bot.app
import aiogram.methods as methods
import aiogram.types as types
from pydantic import BaseModel
deferred = failed = 0
for module in (types, methods):
    for name in dir(module):
        cls = getattr(module, name)
        if isinstance(cls, type) and issubclass(cls, BaseModel) and not cls.__pydantic_complete__:
            deferred += 1
            try:
                cls.model_rebuild()
                assert cls.__pydantic_complete__
            except Exception as e:
                failed += 1
                print(name, repr(e)[:200])
print(deferred, failed)
"""


def test_every_deferred_type_and_method_builds_when_asked() -> None:
    """A type first used on a rare path (a sticker, a poll in a group) must build then too:
    every module was given the names its annotations use."""
    done = subprocess.run([sys.executable, "-c", EVERY_TYPE], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    deferred, failed = (int(n) for n in done.stdout.split()[-2:])
    assert deferred > 400 and failed == 0, done.stdout[-3000:] + done.stderr[-3000:]
