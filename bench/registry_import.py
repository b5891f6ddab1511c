"""How long `python -m bot registry import` takes for a large county, first and second time.

    python -m bench.registry_import [--forces 1000] [--people 5000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

CATEGORIES = ("government", "enterprise", "social", "expert")
DEPARTMENTS = 12


def big_registry(forces: int = 1000, people: int = 5000) -> dict[str, Any]:
    """A county with `forces` forces and about `people` people spread over them."""
    def person(tg_id: int, roles: list[str]) -> dict[str, Any]:
        return {"tg_id": tg_id, "name": f"人员{tg_id}", "phone": f"139{tg_id:08d}",
                "roles": roles}

    units: list[dict[str, Any]] = [
        {"code": "bureau", "kind": "bureau", "name": "某县应急管理局",
         "people": [person(100001, ["head", "approver", "admin"])]},
        {"code": "brigade", "kind": "brigade", "name": "某县消防救援大队",
         "people": [person(200001, ["dispatcher", "commander"])]},
    ]
    units += [{"code": f"dept-{d}", "kind": "department", "name": f"某县主管部门{d}",
               "sector": f"s{d}", "people": [person(400000 + d, ["approver"])]}
              for d in range(1, DEPARTMENTS + 1)]
    per_force = max(1, (people - 2 - DEPARTMENTS) // max(forces, 1))
    for f in range(1, forces + 1):
        units.append({
            "code": f"f-{f:04d}", "kind": "force", "name": f"某县第{f}应急救援队",
            "category": CATEGORIES[f % 4], "sector": f"s{f % DEPARTMENTS + 1}",
            "township": f"乡镇{f % 20}", "department": f"dept-{f % DEPARTMENTS + 1}",
            "capabilities": ["抢险", "救援"], "equipment": [{"name": "冲锋舟", "count": 2}],
            "materials": [{"name": "沙袋", "count": 500, "unit": "袋"}],
            "people": [person(3_000_000 + f * 100 + i, ["head"] if i == 0 else ["member"])
                       for i in range(per_force)],
        })
    return {"county": "某县", "units": units}


async def measure(forces: int, people: int, database_url: str | None) -> None:
    from bot.registry_cli import import_file
    from bot.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        path.write_text(yaml.safe_dump(big_registry(forces, people), allow_unicode=True),
                        encoding="utf-8")
        url = database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        settings = load_settings(database_url=url)
        print(f"file: {path.stat().st_size / 1e6:.2f} MB, {forces} forces, ~{people} people")
        for attempt in ("first", "second"):
            started = time.perf_counter()
            report = await import_file(settings, path)
            took = time.perf_counter() - started
            print(f"{attempt} import: {took:.2f} s ({report.splitlines()[0]})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forces", type=int, default=1000)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    asyncio.run(measure(args.forces, args.people, args.database_url))


if __name__ == "__main__":
    main()
