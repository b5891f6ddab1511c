"""A generated year of a county's records, for the reports benchmark: 120 forces, 12 monthly and
60 special-period roll-calls, 40 warnings, 30 incidents with 5-15 orders each, 20,000 audit
entries. Seeded, so every run writes the same year."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from core.dispatch.model import Incident, Level, Order, OrderStatus, Plan, PlanStatus
from core.registry import ForceCategory, Unit, UnitKind
from core.rollcall.model import Answer, RollCall, RollCallKind
from core.warnings.model import Level as WarningLevel
from core.warnings.model import Warning, WarningTarget
from storage.tables import AuditRow
from storage.uow import SqlUnitOfWork

YEAR = 2026
CATEGORIES = tuple(ForceCategory)
ANSWER = timedelta(minutes=10)
T1, T2 = timedelta(minutes=5), timedelta(minutes=15)


@dataclass
class Sizes:
    forces: int = 120
    monthly: int = 12
    special: int = 60
    spotchecks: int = 6
    warnings: int = 40
    incidents: int = 30
    drills: int = 3
    audit: int = 20_000


@dataclass
class Made:
    largest_incident: int
    orders: int
    answers: int
    targets: int


def _at(rng: random.Random, day_of_year: int, hour: int = 9) -> datetime:
    # UTC+8: 01:00 UTC is 09:00 in the county.
    return datetime(YEAR, 1, 1, hour - 8 if hour >= 8 else hour, tzinfo=UTC) + timedelta(
        days=day_of_year, minutes=rng.randint(0, 50))


def _units(n: int) -> list[Unit]:
    units = [Unit("bureau", UnitKind.BUREAU, "某县应急管理局", chat_id=-1001),
             Unit("brigade", UnitKind.BRIGADE, "某县消防救援大队", chat_id=-1002),
             Unit("gov", UnitKind.GOVERNMENT, "某县人民政府", chat_id=-1003)]
    units += [Unit(f"dept-{d}", UnitKind.DEPARTMENT, f"某县主管部门{d}") for d in range(12)]
    bound_at = datetime(YEAR, 1, 1, tzinfo=UTC)
    for f in range(n):
        units.append(Unit(
            f"f-{f:03d}", UnitKind.FORCE, f"某县第{f + 1}应急救援队",
            category=CATEGORIES[f % len(CATEGORIES)], township=f"乡镇{f % 20}",
            data_updated=date(YEAR, 1 + f % 11, 1) if f % 9 else None,
            chat_id=-2000 - f if f % 7 else None, bound_at=bound_at if f % 7 else None))
    return units


async def _rollcalls(uow: SqlUnitOfWork, rng: random.Random, forces: list[Unit],
                     sizes: Sizes) -> int:
    # The 1st of each month; everything falls before 4 December, when the year was measured.
    days = [(date(YEAR, m + 1, 1) - date(YEAR, 1, 1)).days for m in range(sizes.monthly)]
    days += [160 + d for d in range(sizes.special)]  # daily in the flood season
    calls = [(RollCallKind.SCHEDULED, d, forces) for d in days]
    calls += [(RollCallKind.SPOTCHECK, 40 + 50 * i, rng.sample(forces, 10))
              for i in range(sizes.spotchecks)]
    answers = 0
    for kind, day, scope in calls:
        opened = _at(rng, day)
        rc = RollCall(kind, "all", opened, opened + ANSWER, closed_at=opened + ANSWER)
        rows = []
        for f in scope:
            assert f.id is not None
            roll = rng.random()
            if roll < 0.85:
                at: datetime | None = opened + timedelta(seconds=rng.randint(20, 550))
            elif roll < 0.93:
                at = opened + timedelta(minutes=rng.randint(11, 90))
            else:
                at = None
            rows.append(Answer(0, f.id, 1 if at else None, "值班员" if at else "", at,
                               None if at is None else at <= opened + ANSWER))
        await uow.rollcalls.add(rc, rows)
        answers += len(rows)
    return answers


async def _warnings(uow: SqlUnitOfWork, rng: random.Random, forces: list[Unit],
                    issuer: Unit, sizes: Sizes) -> int:
    targets = 0
    for i in range(sizes.warnings):
        issued = _at(rng, 8 * i, 10)
        w = Warning(issuer.id or 0, 1, "气象局值班员", "暴雨", WarningLevel.ORANGE, "全县",
                    f"暴雨橙色预警 {i}", "all", issued, issued + timedelta(hours=24))
        scope = forces if i % 2 else rng.sample(forces, 60)
        rows = []
        for f in scope:
            confirmed = rng.random() < 0.9
            at = issued + timedelta(seconds=rng.randint(30, 1800)) if confirmed else None
            rows.append(WarningTarget(0, f.id or 0, 1 if at else None, "值班员" if at else "",
                                      at))
        await uow.warnings.add(w, rows)
        targets += len(rows)
    return targets


def _order(rng: random.Random, plan_id: int, unit: Unit, issued: datetime) -> Order:
    o = Order(plan_id, unit.id or 0, "抢险救援", issued, issued + T1, issued + T2)
    roll = rng.random()
    if roll < 0.05:
        o.status, o.unable_at, o.reason = OrderStatus.UNABLE, issued + T1, "车辆检修"
        return o
    o.received_at = issued + timedelta(seconds=rng.randint(15, 420))
    o.en_route_at = o.received_at + timedelta(seconds=rng.randint(60, 600))
    o.on_scene_at = o.en_route_at + timedelta(seconds=rng.randint(300, 2400))
    o.status = OrderStatus.STOOD_DOWN
    o.stood_down_at = o.on_scene_at + timedelta(hours=3)
    o.by = {"received": [1, "队长"], "en_route": [1, "队长"], "on_scene": [1, "队长"]}
    return o


async def _incidents(uow: SqlUnitOfWork, rng: random.Random, forces: list[Unit],
                     sizes: Sizes) -> tuple[int, int, list[tuple[int, list[int]]]]:
    largest, most, orders = 0, 0, 0
    subjects: list[tuple[int, list[int]]] = []
    for i in range(sizes.incidents):
        opened = _at(rng, 11 * i, 14)
        count = 15 if i == 17 else rng.randint(5, 14)  # one incident is the largest
        inc = Incident(f"事件{i + 1}", "flood", f"乡镇{i % 20}", Level.GENERAL, opened, 1,
                       "指挥员", is_drill=i < sizes.drills, closed_at=opened + timedelta(hours=8),
                       closed_by=1)
        await uow.incidents.add(inc)
        assert inc.id is not None
        plan = Plan(inc.id, 1, "调度员", "抢险救援", opened + timedelta(minutes=3),
                    status=PlanStatus.APPROVED, decided_by=2, decided_by_name="审批人",
                    decided_at=opened + timedelta(minutes=6))
        await uow.plans.add(plan)
        ids = []
        for f in rng.sample(forces, count):
            o = _order(rng, plan.id or 0, f, opened + timedelta(minutes=7))
            await uow.orders.add(o)
            ids.append(o.id or 0)
        orders += count
        subjects.append((inc.id, ids))
        if count > most:
            largest, most = inc.id, count
    return largest, orders, subjects


def _audit_rows(rng: random.Random, subjects: list[tuple[int, list[int]]], n: int,
                largest: int) -> list[dict[str, Any]]:
    rows = []
    actions = ("order.received", "order.en_route", "order.on_scene", "plan.approved",
               "incident.note", "rollcall.answered", "warning.confirmed")
    for i in range(n):
        # A tenth of the trail is the largest incident's, the rest spread over the year.
        incident, orders = (next(s for s in subjects if s[0] == largest) if i % 10 == 0
                            else rng.choice(subjects))
        subject = (f"order:{rng.choice(orders)}" if orders and i % 3 else
                   f"incident:{incident}")
        rows.append({"at": _at(rng, rng.randint(0, 330), rng.randint(8, 20)),
                     "actor_tg_id": 3_000_000 + rng.randint(0, 500), "chat_id": -2000,
                     "action": rng.choice(actions), "subject": subject,
                     "details": {"n": i}})
    return rows


async def make_year(uow: SqlUnitOfWork, sizes: Sizes | None = None, seed: int = 12) -> Made:
    sizes = sizes or Sizes()
    rng = random.Random(seed)
    units = _units(sizes.forces)
    await uow.units.add_all(units)
    forces = [u for u in units if u.kind is UnitKind.FORCE]
    for i, f in enumerate(forces):
        f.department_id = units[3 + i % 12].id
    await uow.units.update_all(forces)
    answers = await _rollcalls(uow, rng, forces, sizes)
    targets = await _warnings(uow, rng, forces, units[3], sizes)
    largest, orders, subjects = await _incidents(uow, rng, forces, sizes)
    rows = _audit_rows(rng, subjects, sizes.audit, largest)
    for start in range(0, len(rows), 2000):
        await uow.session.execute(insert(AuditRow), rows[start:start + 2000])
    return Made(largest, orders, answers, targets)
