"""The assessment's arithmetic: pure functions over the rows the repository returns, so the
figures are one pass over each kind of row whatever the number of forces."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from core.assessment.model import (
    STALE_AFTER,
    Assessment,
    ForceFigures,
    GroupFigures,
    Period,
)
from core.dispatch.model import Order, OrderStatus
from core.registry import ForceCategory, Unit
from core.rollcall.model import Answer, RollCall, RollCallKind
from core.warnings.model import Warning, WarningTarget

REAL_CALLS = frozenset({RollCallKind.SCHEDULED, RollCallKind.ADHOC})

RollCallRows = list[tuple[RollCall, Answer]]
WarningRows = list[tuple[Warning, WarningTarget]]
OrderRows = list[tuple[Order, bool]]  # an order, and whether its incident is a drill


def first_answer(order: Order) -> datetime | None:
    """When the force first answered: 收到, or a later step if it skipped 收到."""
    found = [at for at in (order.received_at, order.en_route_at, order.on_scene_at)
             if at is not None]
    return min(found) if found else None


def _within(at: datetime, start: datetime, end: datetime) -> bool:
    return start <= at < end


def force_figures(force: Unit, calls: Iterable[tuple[RollCall, Answer]],
                  warned: Iterable[tuple[Warning, WarningTarget]], orders: Iterable[Order],
                  as_of: date, ends_at: datetime) -> ForceFigures:
    f = ForceFigures(force, bound=force.is_bound and (force.bound_at is None
                                                      or force.bound_at < ends_at))
    if force.data_updated is not None:
        f.data_age_days = max(0, (as_of - force.data_updated).days)
    for rc, a in calls:
        if rc.kind is RollCallKind.SPOTCHECK:
            f.spotchecks += 1
            f.spotchecks_passed += bool(a.on_time)
        else:
            f.calls += 1
            f.on_time += bool(a.on_time)
            f.late += a.answered and not a.on_time
    waits = []
    for w, t in warned:
        f.warnings += 1
        if t.confirmed_at is not None:
            f.confirmed += 1
            waits.append((t.confirmed_at - w.issued_at).total_seconds())
    f.confirm_median_s = median(waits) if waits else None
    to_received, to_scene = [], []
    for o in orders:
        f.orders += 1
        answered = first_answer(o)
        if answered is not None:
            to_received.append((answered - o.issued_at).total_seconds())
            f.within_t1 += answered <= o.t1_due_at
        if o.on_scene_at is not None:
            to_scene.append((o.on_scene_at - o.issued_at).total_seconds())
        f.unable += o.status is OrderStatus.UNABLE
    f.received_median_s = median(to_received) if to_received else None
    f.on_scene_median_s = median(to_scene) if to_scene else None
    return f


def group(figures: Iterable[ForceFigures]) -> GroupFigures:
    g = GroupFigures()
    for f in figures:
        g.forces += 1
        g.bound += f.bound
        g.calls += f.calls
        g.on_time += f.on_time
        g.late += f.late
        g.spotchecks += f.spotchecks
        g.spotchecks_passed += f.spotchecks_passed
        g.warnings += f.warnings
        g.confirmed += f.confirmed
        g.orders += f.orders
        g.within_t1 += f.within_t1
        g.unable += f.unable
        g.stale += (f.data_age_days is None
                    or f.data_age_days > STALE_AFTER.days)
    return g


def _figures(forces: list[Unit], rollcalls: RollCallRows, warnings: WarningRows,
             orders: OrderRows, period: Period, zone: ZoneInfo, now: datetime,
             drill: bool) -> list[ForceFigures]:
    start, end = period.bounds(zone)
    kinds = {RollCallKind.DRILL} if drill else REAL_CALLS | {RollCallKind.SPOTCHECK}
    calls: dict[int, list[tuple[RollCall, Answer]]] = defaultdict(list)
    for rc, a in rollcalls:
        # An open roll-call's silent force is not yet a miss: only calls past their deadline.
        if rc.kind in kinds and _within(rc.opened_at, start, end) and rc.deadline_at <= now:
            calls[a.unit_id].append((rc, a))
    warned: dict[int, list[tuple[Warning, WarningTarget]]] = defaultdict(list)
    if not drill:  # warnings are never drills
        for w, t in warnings:
            if _within(w.issued_at, start, end):
                warned[t.unit_id].append((w, t))
    ordered: dict[int, list[Order]] = defaultdict(list)
    for o, is_drill in orders:
        if is_drill is drill and _within(o.issued_at, start, end):
            ordered[o.unit_id].append(o)
    today = now.astimezone(zone).date()
    as_of = min(today, period.next_first_day - timedelta(days=1))
    return [force_figures(u, calls[u.id or 0], warned[u.id or 0], ordered[u.id or 0],
                          as_of, end) for u in forces]


def assess(forces: list[Unit], rollcalls: RollCallRows, warnings: WarningRows,
           orders: OrderRows, period: Period, zone: ZoneInfo, now: datetime,
           drill: bool = False, county_wide: bool = False) -> Assessment:
    """The figures of ``forces`` over ``period``; a year's also month by month (county)."""
    figures = _figures(forces, rollcalls, warnings, orders, period, zone, now, drill)
    categories: dict[ForceCategory, GroupFigures] = {}
    for category in ForceCategory:
        mine = [f for f in figures if f.unit.category is category]
        if mine:
            categories[category] = group(mine)
    by_month = []
    if period.month is None:
        for month in period.months():
            if month.first_day > now.astimezone(zone).date():
                break
            by_month.append((month, group(_figures(forces, rollcalls, warnings, orders, month,
                                                   zone, now, drill))))
    return Assessment(period, drill, figures, group(figures), categories, by_month,
                      county_wide, now)
