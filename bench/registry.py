"""`python -m bench.registry --forces 1000`: the registry workbook of a large county, imported
the way the county's IT officer does it, and /find asked of the real bot at that size.

A workbook of N forces (8 people each, so 1,000 forces are about 8,000 people; capabilities,
equipment and materials drawn from bench.find's lists) plus the bureau, the brigade and 12
departments is written by the project's own writer (bot/registry_write.py). Then:

- ``python -m bot registry import FILE`` runs in a child process on a fresh SQLite database,
  twice (first: everything added, migrations included; second: nothing changed); wall time of
  each (the whole command, interpreter start included), the first one's CPU time and the
  child's peak resident memory (its ``ru_maxrss``), and the load average meanwhile;
- reading and checking the workbook alone, in this process;
- the bot is started against the sandbox, the chats of the brigade, the bureau and the 12
  departments bound, and ``--searches`` /find commands are sent one after another, going round
  those chats (a word and a township drawn as bench.find draws them); each one's time is from
  the message sent to the bot's reply arriving.

It prints one JSON object with the figures and the targets (import <= 15 s and <= 300 MB,
/find p99 <= 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.find import CAPABILITIES, EQUIPMENT, MATERIALS, TOWNSHIPS, WORDS
from bench.registry_import import CATEGORIES, DEPARTMENTS

TOKEN = "7100013:REGISTRY"
DISPATCHER = 200001
PER_FORCE = 8
TARGETS = {"import_s": 15.0, "import_peak_mb": 300.0, "find_p99_ms": 100.0}
ROOT = Path(__file__).resolve().parent.parent


def big_registry(forces: int, seed: int = 13) -> dict[str, Any]:
    rng = random.Random(seed)

    def person(tg_id: int, roles: list[str]) -> dict[str, Any]:
        return {"tg_id": tg_id, "name": f"人员{tg_id}", "phone": f"139{tg_id:08d}",
                "roles": roles}

    units: list[dict[str, Any]] = [
        {"code": "bureau", "kind": "bureau", "name": "某县应急管理局",
         "people": [person(100001, ["head", "approver", "admin"])]},
        {"code": "brigade", "kind": "brigade", "name": "某县消防救援大队",
         "people": [person(DISPATCHER, ["dispatcher", "commander"])]},
    ]
    units += [{"code": f"dept-{d}", "kind": "department", "name": f"某县主管部门{d}",
               "sector": f"s{d}", "people": [person(400000 + d, ["approver"])]}
              for d in range(1, DEPARTMENTS + 1)]
    for f in range(1, forces + 1):
        roles = [["head"], ["duty_officer"]] + [["member"]] * (PER_FORCE - 2)
        units.append({
            "code": f"f-{f:04d}", "kind": "force", "name": f"某县第{f}应急救援队",
            "category": CATEGORIES[f % 4], "sector": f"s{f % DEPARTMENTS + 1}",
            "township": rng.choice(TOWNSHIPS), "department": f"dept-{f % DEPARTMENTS + 1}",
            "capabilities": rng.sample(CAPABILITIES, 2),
            "equipment": [{"name": n, "count": rng.randint(1, 20), "unit": "台"}
                          for n in rng.sample(EQUIPMENT, 4)],
            "materials": [{"name": n, "count": rng.randint(10, 500), "unit": "件"}
                          for n in rng.sample(MATERIALS, 2)],
            "updated": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
            "people": [person(3_000_000 + f * 100 + i, roles[i]) for i in range(PER_FORCE)],
        })
    return {"county": "某县", "units": units}


def write_workbook(forces: int, path: Path) -> dict[str, Any]:
    from bot.registry_write import xlsx_bytes
    from core.registry_file import parse_registry

    registry = parse_registry(big_registry(forces))
    path.write_bytes(xlsx_bytes(registry))
    people = len({p.tg_id for u in registry.units for p in u.people})
    return {"forces": forces, "units": len(registry.units), "people": people,
            "workbook_mb": round(path.stat().st_size / 1e6, 2)}


def import_in_child(path: Path, database_url: str) -> tuple[float, str]:
    env = {**os.environ, "RESCUEBOT_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", "registry", "import", str(path)],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return took, (done.stdout.strip().splitlines() or [""])[0]


def read_alone(path: Path) -> float:
    from bot.registry_read import read_registry
    from core.registry_file import parse_registry

    started = time.perf_counter()
    parse_registry(read_registry(path).data)
    return time.perf_counter() - started


def _reply_to(message_id: int) -> Callable[[dict[str, Any]], bool]:
    return lambda m: bool(m["reply_to"] == message_id)


def _askers(forces_registry: dict[str, Any]) -> list[tuple[str, int, str]]:
    """The units that may use /find, each with one person: (code, tg_id, name)."""
    found = []
    for unit in forces_registry["units"]:
        if unit["kind"] in ("bureau", "brigade", "department"):
            person = unit["people"][0]
            found.append((unit["code"], person["tg_id"], unit["name"]))
    return found


async def find_latency(database_url: str, searches: int, forces: int) -> dict[str, Any]:
    """The bot paces its own messages as Telegram allows (1 a second and 20 a minute in a
    group), so the searches go round the 14 chats that may search, each chat asked again only
    when the bot may answer it at once: the pause is not timed, the answer is."""
    from collections import deque

    from bot.app import build_app
    from bot.settings import load_settings
    from core.clock import SystemClock
    from sandbox import Sandbox

    sb = Sandbox(limits=False)
    await sb.start()
    sb.create_bot(TOKEN, "registry_bot", "registry")
    chats: list[tuple[int, int]] = []
    codes: dict[str, int] = {}
    for code, tg_id, name in _askers(big_registry(forces)):
        sb.add_user(tg_id, f"u{tg_id}")
        gid = sb.create_group(name, [tg_id], admins=[tg_id])
        sb.add_bot_to_group(gid, by_user=tg_id)
        chats.append((gid, tg_id))
        codes[code] = gid
    sb.bot(TOKEN).updates.clear()  # the bot joined long ago
    settings = load_settings(token=TOKEN, api_url=sb.base_url, log_level="WARNING",
                             database_url=database_url)
    app = build_app(settings, TOKEN, SystemClock())
    async with app.uow() as uow:
        for code, gid in codes.items():
            unit = await uow.units.by_code(code)
            assert unit is not None
            unit.chat_id = gid
            await uow.units.update(unit)
        await uow.commit()
    task = asyncio.create_task(app.run())
    rng = random.Random(13)
    times: list[float] = []
    asked: dict[int, deque[float]] = {gid: deque(maxlen=19) for gid, _ in chats}
    try:
        for i in range(searches + len(chats)):
            gid, who = chats[i % len(chats)]
            last = asked[gid]
            now = time.monotonic()
            wait = max(last[-1] + 1.1 - now if last else 0.0,
                       last[0] + 61.0 - now if len(last) == last.maxlen else 0.0)
            await asyncio.sleep(max(0.0, wait))
            text = f"/find {rng.choice(WORDS)} {rng.choice(TOWNSHIPS)}"
            started = time.perf_counter()
            sent = await sb.send_message(gid, who, text)
            await sb.wait_for(gid, _reply_to(sent["message_id"]), timeout=30)
            took = (time.perf_counter() - started) * 1000
            last.append(time.monotonic())
            if i >= len(chats):  # each chat's first search warms the bot's caches up
                times.append(took)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await app.close()
        await sb.stop()
    ordered = sorted(times)
    return {"find_searches": searches, "find_p50_ms": round(statistics.median(ordered), 1),
            "find_p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1)}


def run(forces: int, searches: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "county.xlsx"
        figures: dict[str, Any] = {"bench": "registry", **write_workbook(forces, path)}
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'registry.db'}"
        first, report = import_in_child(path, url)
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        second, again = import_in_child(path, url)
        figures.update({
            "import_first_s": round(first, 2), "import_second_s": round(second, 2),
            # CPU time does not grow with the other processes on the machine; wall time does
            "import_first_cpu_s": round(used.ru_utime + used.ru_stime, 2),
            "import_peak_mb": round(used.ru_maxrss / 1024, 1),
            "load_average": round(os.getloadavg()[0], 1),
            "read_and_check_s": round(read_alone(path), 2),
            "first_report": report, "second_report": again,
        })
        figures.update(asyncio.run(find_latency(url, searches, forces)))
    figures["targets"] = TARGETS
    figures["met"] = (figures["import_first_s"] <= TARGETS["import_s"]
                      and figures["import_peak_mb"] <= TARGETS["import_peak_mb"]
                      and figures["find_p99_ms"] <= TARGETS["find_p99_ms"])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forces", type=int, default=1000)
    parser.add_argument("--searches", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(run(args.forces, args.searches), ensure_ascii=False))


if __name__ == "__main__":
    main()
