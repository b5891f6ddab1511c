"""What other features may add when a plan's orders go out (traffic support opens lanes for
the forces' vehicles). The dispatch chain knows only this shape; the composition root puts the
features' hooks in DispatchConfig.after_orders, so dispatch imports none of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.dispatch.model import Incident, Order, Plan
from core.dispatch.ports import DispatchUnitOfWork
from core.registry import Unit


@dataclass(frozen=True)
class OrdersIssued:
    """A plan's orders, just written; the hook runs in the same transaction."""

    plan: Plan
    incident: Incident
    issued: Sequence[tuple[Order, Unit | None]]
    at: datetime


OrdersHook = Callable[[DispatchUnitOfWork, OrdersIssued], Awaitable[None]]
