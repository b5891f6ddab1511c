"""Shared steps of the assessment tests: the sample month written, the pictures read back."""

from __future__ import annotations

import io
from typing import Any

from matplotlib import image

from bot.app import App
from sandbox import Sandbox
from storage.uow import UnitOfWorkFactory
from tests.assessment.sample import Sample, november, write


async def unit_ids(uows: App | UnitOfWorkFactory, *codes: str) -> list[int]:
    factory = uows.uow if isinstance(uows, App) else uows
    async with factory() as uow:
        found = [await uow.units.by_code(code) for code in codes]
    return [u.id for u in found if u is not None and u.id is not None]


async def write_november(uows: App | UnitOfWorkFactory) -> Sample:
    factory = uows.uow if isinstance(uows, App) else uows
    police, water, health, meteo = await unit_ids(uows, "f-police", "f-water", "f-health",
                                                  "dept-meteo")
    sample = november(police, water, health, meteo)
    async with factory() as uow:
        await write(uow, sample)
        await uow.commit()
    return sample


def sent_file(sandbox: Sandbox, name: str) -> bytes:
    found = [f for f in sandbox.files.values() if f["filename"] == name]
    assert len(found) == 1, [f["filename"] for f in sandbox.files.values()]
    return bytes(found[0]["content"])


def png_size(content: bytes) -> tuple[int, int]:
    """(width, height) of a PNG, decoded."""
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    pixels: Any = image.imread(io.BytesIO(content), format="png")
    return int(pixels.shape[1]), int(pixels.shape[0])
