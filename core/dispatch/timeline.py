"""/log and the after-action report: an incident's history from the audit trail, with its
forces and people named.

The audit trail refers to orders, units and people by id; names are looked up once for the
whole log (one query per kind), never once per entry. How an entry is put in words is here too
(``entry_words``), given the caller's translation function, so /log (bot/views/dispatch.py)
and the Word report (documents/after_action.py) say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
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
    chats: dict[int, str] = field(default_factory=dict)  # bound chat id -> unit name

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

    def from_unit(self, entry: AuditEntry) -> str:
        """The unit whose chat the entry was made in ("" for the bot or a private chat)."""
        return self.chats.get(entry.chat_id, "") if entry.chat_id is not None else ""

    def force_of(self, order_id: Any) -> str:
        unit_id = self.orders.get(order_id) if isinstance(order_id, int) else None
        return self.unit(unit_id) if unit_id is not None else "?"


async def incident_timeline(uow: DispatchUnitOfWork, actor: Actor, raw: str) -> Timeline:
    incident, entries = await incident_log(uow, actor, raw)
    return await named_timeline(uow, incident, entries)


async def named_timeline(uow: DispatchUnitOfWork, incident: Incident,
                         entries: list[AuditEntry]) -> Timeline:
    """The entries with every name they refer to, looked up once for all of them."""
    assert incident.id is not None
    found = Timeline(incident, entries)
    found.people = await uow.people.names(
        {e.actor_tg_id for e in entries if e.actor_tg_id is not None})
    for u in await uow.units.list():
        if u.id is not None:
            found.units[u.id] = u.name
        found.codes[u.code] = u.name
        if u.chat_id is not None:
            found.chats[u.chat_id] = u.name
    for plan in await uow.plans.for_incident(incident.id):
        assert plan.id is not None
        for order in await uow.orders.for_plan(plan.id):
            if order.id is not None:
                found.orders[order.id] = order.unit_id
    return found


# The caller's translation: a template key and its parameters in, the text out.
Say = Callable[..., str]


@dataclass(frozen=True)
class EntryWords:
    who: str | None  # None: the bot itself
    what: str
    about: str  # the force, plan, request ... by name; "" when the entry names none
    extra: str  # a reason, a need, a text the entry carries; "" when none


def entry_words(t: Say, timeline: Timeline, e: AuditEntry) -> EntryWords:
    extra_text = (e.details.get("reason") or e.details.get("need") or e.details.get("text")
                  or "")
    return EntryWords(timeline.who(e), t(f"dispatch.log.{e.action}"), about(t, timeline, e),
                      str(extra_text))


def about(t: Say, timeline: Timeline, e: AuditEntry) -> str:
    """What the entry is about, by name: a force, a plan and its forces, a request, the HQ."""
    kind, _, ref = e.subject.split("/", 1)[-1].partition(":")
    d = e.details
    if kind == "order":
        unit_id = d.get("unit")
        return timeline.unit(unit_id) if isinstance(unit_id, int) else timeline.force_of(
            int(ref) if ref.isdigit() else None)
    if kind == "plan":
        forces = [timeline.unit(c) for c in d.get("forces") or []]
        forces += [timeline.force_of(o) for o in d.get("orders") or []]
        if d.get("department"):
            forces.append(timeline.unit(d["department"]))
        if forces:
            return t("dispatch.log.plan_forces", plan=ref, forces=forces)
        return t("dispatch.log.plan", plan=ref)
    if kind == "reinf":
        return t("dispatch.log.reinf", id=ref)
    if kind == "report":  # an information report linked to the incident (core/reports)
        return t("dispatch.log.report", id=ref, unit=timeline.unit(d.get("unit")),
                 reporter=str(d.get("reporter") or "—"), township=str(d.get("township") or ""))
    if kind == "traffic":  # traffic support for a plan (core/traffic)
        return t("dispatch.log.traffic", unit=timeline.unit(d.get("department")),
                 plan=d.get("plan"))
    if kind == "consult":  # an expert consultation on the incident (core/consult)
        expert = timeline.unit(d.get("unit"))
        if d.get("n"):
            return t("dispatch.log.consult_advice", id=ref, expert=expert, n=d["n"],
                     count=d.get("count") or d["n"])
        return t("dispatch.log.consult", id=ref, expert=expert)
    if kind == "sitrep":  # a situation update (core/sitrep)
        return t("dispatch.log.sitrep", n=ref, unit=timeline.unit(d.get("unit")))
    if kind == "response":  # a response level proposed, decided, started (core/response)
        return t("dispatch.log.response", id=ref,
                 level=t(f"response.level.{int(d.get('level') or 0)}"))
    if kind == "afteraction":  # a version of the after-action report, a lesson (core/afteraction)
        return t("dispatch.log.afteraction", v=d["version"]) if d.get("version") else ""
    if d.get("hq"):
        return timeline.unit(d["hq"])
    return ""
