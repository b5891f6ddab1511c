"""`python -m bench.find --forces 1000`: /find's use case over a county of many forces.

A fresh SQLite database (migrated as in production) gets N forces, each with a few pieces of
equipment, materials and capabilities drawn from a fixed list; then /find's use case runs
``--searches`` times with words drawn from the list (synonyms included) and a township. It
prints one JSON object: the p50 and p99 of one search in milliseconds, and the target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from core.actor import Actor
from core.clock import ControllableClock
from core.find.usecases import find_forces
from core.registry import ForceCategory, Grant, Item, Person, Role, Unit, UnitKind
from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWorkFactory

EQUIPMENT = ("冲锋舟", "橡皮艇", "救生艇", "无人机", "发电机", "发电车", "挖掘机", "挖机",
             "救护车", "急救车", "抽水泵", "照明车", "破拆工具", "生命探测仪", "卫星电话")
MATERIALS = ("沙袋", "救生衣", "帐篷", "棉被", "矿泉水", "方便面")
CAPABILITIES = ("水域救援", "山岳救援", "医疗急救", "电力抢修", "通信保障", "工程抢险")
WORDS = ("冲锋舟", "无人机", "航拍", "发电机", "挖机", "救护车", "沙袋", "水域", "卫星电话")
TOWNSHIPS = tuple(f"第{i}镇" for i in range(1, 21))
TARGET_P99_MS = 100.0


def forces(n: int, rng: random.Random, today: date) -> list[Unit]:
    return [Unit(code=f"f{i}", kind=UnitKind.FORCE, name=f"力量{i}",
                 category=rng.choice(list(ForceCategory)), township=rng.choice(TOWNSHIPS),
                 capabilities=tuple(rng.sample(CAPABILITIES, 2)),
                 equipment=tuple(Item(name, rng.randint(1, 20), "台")
                                 for name in rng.sample(EQUIPMENT, 4)),
                 materials=tuple(Item(name, rng.randint(10, 500), "件")
                                 for name in rng.sample(MATERIALS, 2)),
                 data_updated=today - timedelta(days=rng.randint(0, 400)),
                 chat_id=-(10_000 + i) if rng.random() < 0.6 else None)
            for i in range(n)]


async def run(n: int, searches: int) -> dict[str, object]:
    rng = random.Random(13)
    clock = ControllableClock(datetime(2026, 12, 4, 2, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'find.db'}")
        await migrate.upgrade(engine)
        factory = UnitOfWorkFactory(make_sessionmaker(engine), clock)
        async with factory() as uow:
            brigade = await uow.units.add(Unit("brigade", UnitKind.BRIGADE, "大队", chat_id=-1))
            person = await uow.people.add(Person(1, "调度员"))
            await uow.units.add_all(forces(n, rng, date(2026, 12, 4)))
            await uow.commit()
        assert brigade.id is not None and person.id is not None
        actor = Actor(1, -1, person, brigade, (Grant(person.id, brigade.id, Role.DISPATCHER),))
        times: list[float] = []
        hits = 0
        for _ in range(searches):
            args = f"{rng.choice(WORDS)} {rng.choice(TOWNSHIPS)}"
            started = time.perf_counter()
            async with factory() as uow:
                found = await find_forces(uow, actor, args, clock, ZoneInfo("Asia/Shanghai"))
            times.append((time.perf_counter() - started) * 1000)
            hits += len(found.hits)
        await engine.dispose()
    ordered = sorted(times)
    return {"bench": "find", "forces": n, "searches": searches,
            "p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
            "target_p99_ms": TARGET_P99_MS, "mean_hits": round(hits / searches, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forces", type=int, default=1000)
    parser.add_argument("--searches", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.forces, args.searches)), ensure_ascii=False))


if __name__ == "__main__":
    main()
