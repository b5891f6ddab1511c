"""/log: an incident's history from the audit trail, with its forces and people named.

The audit trail refers to orders, units and people by id; names are looked up once for the
whole log (one query per kind), never once per entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.actor import Actor
from core.audit import AuditEntry
from core.dispatch.incidents import incident_log
from core.dispatch.model import Incident
from core.dispatch.ports import DispatchUnitOfWork


@dataclass
class Timeline:
    incident: Incident
    entries: list[AuditEntry]
    people: dict[int, str] = field(default_factory=dict)  # tg id -> name
    units: dict[int, str] = field(default_factory=dict)  # unit id -> name
    codes: dict[str, str] = field(default_factory=dict)  # unit code -> name
    orders: dict[int, int] = field(default_factory=dict)  # order id -> unit id

    def who(self, entry: AuditEntry) -> str | None:
        """The person who acted, by name; None for the bot itself."""
        by = str(entry.details.get("by") or "")
        if by:
            return by
        if entry.actor_tg_id is None:
            return None
        return self.people.get(entry.actor_tg_id, str(entry.actor_tg_id))

    def unit(self, ref: Any) -> str:
        """A unit named by id or by code, as the audit entry holds it."""
        if isinstance(ref, int):
            return self.units.get(ref, "?")
        return self.codes.get(str(ref), str(ref))

    def force_of(self, order_id: Any) -> str:
        unit_id = self.orders.get(order_id) if isinstance(order_id, int) else None
        return self.unit(unit_id) if unit_id is not None else "?"


async def incident_timeline(uow: DispatchUnitOfWork, actor: Actor, raw: str) -> Timeline:
    incident, entries = await incident_log(uow, actor, raw)
    assert incident.id is not None
    found = Timeline(incident, entries)
    found.people = await uow.people.names(
        {e.actor_tg_id for e in entries if e.actor_tg_id is not None})
    for u in await uow.units.list():
        if u.id is not None:
            found.units[u.id] = u.name
        found.codes[u.code] = u.name
    for plan in await uow.plans.for_incident(incident.id):
        assert plan.id is not None
        for order in await uow.orders.for_plan(plan.id):
            if order.id is not None:
                found.orders[order.id] = order.unit_id
    return found
