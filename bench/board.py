"""`python -m bench.board --forces 30,90,200`: the live board under steady acknowledgements.

For each N, a plan of N forces is approved through the real bot against the sandbox with
Telegram's limits on; then every force taps 收到 once, the taps spread evenly over
``--spread`` seconds. It prints, per N: how long each tap took to show on the brigade's and
the bureau's board (p50, p95, max), how long the bot took to answer a tap (the handling time,
p50 and p95), the board edits made and the 429s received; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import re
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.app import App, build_app
from bot.registry_cli import import_file
from bot.settings import Settings, load_settings
from core.clock import SystemClock
from sandbox import Sandbox

TOKEN = "7100002:BOARD"
APPROVER, DISPATCHER, MEMBER0 = 500001, 500002, 600000
NUMBER = re.compile(r"#(\d+)")


def registry(forces: int) -> dict[str, Any]:
    def person(tg_id: int, name: str, *roles: str) -> dict[str, Any]:
        return {"tg_id": tg_id, "name": name, "roles": list(roles)}

    units: list[dict[str, Any]] = [
        {"code": "bureau", "kind": "bureau", "name": "测试县应急管理局",
         "people": [person(APPROVER, "审批人", "approver")]},
        {"code": "brigade", "kind": "brigade", "name": "测试县消防救援大队",
         "people": [person(DISPATCHER, "调度员", "dispatcher")]},
        {"code": "dept-x", "kind": "department", "name": "测试县水利局", "sector": "water"},
    ]
    units += [{"code": f"f{i}", "kind": "force", "name": f"力量{i}", "category": "social",
               "sector": "water", "township": "城关镇", "department": "dept-x",
               "people": [person(MEMBER0 + i, f"队员{i}", "duty_officer")]}
              for i in range(forces)]
    return {"county": "测试县", "units": units}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def ms(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(values) * 1000, 1) if values else float("nan"),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "max_ms": round(max(values, default=float("nan")) * 1000, 1)}


@dataclass
class County:
    sb: Sandbox
    chats: dict[str, int] = field(default_factory=dict)


async def county(forces: int, folder: Path) -> tuple[County, Settings]:
    sb = Sandbox(limits=True)
    await sb.start()
    sb.create_bot(TOKEN, "board_bot", "board")
    settings = load_settings(token=TOKEN, api_url=sb.base_url, log_level="WARNING",
                             database_url=f"sqlite+aiosqlite:///{folder / 'board.db'}")
    path = folder / "county.yaml"
    path.write_text(yaml.safe_dump(registry(forces), allow_unicode=True), encoding="utf-8")
    await import_file(settings, path, SystemClock())
    world = County(sb)
    for unit in registry(forces)["units"]:
        people = [p["tg_id"] for p in unit.get("people", [])]
        for p in unit.get("people", []):
            sb.add_user(p["tg_id"], p["name"])
        if people:
            gid = sb.create_group(unit["name"], people, admins=people[:1])
            sb.add_bot_to_group(gid, by_user=people[0])
            world.chats[unit["code"]] = gid
    sb.bot(TOKEN).updates.clear()  # the bot joined long ago
    return world, settings


async def bind(app: App, chats: dict[str, int]) -> None:
    """Bound long ago: binding is not what is measured (bench.inbound measures it)."""
    async with app.uow() as uow:
        for code, gid in chats.items():
            unit = await uow.units.by_code(code)
            assert unit is not None
            unit.chat_id = gid
            await uow.units.update(unit)
        await uow.commit()


def states(sb: Sandbox, gid: int, mark: str) -> dict[str, str]:
    """The board's line per force: force name to its state text. A board longer than one
    message goes on in the messages after the one with its heading."""
    messages = [m for m in sb.chats[gid].messages.values() if m.is_bot]
    start = max((i for i, m in enumerate(messages) if mark in m.text), default=None)
    out: dict[str, str] = {}
    if start is None:
        return out
    for msg in messages[start:]:
        for line in msg.text.split("\n"):
            if line.startswith("• ") and "：" in line:
                name, rest = line[2:].split("：", 1)
                out.setdefault(name, rest)
    return out


async def watch(sb: Sandbox, gid: int, mark: str, seen: dict[str, float], stop: asyncio.Event
                ) -> None:
    while not stop.is_set():
        now = time.monotonic()
        for name, state in states(sb, gid, mark).items():
            if name not in seen and state.startswith("已收到"):
                seen[name] = now
        await asyncio.sleep(0.01)


async def setup_plan(world: County, forces: int) -> str:
    sb, chats = world.sb, world.chats
    sent = await sb.send_message(chats["brigade"], DISPATCHER, "/incident 一般 城关镇 基准火灾")
    reply = await sb.wait_for(chats["brigade"], lambda m: m["reply_to"] == sent["message_id"])
    incident = NUMBER.search(reply["text"]).group(1)  # type: ignore[union-attr]
    codes = ",".join(f"f{i}" for i in range(forces))
    await sb.send_message(chats["brigade"], DISPATCHER, f"/dispatch {incident} {codes} 赶赴现场")
    card = await sb.wait_for(chats["bureau"], "待审批", timeout=60)
    plan = NUMBER.search(card["text"]).group(1)  # type: ignore[union-attr]
    # A long card comes in parts; its buttons are on the last.
    cq = await sb.press_button(chats["bureau"], APPROVER, "批准")
    await sb.wait_callback_answer(cq, timeout=30)
    for i in range(forces):
        await sb.wait_for(chats[f"f{i}"], "【出动指令】", timeout=120, since=0)
    mark = f"方案 #{plan}"
    await sb.wait_for(chats["brigade"], lambda m: mark in m["text"] and "看板" in m["text"],
                      timeout=120, since=0)
    await asyncio.sleep(5)  # the approval's own edits are out of the way
    return mark


async def one(forces: int, spread: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        world, settings = await county(forces, Path(tmp))
        sb = world.sb
        app = build_app(settings, TOKEN, SystemClock())
        from storage import migrate

        await migrate.upgrade(app.engine)
        await bind(app, world.chats)
        task = asyncio.create_task(app.run())
        try:
            mark = await setup_plan(world, forces)
            figures = await acknowledge(world, forces, spread, mark)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            await app.close()
            await sb.stop()
    return figures


async def acknowledge(world: County, forces: int, spread: float, mark: str) -> dict[str, Any]:
    sb, chats = world.sb, world.chats
    seen: dict[str, dict[str, float]] = {"brigade": {}, "bureau": {}}
    stop = asyncio.Event()
    watchers = [asyncio.create_task(watch(sb, chats[k], mark, seen[k], stop)) for k in seen]
    sb.stats.reset()
    tapped: dict[str, float] = {}
    handling: list[float] = []
    unanswered: list[int] = []

    async def tap(i: int) -> None:
        gid = chats[f"f{i}"]
        at = time.monotonic()
        cq = await sb.press_button(gid, MEMBER0 + i, "收到", text_contains="【出动指令】")
        tapped[f"力量{i}"] = at
        try:
            await sb.wait_callback_answer(cq, timeout=60)
        except AssertionError:
            unanswered.append(i)
            return
        handling.append(time.monotonic() - at)

    start = time.monotonic()
    taps = []
    for i in range(forces):
        await asyncio.sleep(max(0.0, start + i * spread / forces - time.monotonic()))
        taps.append(asyncio.create_task(tap(i)))
    await asyncio.gather(*taps)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:  # the watchers fill ``seen``
        if all(len(s) >= forces for s in seen.values()):
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.gather(*watchers)
    lags = {k: [s[name] - at for name, at in tapped.items() if name in s]
            for k, s in seen.items()}
    both = lags["brigade"] + lags["bureau"]
    return {
        "forces": forces,
        "spread_s": spread,
        "tap_to_board": ms(both),
        "tap_to_board_brigade": ms(lags["brigade"]),
        "tap_to_board_bureau": ms(lags["bureau"]),
        "never_on_board": sum(forces - len(s) for s in seen.values()),
        "handling": ms(handling),
        "unanswered_in_60s": len(unanswered),
        "board_edits": sum(sb.chats[chats[k]].messages[m].edits
                           for k in seen for m in list(sb.chats[chats[k]].messages)
                           if mark in sb.chats[chats[k]].messages[m].text),
        "too_many_requests": sb.stats.too_many_requests,
    }


def line(f: dict[str, Any]) -> str:
    board, handling = f["tap_to_board"], f["handling"]
    return (f"{f['forces']:>6} {board['p50_ms'] / 1000:>8.2f} {board['p95_ms'] / 1000:>8.2f} "
            f"{board['max_ms'] / 1000:>8.2f} {handling['p50_ms']:>9.1f} "
            f"{handling['p95_ms']:>9.1f} "
            f"{f['board_edits']:>6} {f['never_on_board']:>6} {f['too_many_requests']:>5}")


async def main(forces: list[int], spread: float) -> dict[str, Any]:
    print(f"{'forces':>6} {'board50':>8} {'board95':>8} {'boardmax':>8} {'tap50ms':>9} "
          f"{'tap95ms':>9} {'edits':>6} {'never':>6} {'429s':>5}", flush=True)
    runs = []
    for n in forces:
        figures = await one(n, spread)
        runs.append(figures)
        print(line(figures), flush=True)
    return {"runs": runs}


def cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.board")
    parser.add_argument("--forces", default="30,90,200", help="comma-separated plan sizes")
    parser.add_argument("--spread", type=float, default=60.0,
                        help="seconds over which the forces acknowledge")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("aiogram").setLevel(logging.CRITICAL)
    figures = asyncio.run(main([int(n) for n in args.forces.split(",")], args.spread))
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    cli()
