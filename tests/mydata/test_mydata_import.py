"""The registry import stores people's insurance and health-check dates, and keeps what a force
set itself (the count on duty, a date the file leaves out)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from sqlalchemy import select, update

from bot.registry_cli import import_file
from bot.settings import Settings
from core.clock import ControllableClock
from storage.db import make_engine, make_sessionmaker
from storage.tables import PersonRow, UnitRow
from tests.conftest import COUNTY


async def _row(settings: Settings) -> tuple[date | None, date | None, int | None]:
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as s:
        person = await s.scalar(select(PersonRow).where(PersonRow.tg_id == 300501))
        unit = await s.scalar(select(UnitRow).where(UnitRow.code == "f-police"))
        assert person is not None and unit is not None
        found = (person.insurance_until, person.health_check_until, unit.on_duty)
    await engine.dispose()
    return found


async def test_import_stores_and_keeps_the_dates(settings: Settings, clock: ControllableClock,
                                                 tmp_path: Path) -> None:
    data = yaml.safe_load(COUNTY.read_text(encoding="utf-8"))
    force = next(u for u in data["units"] if u["code"] == "f-police")
    force["people"][0].update(insurance_until="2027-06-30", health_check_until="2027-03-31")
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    await import_file(settings, path, clock)
    assert await _row(settings) == (date(2027, 6, 30), date(2027, 3, 31), None)
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as s:  # the force said 12 on duty (/update)
        await s.execute(update(UnitRow).where(UnitRow.code == "f-police").values(on_duty=12))
        await s.commit()
    await engine.dispose()
    # The plain example file gives no dates: those stored, and the count on duty, stay.
    await import_file(settings, COUNTY, clock)
    assert await _row(settings) == (date(2027, 6, 30), date(2027, 3, 31), 12)
