"""`python -m bot registry import`: idempotent, says what changed, refuses bad files whole."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, event, func, select

from bot.app import App
from bot.registry_cli import Busy, CliError, import_file
from bot.settings import Settings
from core.clock import ControllableClock
from demo.world import SandboxCounty
from sandbox import Sandbox
from storage.db import make_engine, make_sessionmaker
from storage.tables import GrantRow, PersonRow, UnitRow
from tests.conftest import COUNTY, PG, REGISTRY_ADMIN, ROOT


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
    settings: Settings, clock: ControllableClock, tmp_path: Path,
    mutate: Callable[[dict[str, Any]], None], expected: str,
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


async def test_a_gbk_file_from_wps_is_imported(settings: Settings, clock: ControllableClock,
                                               tmp_path: Path) -> None:
    text = COUNTY.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "county-gbk.yaml"
    path.write_bytes(text.encode("gbk"))
    report = await import_file(settings, path, clock)
    assert "新增单位 青川县应急管理局（bureau）" in report
    assert report.endswith("（文件按 GBK/GB18030 编码读取）")


async def test_an_unreadable_file_is_one_line_in_english_when_asked(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"county: x\nunits:\n  - name: \xff\xfe\xff\x80\x80\n")
    with pytest.raises(CliError) as refused:
        await import_file(settings, path, locale="en")
    assert refused.value.message.count("\n") == 0
    assert "neither UTF-8 nor GBK/GB18030 nor UTF-16" in refused.value.message


async def test_import_holds_no_per_row_round_trips(settings: Settings, tmp_path: Path,
                                                    clock: ControllableClock) -> None:
    from bench.registry_import import big_registry

    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    data = big_registry(forces=200, people=1000)
    path = write(tmp_path, data)
    event.listen(Engine, "before_cursor_execute", count)
    try:
        report = await import_file(settings, path, clock)
        first = statements
        await import_file(settings, path, clock)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert "新增人员" in report
    # The first run also migrates to head (its statements grow with each feature's tables);
    # the second is the import alone: a few bulk statements, where one per row was over 3,000.
    assert first < 400 and statements - first < 150
    people = {p["tg_id"]: p for u in data["units"] for p in u["people"]}
    grants = sum(len(p["roles"]) for u in data["units"] for p in u["people"])
    assert await counts(settings) == (len(data["units"]), len(people), grants)


@pytest.mark.skipif(PG is not None, reason="SQLite's write lock")
async def test_import_waits_for_a_bot_writing_to_the_same_file(
    settings: Settings, clock: ControllableClock, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await import_file(settings, COUNTY, clock)
    data = yaml.safe_load(COUNTY.read_text(encoding="utf-8"))
    data["units"][0]["name"] = "改过的名字"
    database = settings.database_url.split("///", 1)[1]
    bot = sqlite3.connect(database, isolation_level=None)
    bot.execute("BEGIN IMMEDIATE")  # the running bot, in the middle of a write
    waits: list[float] = []

    async def bot_finishes(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            bot.execute("COMMIT")

    try:
        report = await import_file(settings, write(tmp_path, data), clock,
                                   busy=Busy(timeout_ms=20, sleep=bot_finishes))
    finally:
        bot.close()
    assert "单位 bureau 已更新：name" in report
    assert waits == [1.0, 2.0]  # backing off
    waiting = [r for r in caplog.records if r.name == "bot.registry_cli"]
    assert [r.getMessage() for r in waiting] == ["数据库正被机器人占用，稍候重试（最多 6 次）……"]


def test_an_unreachable_database_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "registry", "import", str(COUNTY)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={"RESCUEBOT_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none",
             "PATH": "/usr/bin:/bin"},
    )
    # The start check finds it before the import begins: the database used, then why it failed.
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and "Connect call failed" in lines[-1]


async def test_markup_in_names_reaches_the_chats_as_text(
    app: App, county: SandboxCounty, sandbox: Sandbox, settings: Settings,
    clock: ControllableClock, tmp_path: Path,
) -> None:
    data = yaml.safe_load(COUNTY.read_text(encoding="utf-8"))
    units = {u["code"]: u for u in data["units"]}
    units["f-gas"]["name"] = "<b>燃气</b>抢修队"
    units["f-gas"]["people"][0]["name"] = "<a href='x'>李</a>"
    units["f-water"]["name"] = "<i>供水</i> & 排水"
    await import_file(settings, write(tmp_path, data), clock)  # while the bot runs
    gid = await county.bind("f-gas")
    await sandbox.send_message(gid, county.members("f-gas")[0], "/status")
    shown = (await sandbox.wait_for(gid, "f-gas"))["text"]
    assert "<b>燃气</b>抢修队" in shown and "<a href='x'>李</a>" in shown
    await sandbox.send_message(REGISTRY_ADMIN, REGISTRY_ADMIN, "/status")
    shown = (await sandbox.wait_for(REGISTRY_ADMIN, "f-water"))["text"]
    assert "<i>供水</i> & 排水（f-water）" in shown
