"""A small month of records for three forces, with the figures they must give (Nov 2026,
county time UTC+8): roll-calls of every kind, a warning, a real and a drill incident."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from core.dispatch.model import Incident, Level, Order, OrderStatus, Plan, PlanStatus
from core.rollcall.model import Answer, RollCall, RollCallKind
from core.warnings.model import Level as WarningLevel
from core.warnings.model import Warning, WarningTarget

NOV1 = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)  # 08:00 in the county
T1, T2 = timedelta(minutes=5), timedelta(minutes=15)


def m(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)


@dataclass
class Sample:
    rollcalls: list[tuple[RollCall, list[Answer]]] = field(default_factory=list)
    warnings: list[tuple[Warning, list[WarningTarget]]] = field(default_factory=list)
    incidents: list[tuple[Incident, Plan, list[Order]]] = field(default_factory=list)


def _call(kind: RollCallKind, opened: datetime,
          answers: dict[int, float | None]) -> tuple[RollCall, list[Answer]]:
    """answers: force id -> minutes after opening (None: silent); 10 minutes to answer."""
    rc = RollCall(kind, "all", opened, opened + m(10), closed_at=opened + m(10))
    rows = [Answer(0, unit, 1 if after is not None else None, "值班员",
                   None if after is None else opened + m(after),
                   None if after is None else after <= 10) for unit, after in answers.items()]
    return rc, rows


def _order(unit: int, issued: datetime, received: float | None = None,
           on_scene: float | None = None, unable: bool = False) -> Order:
    o = Order(0, unit, "赶赴现场", issued, issued + T1, issued + T2)
    if unable:
        o.status, o.unable_at, o.reason = OrderStatus.UNABLE, issued + m(3), "车辆检修"
    if received is not None:
        o.status, o.received_at = OrderStatus.RECEIVED, issued + m(received)
    if on_scene is not None:
        o.status, o.on_scene_at = OrderStatus.ON_SCENE, issued + m(on_scene)
    return o


def _incident(drill: bool, opened: datetime, orders: list[Order]
              ) -> tuple[Incident, Plan, list[Order]]:
    inc = Incident("演练" if drill else "化工厂火灾", "fire", "城关镇", Level.GENERAL, opened, 1,
                   "调度员", is_drill=drill)
    plan = Plan(0, 1, "调度员", "赶赴现场", opened, status=PlanStatus.APPROVED)
    return inc, plan, orders


def november(police: int, water: int, health: int, issuer: int) -> Sample:
    s = Sample()
    s.rollcalls = [
        _call(RollCallKind.SCHEDULED, NOV1 + m(60), {police: 3, water: 20, health: None}),
        _call(RollCallKind.ADHOC, NOV1 + m(180), {police: 2, water: 9, health: 1}),
        _call(RollCallKind.SPOTCHECK, NOV1 + m(300), {police: 4, water: None}),
        _call(RollCallKind.DRILL, NOV1 + m(360), {police: None, water: 5}),
        _call(RollCallKind.SCHEDULED, NOV1 - timedelta(days=31), {police: None}),  # October
    ]
    issued = NOV1 + m(120)
    w = Warning(issuer, 1, "气象员", "暴雨", WarningLevel.ORANGE, "全县", "暴雨橙色预警", "all",
                issued, issued + timedelta(hours=24))
    s.warnings = [(w, [WarningTarget(0, police, 1, "甲", issued + m(4)),
                       WarningTarget(0, water, 1, "乙", issued + m(10)),
                       WarningTarget(0, health)])]
    real, drill = NOV1 + m(400), NOV1 + m(500)
    s.incidents = [
        _incident(False, real, [_order(police, real, 2, 20), _order(water, real, 7, 30),
                                _order(health, real, unable=True)]),
        _incident(True, drill, [_order(police, drill, 1, 9)]),
    ]
    return s


# What November must show (real; drill apart).
EXPECTED: dict[str, dict[str, float | None]] = {
    "police": {"calls": 2, "on_time": 2, "late": 0, "missed": 0, "spotchecks": 1,
               "spotchecks_passed": 1, "warnings": 1, "confirmed": 1, "orders": 1,
               "within_t1": 1, "unable": 0, "received_median_s": 120.0,
               "on_scene_median_s": 1200.0, "confirm_median_s": 240.0},
    "water": {"calls": 2, "on_time": 1, "late": 1, "missed": 0, "spotchecks": 1,
              "spotchecks_passed": 0, "warnings": 1, "confirmed": 1, "orders": 1,
              "within_t1": 0, "unable": 0, "received_median_s": 420.0,
              "on_scene_median_s": 1800.0, "confirm_median_s": 600.0},
    "health": {"calls": 2, "on_time": 1, "late": 0, "missed": 1, "spotchecks": 0,
               "spotchecks_passed": 0, "warnings": 1, "confirmed": 0, "orders": 1,
               "within_t1": 0, "unable": 1, "received_median_s": None,
               "on_scene_median_s": None, "confirm_median_s": None},
}
DRILL = {"police": (1, 0, 1), "water": (1, 1, 0)}  # calls, on time, orders


async def write(uow: object, s: Sample) -> None:
    """Through the features' own repositories, as the bot writes them."""
    u: Any = uow
    for rc, answers in s.rollcalls:
        await u.rollcalls.add(rc, answers)
    for w, targets in s.warnings:
        await u.warnings.add(w, targets)
    for inc, plan, orders in s.incidents:
        await u.incidents.add(inc)
        plan.incident_id = inc.id or 0
        await u.plans.add(plan)
        for o in orders:
            o.plan_id = plan.id or 0
            await u.orders.add(o)
