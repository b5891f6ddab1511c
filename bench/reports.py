"""How long the yearly county assessment (xlsx + docx) and the after-action report of the
largest incident take on a generated year, and how much memory they need.

    python -m bench.reports [--db sqlite|postgresql] [--pg-url URL]

A fresh database each run (SQLite in a temporary folder; PostgreSQL: the bench database is
dropped and created again), filled by bench.year; then:
- `python -m bot stats --year 2026 --out x.xlsx --docx x.docx` as a child process: wall time
  (interpreter start and imports included) and peak RSS (the child's VmHWM, from wait4);
- the same steps in this process, each timed: reading and computing, the workbook, the document;
- the after-action report of the largest incident (see AFTER_ACTION below).
Targets (issue 12): assessment <= 10 s, after-action report <= 3 s, peak memory <= 400 MB.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.year import YEAR, Made, Sizes, make_year
from bot.views.afteraction import build_report
from core.assessment.config import AssessConfig
from core.assessment.model import Period
from core.assessment.usecases import county_assessment
from core.clock import SystemClock
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import SqlUnitOfWork, UnitOfWorkFactory

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"assessment_s": 10.0, "after_action_s": 3.0, "peak_rss_mib": 400.0}

# The after-action report of one incident, as the sweep builds it (issue 12 item 2): the
# benchmark times one call on the largest incident (15 orders, about 2,000 of the 20,000 audit
# entries), reading and building the .docx with its chart.
AfterAction = Callable[[SqlUnitOfWork, int], Awaitable[bytes]]
AFTER_ACTION: AfterAction | None = build_report


async def fresh_postgres(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = create_async_engine(url.rsplit("/", 1)[0] + "/postgres",
                                 isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()


async def generate(url: str) -> tuple[Made, float]:
    started = time.perf_counter()
    engine = make_engine(url)
    try:
        await migrate.upgrade(engine)
        uows = UnitOfWorkFactory(make_sessionmaker(engine), SystemClock())
        async with uows() as uow:
            made = await make_year(uow, Sizes())
            await uow.commit()
    finally:
        await engine.dispose()
    return made, round(time.perf_counter() - started, 2)


def cli_run(url: str, out: Path) -> dict[str, Any]:
    """The console command as an official runs it, in a child process."""
    env = {**os.environ, "RESCUEBOT_DATABASE_URL": url}
    xlsx, docx = out / "assessment.xlsx", out / "assessment.docx"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "stats", "--year", str(YEAR), "--out", str(xlsx),
         "--docx", str(docx)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if status != 0:
        raise RuntimeError(f"python -m bot stats failed: {stderr}")
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "xlsx_kib": round(xlsx.stat().st_size / 1024, 1),
            "docx_kib": round(docx.stat().st_size / 1024, 1)}


async def in_process(url: str) -> dict[str, Any]:
    """The same work step by step, to see where the time goes."""
    from bot.i18n import Translator
    from bot.views.assessment import say_plain
    from documents.assessment_docx import assessment_document
    from documents.assessment_xlsx import assessment_workbook

    cfg = AssessConfig(ZoneInfo("Asia/Shanghai"))
    say = say_plain(Translator("zh_Hans", cfg.zone).for_locale("zh_Hans"))
    engine = make_engine(url)
    try:
        uows = UnitOfWorkFactory(make_sessionmaker(engine), SystemClock())
        t0 = time.perf_counter()
        async with uows() as uow:
            found = await county_assessment(uow, Period(YEAR), SystemClock(), cfg)
        t1 = time.perf_counter()
        assessment_workbook(found, say)
        t2 = time.perf_counter()
        assessment_document(found, say)
        t3 = time.perf_counter()
    finally:
        await engine.dispose()
    return {"read_and_compute_s": round(t1 - t0, 3), "xlsx_s": round(t2 - t1, 3),
            "docx_s": round(t3 - t2, 3), "roll_calls_counted": found.total.calls,
            "orders_counted": found.total.orders}


async def after_action(url: str, incident_id: int) -> dict[str, Any] | str:
    if AFTER_ACTION is None:
        return "not wired"
    engine = make_engine(url)
    try:
        uows = UnitOfWorkFactory(make_sessionmaker(engine), SystemClock())
        started = time.perf_counter()
        async with uows() as uow:
            content = await AFTER_ACTION(uow, incident_id)
        seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    return {"incident": incident_id, "seconds": round(seconds, 2),
            "docx_kib": round(len(content) / 1024, 1)}


async def main(db: str, pg_url: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        if db == "postgresql":
            await fresh_postgres(pg_url)
            url = pg_url
        else:
            url = f"sqlite+aiosqlite:///{tmp}/reports.db"
        made, generate_s = await generate(url)
        cli = await asyncio.to_thread(cli_run, url, Path(tmp))
        steps = await in_process(url)
        report = await after_action(url, made.largest_incident)
    return {
        "db": db, "forces": Sizes().forces, "generated_s": generate_s,
        "rows": {"rollcall_answers": made.answers, "warning_targets": made.targets,
                 "orders": made.orders, "audit": Sizes().audit},
        "assessment_cli": cli, "assessment_steps": steps, "after_action": report,
        "targets": TARGETS,
        "met": {"assessment": cli["seconds"] <= TARGETS["assessment_s"],
                "memory": cli["peak_rss_mib"] <= TARGETS["peak_rss_mib"],
                "after_action": (report["seconds"] <= TARGETS["after_action_s"]
                                 if isinstance(report, dict) else None)},
    }


def cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reports")
    parser.add_argument("--db", default="sqlite", help="sqlite, postgresql, or both: "
                        "sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/"
                        "rescuebot_bench_reports", help="dropped and created afresh")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    figures = [asyncio.run(main(db, args.pg_url)) for db in args.db.split(",")]
    print(json.dumps({"reports": figures}, ensure_ascii=False))


if __name__ == "__main__":
    cli()
