"""The workbook through `python -m bot registry import|export|convert`: the same checks and the
same idempotent import as the YAML file; export and import again changes nothing."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from bot.registry_cli import CliError, convert_file, export_file, import_file
from bot.registry_read import read_registry
from bot.settings import Settings
from core.clock import ControllableClock
from core.registry_file import RegistryFile, parse_registry
from storage.db import make_engine, make_sessionmaker
from storage.tables import GrantRow, PersonRow, UnitRow
from tests.conftest import COUNTY, ROOT
from tests.registry_xlsx.books import changed, county, county_xlsx, row_of

EXAMPLE_XLSX = ROOT / "examples" / "county.xlsx"
NOWHERE = "postgresql+asyncpg://nobody@127.0.0.1:1/none"  # convert opens no database


async def rows(settings: Settings) -> list[list[tuple[object, ...]]]:
    """Every unit, person and grant as stored, ids included."""
    engine = make_engine(settings.database_url)
    found = []
    async with make_sessionmaker(engine)() as s:
        for table in (UnitRow, PersonRow, GrantRow):
            columns = list(table.__table__.columns)
            result = await s.execute(select(*columns).order_by(*table.__table__.primary_key))
            found.append([tuple(r) for r in result])
    await engine.dispose()
    return found


def by_tg_id(registry: RegistryFile) -> RegistryFile:
    """A unit's people in one order: the database keeps no order of its own."""
    return replace(registry, units=tuple(
        replace(u, people=tuple(sorted(u.people, key=lambda p: p.tg_id)))
        for u in registry.units))


def test_the_example_workbook_holds_the_example_file() -> None:
    assert parse_registry(read_registry(EXAMPLE_XLSX).data) == county()


async def test_a_workbook_imports_like_the_yaml_file(settings: Settings, clock: ControllableClock,
                                                     tmp_path: Path) -> None:
    first = await import_file(settings, EXAMPLE_XLSX, clock)
    assert "新增单位" in first
    before = await rows(settings)
    assert "没有变化" in await import_file(settings, COUNTY, clock)
    assert await rows(settings) == before


@pytest.mark.parametrize("name", ["export.xlsx", "export.yaml"])
async def test_import_of_an_export_changes_nothing(settings: Settings, clock: ControllableClock,
                                                   tmp_path: Path, name: str) -> None:
    await import_file(settings, COUNTY, clock)
    before = await rows(settings)
    path = tmp_path / name
    done = await export_file(settings, path)
    assert f"已把 54 个单位、140 名人员写入 {path}" in done, done
    assert by_tg_id(parse_registry(read_registry(path).data)) == by_tg_id(county())
    assert "没有变化" in await import_file(settings, path, clock)
    assert await rows(settings) == before


async def test_a_bad_workbook_is_refused_whole(settings: Settings, clock: ControllableClock,
                                               tmp_path: Path) -> None:
    await import_file(settings, COUNTY, clock)
    before = await rows(settings)
    at: dict[str, int] = {}

    def change(book: Workbook) -> None:
        book["单位"]["C2"] = "新名称"  # a good change, not written either
        ws = book["人员"]
        at["row"] = row_of(ws, 2, 300101)
        ws.cell(at["row"], 5).value = "队长"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(changed(change))
    with pytest.raises(CliError) as refused:
        await import_file(settings, path, clock)
    assert f"人员!E{at['row']}（角色）：“队长”无效" in refused.value.message
    assert await rows(settings) == before


def _cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "registry", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120,
                          env={"RESCUEBOT_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"})


def test_cli_refuses_a_locked_workbook_in_one_line(tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
                     + "EncryptionInfo".encode("utf-16-le") + b"\0" * 600)
    done = _cli("import", str(path), "--lang", "en", database_url=database_url)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    refusal = [line for line in done.stderr.splitlines() if "locked.xlsx" in line]
    assert len(refusal) == 1 and "password protected" in refusal[0], done.stderr


def test_cli_converts_both_ways_without_a_database(settings: Settings, tmp_path: Path) -> None:
    xlsx, back = tmp_path / "c.xlsx", tmp_path / "c.yaml"
    done = _cli("convert", str(COUNTY), str(xlsx), database_url=NOWHERE)
    assert done.returncode == 0, done.stderr
    assert "54 个单位、140 名人员" in done.stdout
    convert_file(settings, xlsx, back)
    assert parse_registry(read_registry(back).data) == county()


def test_convert_refuses_an_unknown_target_and_writes_nothing(settings: Settings,
                                                              tmp_path: Path) -> None:
    source = tmp_path / "c.xlsx"
    source.write_bytes(county_xlsx())
    with pytest.raises(CliError) as refused:
        convert_file(settings, source, tmp_path / "c.csv")
    assert ".xlsx .yaml .yml" in refused.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx"]
