"""Units, people and their roles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.registry import (
    ForceCategory,
    Grant,
    Item,
    Member,
    Person,
    Role,
    Unit,
    UnitKind,
)
from storage.repos.identity import bump
from storage.tables import GrantRow, PersonRow, UnitRow

CHUNK = 500  # ids per IN (...) list, well inside every backend's parameter limit


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def _items(raw: list[dict[str, object]]) -> tuple[Item, ...]:
    return tuple(Item(str(i["name"]), int(str(i.get("count", 1))), str(i.get("unit", "")))
                 for i in raw)


def _dump_items(items: tuple[Item, ...]) -> list[dict[str, object]]:
    return [{"name": i.name, "count": i.count, "unit": i.unit} for i in items]


def unit_from_row(row: UnitRow) -> Unit:
    return Unit(
        id=row.id,
        code=row.code,
        kind=UnitKind(row.kind),
        name=row.name,
        category=ForceCategory(row.category) if row.category else None,
        sector=row.sector,
        township=row.township,
        department_id=row.department_id,
        capabilities=tuple(row.capabilities or ()),
        equipment=_items(row.equipment or []),
        materials=_items(row.materials or []),
        data_updated=row.data_updated,
        on_duty=row.on_duty,
        on_duty_on=row.on_duty_on,
        chat_id=row.chat_id,
        bound_at=row.bound_at,
    )


def _fill(row: UnitRow, unit: Unit) -> None:
    row.code, row.kind, row.name = unit.code, unit.kind.value, unit.name
    row.category = unit.category.value if unit.category else None
    row.sector, row.township, row.department_id = unit.sector, unit.township, unit.department_id
    row.capabilities = list(unit.capabilities)
    row.equipment, row.materials = _dump_items(unit.equipment), _dump_items(unit.materials)
    row.data_updated, row.chat_id, row.bound_at = unit.data_updated, unit.chat_id, unit.bound_at
    row.on_duty, row.on_duty_on = unit.on_duty, unit.on_duty_on


def _values(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code, "kind": unit.kind.value, "name": unit.name,
        "category": unit.category.value if unit.category else None, "sector": unit.sector,
        "township": unit.township, "department_id": unit.department_id,
        "capabilities": list(unit.capabilities), "equipment": _dump_items(unit.equipment),
        "materials": _dump_items(unit.materials), "data_updated": unit.data_updated,
        "on_duty": unit.on_duty, "on_duty_on": unit.on_duty_on,
        "chat_id": unit.chat_id, "bound_at": unit.bound_at,
    }


class SqlUnitRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, unit_id: int) -> Unit | None:
        row = await self.s.get(UnitRow, unit_id)
        return unit_from_row(row) if row else None

    async def by_code(self, code: str) -> Unit | None:
        row = await self.s.scalar(select(UnitRow).where(UnitRow.code == code))
        return unit_from_row(row) if row else None

    async def by_chat(self, chat_id: int) -> Unit | None:
        row = await self.s.scalar(select(UnitRow).where(UnitRow.chat_id == chat_id))
        return unit_from_row(row) if row else None

    async def list(self, kind: UnitKind | None = None) -> list[Unit]:
        query = select(UnitRow).order_by(UnitRow.id)
        if kind is not None:
            query = query.where(UnitRow.kind == kind.value)
        return [unit_from_row(r) for r in await self.s.scalars(query)]

    async def add(self, unit: Unit) -> Unit:
        row = UnitRow()
        _fill(row, unit)
        self.s.add(row)
        await self.s.flush()
        await bump(self.s)
        unit.id = row.id
        return unit

    async def update(self, unit: Unit) -> None:
        row = await self.s.get(UnitRow, unit.id)
        if row is None:
            raise LookupError(f"unit {unit.id} vanished")
        _fill(row, unit)
        await self.s.flush()
        await bump(self.s)

    # Bulk statements (multi-row INSERT ... RETURNING, executemany UPDATE): the registry import
    # holds SQLite's write lock meanwhile, and one round trip per row took minutes.
    async def add_all(self, units: Sequence[Unit]) -> None:
        if not units:
            return
        # Matched back by code: asking for rows in parameter order makes SQLite insert one by one.
        rows = await self.s.execute(insert(UnitRow).returning(UnitRow.id, UnitRow.code),
                                    [_values(unit) for unit in units])
        ids = {code: row_id for row_id, code in rows}
        for unit in units:
            unit.id = ids[unit.code]
        await bump(self.s)

    async def update_all(self, units: Sequence[Unit]) -> None:
        if units:
            await self.s.execute(update(UnitRow), [{"id": u.id, **_values(u)} for u in units])
            await bump(self.s)


def _person(row: PersonRow) -> Person:
    return Person(id=row.id, tg_id=row.tg_id, name=row.name, phone=row.phone,
                  insurance_until=row.insurance_until,
                  health_check_until=row.health_check_until)


class SqlPersonRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def by_tg_id(self, tg_id: int) -> Person | None:
        row = await self.s.scalar(select(PersonRow).where(PersonRow.tg_id == tg_id))
        return _person(row) if row else None

    async def names(self, tg_ids: Collection[int]) -> dict[int, str]:
        if not tg_ids:
            return {}
        rows = await self.s.execute(
            select(PersonRow.tg_id, PersonRow.name).where(PersonRow.tg_id.in_(list(tg_ids))))
        return {tg_id: name for tg_id, name in rows}

    async def add(self, person: Person) -> Person:
        row = PersonRow(tg_id=person.tg_id, name=person.name, phone=person.phone,
                        insurance_until=person.insurance_until,
                        health_check_until=person.health_check_until)
        self.s.add(row)
        await self.s.flush()
        await bump(self.s)
        person.id = row.id
        return person

    async def update(self, person: Person) -> None:
        row = await self.s.get(PersonRow, person.id)
        if row is None:
            raise LookupError(f"person {person.id} vanished")
        row.name, row.phone = person.name, person.phone
        row.insurance_until = person.insurance_until
        row.health_check_until = person.health_check_until
        await self.s.flush()
        await bump(self.s)

    async def everyone(self) -> list[Person]:
        return [_person(r) for r in await self.s.scalars(select(PersonRow).order_by(PersonRow.id))]

    async def all_grants(self) -> list[Grant]:
        rows = await self.s.execute(select(GrantRow.person_id, GrantRow.unit_id, GrantRow.role))
        return [Grant(p, u, Role(r)) for p, u, r in rows]

    async def add_all(self, people: list[Person]) -> None:
        if not people:
            return
        rows = await self.s.execute(
            insert(PersonRow).returning(PersonRow.id, PersonRow.tg_id),
            [{"tg_id": p.tg_id, "name": p.name, "phone": p.phone,
              "insurance_until": p.insurance_until, "health_check_until": p.health_check_until}
             for p in people])
        ids = {tg_id: row_id for row_id, tg_id in rows}
        for person in people:
            person.id = ids[person.tg_id]
        await bump(self.s)

    async def update_all(self, people: list[Person]) -> None:
        if people:
            await self.s.execute(update(PersonRow), [
                {"id": p.id, "name": p.name, "phone": p.phone,
                 "insurance_until": p.insurance_until,
                 "health_check_until": p.health_check_until} for p in people])
            await bump(self.s)

    async def replace_roles(self, roles: dict[tuple[int, int], frozenset[Role]]) -> None:
        pairs = list(roles)
        for chunk in _chunks(pairs):
            await self.s.execute(delete(GrantRow).where(
                tuple_(GrantRow.person_id, GrantRow.unit_id).in_(chunk)))
        rows = [{"person_id": p, "unit_id": u, "role": r.value}
                for (p, u), granted in roles.items() for r in sorted(granted)]
        if rows:
            await self.s.execute(insert(GrantRow), rows)
        if pairs:
            await bump(self.s)

    async def grants_of(self, person_id: int) -> list[Grant]:
        rows = await self.s.scalars(select(GrantRow).where(GrantRow.person_id == person_id))
        return [Grant(r.person_id, r.unit_id, Role(r.role)) for r in rows]

    async def set_roles(self, person_id: int, unit_id: int, roles: frozenset[Role]) -> None:
        await self.s.execute(
            delete(GrantRow).where(GrantRow.person_id == person_id, GrantRow.unit_id == unit_id)
        )
        self.s.add_all(GrantRow(person_id=person_id, unit_id=unit_id, role=r.value)
                       for r in sorted(roles))
        await self.s.flush()
        await bump(self.s)

    async def members(self, unit_id: int) -> list[Member]:
        rows = await self.s.execute(
            select(PersonRow, GrantRow.role)
            .join(GrantRow, GrantRow.person_id == PersonRow.id)
            .where(GrantRow.unit_id == unit_id)
            .order_by(PersonRow.id)
        )
        roles: dict[int, set[Role]] = defaultdict(set)
        people: dict[int, Person] = {}
        for person_row, role in rows:
            people[person_row.id] = _person(person_row)
            roles[person_row.id].add(Role(role))
        return [Member(people[pid], frozenset(roles[pid])) for pid in people]

    async def with_role(self, role: Role, unit_id: int | None = None) -> list[Person]:
        query = (
            select(PersonRow)
            .join(GrantRow, GrantRow.person_id == PersonRow.id)
            .where(GrantRow.role == role.value)
            .distinct()
            .order_by(PersonRow.id)
        )
        if unit_id is not None:
            query = query.where(GrantRow.unit_id == unit_id)
        return [_person(r) for r in await self.s.scalars(query)]
