"""Every message a situation update produces: the update itself to the HQ, the brigade, the
bureau, the county government and every force still out on the incident (pinned in the
brigade's and the HQ's chats), and its line on the incident's boards."""

from __future__ import annotations

from typing import Any

from core.dispatch.model import OUT, Incident
from core.notices import Notice, Priority, moment, text
from core.registry import Unit, UnitKind
from core.sitrep.model import Sitrep
from core.sitrep.ports import SitrepUnitOfWork

CHAIN = (UnitKind.BRIGADE, UnitKind.BUREAU, UnitKind.GOVERNMENT)


async def recipients(uow: SitrepUnitOfWork, incident: Incident) -> list[Unit]:
    """The HQ (if any), the brigade, the bureau, the county government, then every force with
    an order on the incident not yet answered 无法出动 or stood down; each unit once."""
    assert incident.id is not None
    ids: list[int] = []
    if incident.hq_unit_id is not None:
        ids.append(incident.hq_unit_id)
    ids += [u.id for kind in CHAIN for u in await uow.units.list(kind) if u.id is not None]
    for plan in await uow.plans.for_incident(incident.id):
        assert plan.id is not None
        ids += [o.unit_id for o in await uow.orders.for_plan(plan.id) if o.status in OUT]
    units = [await uow.units.get(i) for i in dict.fromkeys(ids)]
    return [u for u in units if u is not None]


def _params(sitrep: Sitrep, incident: Incident, unit: Unit) -> dict[str, Any]:
    return {"incident": incident.id, "title": incident.title, "n": sitrep.number,
            "unit": unit.name, "by": sitrep.posted_by_name, "at": moment(sitrep.posted_at),
            "text": sitrep.text,
            "drill": text("dispatch.drill_mark") if incident.is_drill else ""}


async def sitrep_posted(uow: SitrepUnitOfWork, sitrep: Sitrep, incident: Incident,
                        unit: Unit) -> list[Unit]:
    """One notice per recipient, in this transaction; the pinned ones pin themselves once
    sent (core.notices.Notice.pin). Returns who gets it."""
    to = await recipients(uow, incident)
    params = _params(sitrep, incident, unit)
    for target in to:
        await uow.outbox.add(Notice(
            "sitrep.update", params, unit_id=target.id, priority=Priority.HIGH,
            subject=f"incident:{incident.id}/sitrep:{sitrep.number}",
            # the latest stays in sight where the incident is commanded
            pin=target.kind is UnitKind.BRIGADE or target.id == incident.hq_unit_id))
    return to


def board_line(sitrep: Sitrep, unit: Unit) -> Any:
    """The incident's boards show the latest update's number, who made it and when."""
    return text("sitrep.mark", n=sitrep.number, unit=unit.name, by=sitrep.posted_by_name,
                at=moment(sitrep.posted_at))
