"""Showing a force's data, changing it from its own group (audited, old → new, stamping the
data date), and finding the forces whose data is stale."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from core.actor import Actor
from core.clock import Clock
from core.errors import DomainError, NotAllowed, NotFound
from core.mydata.model import FIELD_WORDS, PERSON_FIELDS, Change, Expiry, Field
from core.mydata.policies import LIST_STALE, UPDATE_DATA
from core.notices import text
from core.ports import UnitOfWork
from core.registry import Item, Member, Person, Unit, UnitKind
from core.registry_file import MAX_CAPABILITIES, MAX_COUNT, MAX_ITEMS, MAX_LEN
from core.usecases.common import audit

UPDATE_USAGE = text("usage.update")
MAX_ARGS = 200  # longer than any change one line can make; refused before it is parsed
MAX_ON_DUTY = 100_000
MAX_CODE = 32  # a unit code is stored in 32


@dataclass(frozen=True)
class ForceData:
    unit: Unit
    members: list[Member]
    department: Unit | None


def today(clock: Clock, zone: ZoneInfo) -> date:
    return clock.now().astimezone(zone).date()


def _count(raw: str, most: int) -> int:
    if not raw.isdecimal() or int(raw) > most:
        raise DomainError("mydata_bad_count", value=raw[:20], limit=most)
    return int(raw)


def _name(raw: str, limit: str) -> str:
    name = raw.strip()
    if not name:
        raise DomainError("usage", usage=UPDATE_USAGE)
    most = MAX_LEN[limit]
    if len(name) > most:
        raise DomainError("too_long", field=text(f"field.{limit}"), limit=most,
                          length=len(name))
    return name


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else date.fromisoformat("")
    except ValueError:
        raise DomainError("mydata_bad_date", value=raw[:20]) from None


def parse_update(args: str) -> Change:
    """``装备 冲锋舟 3``, ``物资 沙袋 500 袋``, ``能力 +水域救援``, ``在岗人数 12``."""
    if len(args) > MAX_ARGS:
        raise DomainError("too_long", field=text("field.update"), limit=MAX_ARGS,
                          length=len(args))
    words = args.split()
    if len(words) < 2 or words[0].lower() not in FIELD_WORDS:
        raise DomainError("usage", usage=UPDATE_USAGE)
    field, rest = FIELD_WORDS[words[0].lower()], words[1:]
    if field in PERSON_FIELDS:
        if len(rest) < 2:
            raise DomainError("usage", usage=UPDATE_USAGE)
        return Change(field, _name(" ".join(rest[:-1]), "person.name"), until=_day(rest[-1]))
    if field is Field.ON_DUTY:
        if len(rest) != 1:
            raise DomainError("usage", usage=UPDATE_USAGE)
        return Change(field, count=_count(rest[0], MAX_ON_DUTY))
    if field is Field.CAPABILITY:
        joined = " ".join(rest)
        if joined[:1] not in "+-" or not joined[:1]:
            raise DomainError("usage", usage=UPDATE_USAGE)
        return Change(field, _name(joined[1:], "capability"), add=joined[0] == "+")
    unit = ""
    if field is Field.MATERIALS and len(rest) >= 3 and not rest[-1].isdecimal() \
            and rest[-2].isdecimal():
        unit = _name(rest.pop(), "item.unit")
    if len(rest) < 2:
        raise DomainError("usage", usage=UPDATE_USAGE)
    return Change(field, _name(" ".join(rest[:-1]), "item.name"),
                  count=_count(rest[-1], MAX_COUNT), unit=unit)


def _own_force(actor: Actor) -> Unit:
    unit = UPDATE_DATA.require(actor)
    assert unit.id is not None
    return unit


async def force_data(uow: UnitOfWork, actor: Actor, code: str) -> ForceData:
    """``/mydata`` in a force's group; ``/mydata <code>`` in its supervising department's."""
    actor.require_person()
    here = actor.chat_unit
    if here is None:
        raise NotAllowed("mydata_unbound_chat")
    code = code.strip()
    if len(code) > MAX_CODE:
        raise NotFound("mydata_unknown_force", code=code[:32] + "…")
    if not code:
        if not here.is_force:
            raise NotAllowed("mydata_not_force", unit=here.name)
        force = here
    else:
        found = await uow.units.by_code(code)
        if found is None or not found.is_force:
            raise NotFound("mydata_unknown_force", code=code)
        if found.id != here.id and found.department_id != here.id:
            raise NotAllowed("mydata_not_supervisor", unit=here.name, force=found.name)
        force = found
    assert force.id is not None
    department = await uow.units.get(force.department_id) if force.department_id else None
    return ForceData(force, await uow.people.members(force.id), department)


def _items(items: tuple[Item, ...], change: Change) -> tuple[tuple[Item, ...], Any, Any]:
    """The new list with the item set to its count (0 removes it); old and new as audited."""
    assert change.count is not None
    old = next((i for i in items if i.name == change.name), None)
    unit = change.unit or (old.unit if old else "")
    kept = tuple(i for i in items if i.name != change.name)
    if old is None and change.count and len(items) >= MAX_ITEMS:
        raise DomainError("mydata_too_many", limit=MAX_ITEMS)
    new = (*kept, Item(change.name, change.count, unit)) if change.count else kept
    if old is not None and change.count:  # keep the item where it was in the list
        new = tuple(Item(change.name, change.count, unit) if i.name == change.name else i
                    for i in items)
    return new, (old.count if old else 0), change.count


def _apply(force: Unit, change: Change) -> tuple[Unit, Any, Any]:
    match change.field:
        case Field.EQUIPMENT:
            items, old, new = _items(force.equipment, change)
            return replace(force, equipment=items), old, new
        case Field.MATERIALS:
            items, old, new = _items(force.materials, change)
            return replace(force, materials=items), old, new
        case Field.CAPABILITY:
            had = change.name in force.capabilities
            if had == change.add:
                raise DomainError("mydata_capability_same" if had else "mydata_capability_none",
                                  name=change.name)
            if change.add and len(force.capabilities) >= MAX_CAPABILITIES:
                raise DomainError("mydata_too_many", limit=MAX_CAPABILITIES)
            caps = ((*force.capabilities, change.name) if change.add
                    else tuple(c for c in force.capabilities if c != change.name))
            return replace(force, capabilities=caps), had, change.add
    return replace(force, on_duty=change.count), force.on_duty, change.count


async def _person_of(uow: UnitOfWork, force: Unit, who: str) -> Person:
    """A person on the force's roll, by Telegram id or by name (a name two share is refused)."""
    members = await uow.people.members(force.id or 0)
    found = [m.person for m in members
             if (who.isdecimal() and m.person.tg_id == int(who)) or m.person.name == who]
    if not found:
        raise NotFound("mydata_unknown_person", who=who, unit=force.name)
    if len(found) > 1:
        raise DomainError("mydata_ambiguous_person", who=who)
    return found[0]


async def _apply_person(uow: UnitOfWork, force: Unit, change: Change) -> tuple[Any, Any]:
    person = await _person_of(uow, force, change.name)
    old = getattr(person, change.field.value)
    setattr(person, change.field.value, change.until)
    await uow.people.update(person)
    return old, change.until


def _plain(value: Any) -> Any:
    """Dates are audited as ISO text (the audit's details are JSON)."""
    return value.isoformat() if isinstance(value, date) else value


async def update_data(uow: UnitOfWork, actor: Actor, change: Change, clock: Clock,
                      zone: ZoneInfo) -> tuple[Unit, Any, Any]:
    """Apply one change to the actor's own force: audited (who, what, old → new) and the
    force's data date stamped today; the force as it is now, and old and new."""
    force = _own_force(actor)
    fresh = await uow.units.get(force.id or 0)  # the chat's copy may predate another change
    assert fresh is not None
    now = clock.now()
    if change.field in PERSON_FIELDS:
        old, new = await _apply_person(uow, fresh, change)
        updated = replace(fresh)
    else:
        updated, old, new = _apply(fresh, change)
    updated.data_updated = today(clock, zone)
    if change.field is Field.ON_DUTY:
        updated.on_duty_on = updated.data_updated
    await uow.units.update(updated)
    await audit(uow, actor, "mydata.updated", f"unit:{fresh.code}", now, unit=fresh.code,
                field=change.field.value, name=change.name, unit_of_count=change.unit,
                old=_plain(old), new=_plain(new), by=actor.display_name)
    return updated, old, new


@dataclass(frozen=True)
class Stale:
    unit: Unit
    age_days: int | None  # None: the data was never dated


def is_stale(force: Unit, day: date, stale_days: int) -> int | bool | None:
    """The age in days of stale data, None for data never dated, False for fresh data."""
    if force.data_updated is None:
        return None
    age = (day - force.data_updated).days
    return age if age > stale_days else False


def expiries(force: Unit, members: list[Member], day: date, within_days: int) -> list[Expiry]:
    """The force's people whose insurance or health check runs out within ``within_days`` (or
    has run out), soonest first."""
    found = []
    for m in members:
        for fld in PERSON_FIELDS:
            until: date | None = getattr(m.person, fld.value)
            if until is not None and (until - day).days <= within_days:
                found.append(Expiry(force.code, force.name, m.person.tg_id, m.person.name, fld,
                                    until, (until - day).days))
    return sorted(found, key=lambda e: (e.until, e.person))


@dataclass(frozen=True)
class Freshness:
    stale: list[Stale]
    expiring: list[Expiry]


async def stale_forces(uow: UnitOfWork, actor: Actor, clock: Clock, zone: ZoneInfo,
                       stale_days: int, expiry_days: int = 30) -> Freshness:
    """The forces whose data is older than ``stale_days`` (or undated), oldest first, and the
    insurance and health checks running out: every force for the brigade and the bureau, a
    department's own forces for it."""
    here = LIST_STALE.require(actor)
    day = today(clock, zone)
    found, expiring = [], []
    for force in await uow.units.list(UnitKind.FORCE):
        if here.kind is UnitKind.DEPARTMENT and force.department_id != here.id:
            continue
        age = is_stale(force, day, stale_days)
        if age is not False:
            found.append(Stale(force, age if isinstance(age, int) else None))
        expiring += expiries(force, await uow.people.members(force.id or 0), day, expiry_days)
    found.sort(key=lambda s: (-(s.age_days if s.age_days is not None else 10**6), s.unit.code))
    return Freshness(found, sorted(expiring, key=lambda e: (e.until, e.unit_code, e.person)))
