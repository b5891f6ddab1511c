"""`python -m bench.inbound --forces 300,1000 --db sqlite,postgresql`: how fast taps are answered.

The real bot runs as its own process (`python -m bot run`) against the sandbox with Telegram's
limits on; `--processes 1,2` runs N bot processes on one PostgreSQL database (one leads and
polls, all deliver; SQLite is one process per file, so its rows run with one process only).
A county of N forces, every group bound, gets a roll-call from the brigade; then every force
taps 在岗 once, the taps spread evenly over 10 s (or 60 s), in random order, while a dispatcher
keeps the brigade's group at its 20-messages-a-minute limit with /status.

Per run it prints: taps answered, tap -> answerCallbackQuery p50/p99/max, answers later than
Telegram's 15 s, tap -> commit p50/p99, handling p50/p95 (aiogram's own per-update duration),
handling p99, answers recorded and counted twice, the bots' peak RSS (the largest process), their
CPU time over the run and per tap (all processes, first tap to last answer; steadier than
latency on a shared machine); the last line is one JSON object.
`--bot-dir` runs another checkout's bot (e.g. the commit before a change) with this benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import re
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from sandbox import Sandbox

TOKEN = "7200001:INBOUND"
ROOT = Path(__file__).resolve().parent.parent
DISPATCHER, APPROVER = 800001, 800002
MEMBER0 = 810000
ON_DUTY = "在岗"
TELEGRAM_ANSWER_WINDOW = 15.0
HANDLED = re.compile(r"Update id=(\d+) is handled\. Duration (\d+) ms")


@dataclass
class Figures:
    db: str
    processes: int
    forces: int
    spread_s: float
    taps: int
    answered: int
    answer_p50_ms: float
    answer_p99_ms: float
    answer_max_ms: float
    over_15s: int
    commit_p50_ms: float
    commit_p99_ms: float
    handling_p50_ms: float
    handling_p95_ms: float
    handling_p99_ms: float
    recorded: int
    double_counted: int
    peak_rss_mib: float
    bot_cpu_s: float  # the bot process's CPU time over the whole run, start-up included
    cpu_ms_per_tap: float  # its CPU time from the first tap to the last answer, per tap
    brigade_replies_waiting: int


def county(forces: int) -> dict[str, Any]:
    people = [{"tg_id": MEMBER0 + i, "name": f"队员{i}", "roles": ["duty_officer"]}
              for i in range(forces)]
    return {"county": "基准县", "units": [
        {"code": "bureau", "kind": "bureau", "name": "应急管理局",
         "people": [{"tg_id": APPROVER, "name": "审批人", "roles": ["approver"]}]},
        {"code": "brigade", "kind": "brigade", "name": "消防救援大队",
         "people": [{"tg_id": DISPATCHER, "name": "调度员",
                     "roles": ["dispatcher", "commander"]}]},
        {"code": "dept-a", "kind": "department", "name": "主管部门", "sector": "water"},
        *[{"code": f"f-{i}", "kind": "force", "name": f"救援队{i}", "category": "social",
           "township": "城关镇", "department": "dept-a", "people": [people[i]]}
          for i in range(forces)],
    ]}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000, 1)


async def reset_database(url: str, folder: Path) -> str:
    if not url.startswith("postgresql"):
        return f"sqlite+aiosqlite:///{folder / 'inbound.db'}"
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    return url


async def run_cli(bot_dir: Path, env: dict[str, str], *args: str) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=bot_dir, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"bot {' '.join(args)} failed: {out.decode()[-2000:]}")


async def bind_all(url: str, chats: dict[str, int]) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        for code, chat_id in chats.items():
            await conn.execute(text("UPDATE units SET chat_id = :c WHERE code = :code"),
                               {"c": chat_id, "code": code})
    await engine.dispose()


async def recorded_answers(url: str) -> tuple[list[tuple[int, float]], int]:
    """(force index, commit time) of every recorded answer; audit entries for answers."""
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT u.code, a.answered_at FROM rollcall_answers a JOIN units u "
            "ON u.id = a.unit_id WHERE a.answered_at IS NOT NULL"))).all()
        audits = await conn.scalar(text(
            "SELECT count(*) FROM audit_log WHERE action = 'rollcall.answered'"))
    await engine.dispose()
    out = []
    for code, at in rows:
        if isinstance(at, str):  # SQLite hands back text
            at = datetime.fromisoformat(at)
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        out.append((int(code.split("-")[1]), at.timestamp()))
    return out, int(audits or 0)


def peak_rss_mib(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User and system time of the process so far: less noisy than latency on a shared machine."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)
    return float("nan")


async def until(probe: Any, within: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if probe():
            return True
        await asyncio.sleep(step)
    return bool(probe())


async def one_run(db: str, forces: int, spread: float, bot_dir: Path, pg_url: str,
                  processes: int = 1, redis_url: str = "") -> Figures:
    sb = Sandbox(limits=True)
    await sb.start()
    sb.create_bot(TOKEN, "inbound_bot", "inbound")
    sb.add_user(DISPATCHER, "调度员")
    sb.add_user(APPROVER, "审批人")
    chats = {"brigade": sb.create_group("消防救援大队", [DISPATCHER]),
             "bureau": sb.create_group("应急管理局", [APPROVER])}
    for i in range(forces):
        sb.add_user(MEMBER0 + i, f"队员{i}")
        chats[f"f-{i}"] = sb.create_group(f"救援队{i}", [MEMBER0 + i])
    for gid in chats.values():
        sb.add_bot_to_group(gid, by_user=DISPATCHER)
    sb.bot(TOKEN).updates.clear()  # joined long ago: not part of the measurement
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = await reset_database(pg_url if db == "postgresql" else "", folder)
        registry = folder / "county.yaml"
        registry.write_text(yaml.safe_dump(county(forces), allow_unicode=True), "utf-8")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "RESCUEBOT_TOKEN": TOKEN,
               "RESCUEBOT_API_URL": sb.base_url, "RESCUEBOT_DATABASE_URL": url,
               "RESCUEBOT_LOG_LEVEL": "INFO", "RESCUEBOT_ROLLCALL__ANSWER_MINUTES": "30",
               # Taps only: the benchmark's county has no data dates (1,000 stale-data
               # reminders at the first sweep) and the monthly assessment falls due on a real
               # clock; both would be a fan-out in the middle of the taps.
               "RESCUEBOT_DATA__REMINDERS": "false", "RESCUEBOT_ASSESS__MONTHLY_DAY": "0",
               "PYTHONPATH": str(bot_dir)}
        if redis_url:
            env["RESCUEBOT_REDIS_URL"] = redis_url
        await run_cli(bot_dir, env, "migrate")
        await run_cli(bot_dir, env, "registry", "import", str(registry))
        await bind_all(url, chats)
        logs = [Path(tempfile.gettempdir())
                / f"bench-inbound-{db}-{forces}-{spread:g}-p{processes}-{n}.log"
                for n in range(processes)]
        procs = []
        with contextlib.ExitStack() as files:
            for log_path in logs:
                log_file = files.enter_context(log_path.open("wb"))
                procs.append(await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", cwd=bot_dir, env=env,
                    stdout=log_file, stderr=log_file))
            pids = [p.pid for p in procs]
            try:
                figures = await measure(sb, chats, forces, spread, pids, logs)
            except Exception:
                print(f"the bots' logs: {' '.join(map(str, logs))}", file=sys.stderr)
                raise
            finally:
                rss = max(peak_rss_mib(pid) for pid in pids)
                cpu = round(sum(cpu_seconds(pid) for pid in pids), 2)
                for proc in procs:
                    proc.terminate()
                for proc in procs:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(proc.wait(), 15)
                    if proc.returncode is None:
                        proc.kill()
                        await proc.wait()
        recorded, audits = await recorded_answers(url)
        log_text = "".join(p.read_text("utf-8", "replace") for p in logs)
    await sb.stop()
    taps, answers, brigade_waiting, tap_cpu = figures
    handled = [int(m.group(2)) / 1000 for m in HANDLED.finditer(log_text)]
    answer_delays = [answers[q] - t for q, (_i, t) in taps.items() if q in answers]
    tapped_at = {i: t for i, t in taps.values()}
    commit_delays = [max(0.0, at - tapped_at[i]) for i, at in recorded if i in tapped_at]
    return Figures(
        db=db, processes=processes, forces=forces, spread_s=spread, taps=len(taps),
        answered=len(answer_delays),
        answer_p50_ms=percentile(answer_delays, 0.5), answer_p99_ms=percentile(answer_delays,
                                                                                0.99),
        answer_max_ms=round(max(answer_delays, default=float("nan")) * 1000, 1),
        over_15s=sum(1 for d in answer_delays if d > TELEGRAM_ANSWER_WINDOW),
        commit_p50_ms=percentile(commit_delays, 0.5),
        commit_p99_ms=percentile(commit_delays, 0.99),
        handling_p50_ms=percentile(handled, 0.5), handling_p95_ms=percentile(handled, 0.95),
        handling_p99_ms=percentile(handled, 0.99),
        recorded=len(recorded), double_counted=max(0, audits - len(recorded)),
        peak_rss_mib=rss, bot_cpu_s=cpu,
        cpu_ms_per_tap=round(tap_cpu * 1000 / max(1, len(taps)), 2),
        brigade_replies_waiting=brigade_waiting)


def _cpu(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


def _started(log: Path) -> bool:
    """The process is past its start: it leads, or knows another does."""
    with contextlib.suppress(OSError):
        said = log.read_text("utf-8", "replace")
        return "this process leads" in said or "another process leads" in said
    return False


async def measure(sb: Sandbox, chats: dict[str, int], forces: int, spread: float,
                  pids: list[int], logs: list[Path],
                  ) -> tuple[dict[str, tuple[int, float]], dict[str, float], int, float]:
    if not await until(lambda: sb.stats.calls.get("getUpdates", 0) > 0, 120):
        raise RuntimeError("the bot did not start polling")
    if len(logs) > 1 and not await until(lambda: all(_started(p) for p in logs), 120):
        raise RuntimeError("not every bot process started")
    await sb.send_message(chats["brigade"], DISPATCHER, "/rollcall")
    groups = [chats[f"f-{i}"] for i in range(forces)]

    def delivered() -> bool:
        return all(any(ON_DUTY in str(m.get("buttons")) for m in sb.transcript(g))
                   for g in groups)

    if not await until(delivered, forces / 25 + 60, 0.5):
        raise RuntimeError("the roll-call did not reach every force")
    answered_at: dict[str, float] = {}
    stop = asyncio.Event()
    saturate = asyncio.create_task(keep_busy(sb, chats["brigade"], stop))
    order = list(range(forces))
    random.Random(7).shuffle(order)
    taps: dict[str, tuple[int, float]] = {}
    cpu_before = _cpu(pids)
    started = time.monotonic()
    for n, i in enumerate(order):
        due = started + spread * n / forces
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        at = time.time()
        query = await sb.press_button(chats[f"f-{i}"], MEMBER0 + i, ON_DUTY)
        taps[query] = (i, at)

    def all_answered() -> bool:
        for q in taps:
            if q not in answered_at and q in sb.callback_answers:
                answered_at[q] = sb.callback_answers[q].get("answered_at", time.time())
        return len(answered_at) == len(taps)

    await until(all_answered, TELEGRAM_ANSWER_WINDOW * 3, 0.005)
    all_answered()
    tap_cpu = _cpu(pids) - cpu_before
    stop.set()
    waiting = await saturate
    return taps, answered_at, waiting, tap_cpu


async def keep_busy(sb: Sandbox, brigade: int, stop: asyncio.Event) -> int:
    """A dispatcher asking /status: a burst past the group's 20 a minute, then one a second,
    keeps the brigade group at its limit for the whole run."""
    sent = 0
    for _ in range(22):
        await sb.send_message(brigade, DISPATCHER, "/status")
        sent += 1
    while not stop.is_set():
        await sb.send_message(brigade, DISPATCHER, "/status")
        sent += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)
    replies = sum(1 for m in sb.transcript(brigade) if m["is_bot"])
    return max(0, sent - replies)


def row(f: Figures) -> str:
    return (f"{f.db:<10} {f.processes:>2} {f.forces:>5} {f.spread_s:>4.0f}s "
            f"{f.answered:>5}/{f.taps:<5} "
            f"{f.answer_p50_ms:>8.0f} {f.answer_p99_ms:>8.0f} {f.answer_max_ms:>8.0f} "
            f"{f.over_15s:>4} {f.commit_p50_ms:>8.0f} {f.commit_p99_ms:>8.0f} "
            f"{f.handling_p50_ms:>6.0f} {f.handling_p95_ms:>6.0f} {f.handling_p99_ms:>6.0f} "
            f"{f.recorded:>5} "
            f"{f.double_counted:>3} {f.peak_rss_mib:>7.1f} {f.bot_cpu_s:>7.1f} "
            f"{f.cpu_ms_per_tap:>7.2f}")


async def main(forces: list[int], dbs: list[str], spreads: list[float], bot_dir: Path,
               pg_url: str, processes: list[int] | None = None,
               redis_url: str = "") -> list[dict[str, Any]]:
    print(f"bot: {bot_dir}")
    print(f"{'db':<10} {'np':>2} {'forces':>5} {'over':>5} {'answered':>11} {'ans p50':>8} "
          f"{'ans p99':>8} {'ans max':>8} {'>15s':>4} {'cmt p50':>8} {'cmt p99':>8} "
          f"{'h p50':>6} {'h p95':>6} {'h p99':>6} {'rec':>5} {'dup':>3} {'rss MiB':>7} "
          f"{'cpu s':>7} "
          f"{'ms/tap':>7}",
          flush=True)
    out = []
    for db in dbs:
        for count in processes or [1]:
            if count > 1 and db != "postgresql":
                print(f"{db}: one bot process per database file; {count} processes skipped",
                      flush=True)
                continue
            for n in forces:
                for spread in spreads:
                    figures = await one_run(db, n, spread, bot_dir, pg_url, count, redis_url)
                    print(row(figures), flush=True)
                    out.append(asdict(figures))
    return out


def cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.inbound")
    parser.add_argument("--forces", default="300,1000")
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--spread", default="10,60", help="seconds the taps are spread over")
    parser.add_argument("--processes", default="1",
                        help="bot processes on one database, e.g. 1,2 (PostgreSQL only past 1)")
    parser.add_argument("--bot-dir", default=str(ROOT), help="the checkout whose bot is run")
    parser.add_argument("--pg-url",
                        default="postgresql+asyncpg://postgres@127.0.0.1:5432/rescuebot_bench")
    parser.add_argument("--redis-url", default=os.environ.get("RESCUEBOT_TEST_REDIS", ""),
                        help="Redis the bot processes share (dialogs, pacing), as a county with "
                             "several processes runs them; default RESCUEBOT_TEST_REDIS, none if "
                             "unset")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    if "postgresql" in args.db:
        asyncio.run(ensure_database(args.pg_url))
    figures = asyncio.run(main([int(n) for n in args.forces.split(",")], args.db.split(","),
                               [float(s) for s in args.spread.split(",")],
                               Path(args.bot_dir).resolve(), args.pg_url,
                               [int(n) for n in args.processes.split(",")], args.redis_url))
    print(json.dumps({"inbound": figures}, ensure_ascii=False))


async def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = create_async_engine(url.rsplit("/", 1)[0] + "/postgres",
                                 isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        if not await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                 {"n": name}):
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()


if __name__ == "__main__":
    cli()

