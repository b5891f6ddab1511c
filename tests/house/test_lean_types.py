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
