"""Every key the dispatch code uses is in the catalogs (tests/test_catalogs.py checks that both
languages hold the same keys and placeholders)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import load_catalog

ROOT = Path(__file__).resolve().parents[2]
USED = re.compile(r"\"((?:dispatch|error)\.[a-z_.]+)\"")
RAISED = re.compile(r"(?:Conflict|NotFound|NotAllowed|DomainError)\(\"([a-z_]+)\"")
SOURCES = [*ROOT.glob("core/dispatch/*.py"), *ROOT.glob("bot/handlers/dispatch*.py"),
           ROOT / "bot/dialogs/dispatch.py", ROOT / "bot/views/dispatch.py"]


def test_every_literal_key_is_translated() -> None:
    zh = load_catalog("zh_Hans")
    texts = [path.read_text(encoding="utf-8") for path in SOURCES]
    used = {key for text in texts for key in USED.findall(text)}
    used |= {f"error.{code}" for text in texts for code in RAISED.findall(text)}
    missing = sorted(k for k in used if k not in zh and not k.endswith("."))
    assert not missing
