"""`python -m bot registry import`: idempotent, says what changed, refuses bad files whole."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.registry_cli import CliError, import_file
from bot.settings import Settings
from core.clock import ControllableClock
from storage.db import make_engine, make_sessionmaker
from storage.tables import GrantRow, PersonRow, UnitRow
from tests.conftest import COUNTY, ROOT


async def counts(settings: Settings) -> tuple[int, int, int]:
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as s:
        result = (
            await s.scalar(select(func.count()).select_from(UnitRow)) or 0,
            await s.scalar(select(func.count()).select_from(PersonRow)) or 0,
            await s.scalar(select(func.count()).select_from(GrantRow)) or 0,
        )
    await engine.dispose()
    return result


def write(tmp_path: Path, data: object, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


async def test_import_twice_changes_nothing_the_second_time(settings: Settings,
                                                            clock: ControllableClock) -> None:
    first = await import_file(settings, COUNTY, clock)
    assert "新增单位" in first
    before = await counts(settings)
    second = await import_file(settings, COUNTY, clock)
    assert "没有变化" in second
    assert await counts(settings) == before
    assert before[0] >= 30 + 6 + 5


async def test_reimport_reports_each_change(settings: Settings, clock: ControllableClock,
                                            tmp_path: Path) -> None:
    await import_file(settings, COUNTY, clock)
    data = yaml.safe_load(COUNTY.read_text(encoding="utf-8"))
    force = next(u for u in data["units"] if u["code"] == "f-gas")
    force["capabilities"] = ["燃气抢修", "堵漏"]
    removed = force["people"].pop()
    report = await import_file(settings, write(tmp_path, data), clock)
    assert "单位 f-gas 已更新：capabilities" in report
    assert f"{removed['name']} 已不在 f-gas 担任角色" in report


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["units"][5].update(kind="army"), "“army”无效"),
        (lambda d: d["units"][-1].update(department="dept-nowhere"), "没有代码为 dept-nowhere"),
        (lambda d: d["units"][-1].update(category=None), "category：缺少此项"),
        (lambda d: d["units"][-1]["people"][0].update(tg_id="abc"), "不是有效的 Telegram"),
        (lambda d: d["units"].append(dict(d["units"][0])), "重复"),
        (lambda d: d["units"][0].update(colour="red"), "colour：未知字段"),
    ],
)
async def test_bad_file_names_entry_and_field_and_changes_nothing(
    settings: Settings, clock: ControllableClock, tmp_path: Path, mutate, expected: str
) -> None:
    await import_file(settings, COUNTY, clock)
    before = await counts(settings)
    data = yaml.safe_load(COUNTY.read_text(encoding="utf-8"))
    data["units"][0]["name"] = "改过的名字"  # a valid change that must not be applied either
    mutate(data)
    with pytest.raises(CliError) as refused:
        await import_file(settings, write(tmp_path, data), clock)
    assert expected in refused.value.message
    assert "未做任何更改" in refused.value.message
    assert await counts(settings) == before


async def test_not_yaml_is_refused_with_the_line(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("county: x\nunits:\n  - code: [unclosed\n", encoding="utf-8")
    with pytest.raises(CliError) as refused:
        await import_file(settings, path)
    assert "不是有效的 YAML" in refused.value.message


def test_cli_exit_code_and_message_on_bad_file(tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("county: x\nunits:\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "registry", "import", str(path), "--lang", "en"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={"RESCUEBOT_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2
    assert "line 2, field units: missing" in done.stderr


def test_cli_names_a_bad_setting(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"], capture_output=True, text=True, cwd=tmp_path,
        timeout=120, env={"RESCUEBOT_TIMEZONE": "Mars/Olympus", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1].startswith("setting RESCUEBOT_TIMEZONE")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"], capture_output=True, text=True, cwd=tmp_path,
        timeout=120, env={"PATH": "/usr/bin:/bin"},
    )
    assert "setting RESCUEBOT_TOKEN: missing" in done.stderr
