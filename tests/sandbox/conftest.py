"""Fixtures: a running sandbox and a real aiogram Bot pointed at it."""

# Imports follow the sys.path fix below.
# ruff: noqa: E402

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

# The project is not pip-installed in the venv; plain `pytest` must still find `sandbox`.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import pytest_asyncio
from aiogram import Bot
from sandbox_helpers import make_bot, populate

from sandbox import Sandbox


@pytest_asyncio.fixture
async def sb() -> AsyncIterator[Sandbox]:
    sandbox = Sandbox(limits=False)
    populate(sandbox)
    await sandbox.start()
    yield sandbox
    await sandbox.stop()


@pytest_asyncio.fixture
async def bot(sb: Sandbox) -> AsyncIterator[Bot]:
    b = make_bot(sb.base_url)
    yield b
    await b.session.close()
