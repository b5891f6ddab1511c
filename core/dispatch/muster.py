"""Muster figures (集结用时): per force, minutes from the order to 收到, to 已出发, to 已到达.

A pure function over the orders of an incident, so a drill's close summary, /muster and any
report read the same figures. A force ordered more than once (two plans) is measured on its
first order: a drill measures how fast a force turns out when first called.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from core.dispatch.model import Order, OrderStatus


@dataclass(frozen=True)
class MusterRow:
    unit_id: int
    force: str
    ordered_at: datetime
    received: float | None  # minutes after the order; None: never reported
    en_route: float | None
    on_scene: float | None
    unable: bool = False


def _after(start: datetime, at: datetime | None) -> float | None:
    return None if at is None else round(max(0.0, (at - start).total_seconds()) / 60, 1)


def muster(orders: Iterable[tuple[Order, str]]) -> list[MusterRow]:
    """One row per force, in the order the forces were first ordered. A force that skipped a
    step (tapped 已出发 first) has received at that moment: going means it got the order."""
    first: dict[int, tuple[Order, str]] = {}
    for order, name in sorted(orders, key=lambda pair: (pair[0].issued_at, pair[0].id or 0)):
        first.setdefault(order.unit_id, (order, name))
    rows = []
    for order, name in first.values():
        steps = [order.received_at, order.en_route_at, order.on_scene_at]
        received = min((t for t in steps if t is not None), default=None)
        en_route = min((t for t in steps[1:] if t is not None), default=None)
        rows.append(MusterRow(order.unit_id, name, order.issued_at,
                              _after(order.issued_at, received),
                              _after(order.issued_at, en_route),
                              _after(order.issued_at, order.on_scene_at),
                              order.status is OrderStatus.UNABLE))
    return rows
