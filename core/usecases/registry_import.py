"""Importing the registry file: idempotent, and it says what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.clock import Clock
from core.ports import UnitOfWork
from core.registry import Person, Role, Unit
from core.registry_file import RegistryFile, UnitSpec
from core.usecases.common import audit

COMPARED = (
    "kind", "name", "category", "sector", "township", "department_id", "capabilities",
    "equipment", "materials", "data_updated",
)


@dataclass(frozen=True)
class Change:
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportReport:
    changes: list[Change] = field(default_factory=list)

    def add(self, key: str, **params: Any) -> None:
        self.changes.append(Change(key, params))

    @property
    def changed(self) -> bool:
        return any(c.key != "unit_not_in_file" for c in self.changes)


def _unit_from(spec: UnitSpec, department_id: int | None, current: Unit | None) -> Unit:
    unit = Unit(
        code=spec.code,
        kind=spec.kind,
        name=spec.name,
        category=spec.category,
        sector=spec.sector,
        township=spec.township,
        department_id=department_id,
        capabilities=spec.capabilities,
        equipment=spec.equipment,
        materials=spec.materials,
        data_updated=spec.updated,
    )
    if current is not None:
        unit.id, unit.chat_id, unit.bound_at = current.id, current.chat_id, current.bound_at
    return unit


async def _import_units(
    uow: UnitOfWork, file: RegistryFile, report: ImportReport
) -> dict[str, Unit]:
    by_code: dict[str, Unit] = {}
    # Departments first, so forces can refer to them by id in the same pass.
    ordered = sorted(file.units, key=lambda s: s.department is not None)
    for spec in ordered:
        current = await uow.units.by_code(spec.code)
        dept = by_code.get(spec.department) if spec.department else None
        unit = _unit_from(spec, dept.id if dept else None, current)
        if current is None:
            unit = await uow.units.add(unit)
            report.add("unit_added", code=unit.code, name=unit.name)
        else:
            changed = [f for f in COMPARED if getattr(current, f) != getattr(unit, f)]
            if changed:
                await uow.units.update(unit)
                report.add("unit_changed", code=unit.code, fields=", ".join(changed))
        by_code[unit.code] = unit
    for unit in await uow.units.list():
        if unit.code not in by_code:
            report.add("unit_not_in_file", code=unit.code, name=unit.name)
    return by_code


async def _import_people(
    uow: UnitOfWork, file: RegistryFile, units: dict[str, Unit], report: ImportReport
) -> None:
    for spec in file.units:
        unit = units[spec.code]
        assert unit.id is not None
        listed: set[int] = set()
        for p in spec.people:
            person = await uow.people.by_tg_id(p.tg_id)
            if person is None:
                person = await uow.people.add(Person(p.tg_id, p.name, p.phone))
                report.add("person_added", tg_id=p.tg_id, name=p.name)
            elif (person.name, person.phone) != (p.name, p.phone):
                person.name, person.phone = p.name, p.phone
                await uow.people.update(person)
                report.add("person_changed", tg_id=p.tg_id, name=p.name)
            assert person.id is not None
            listed.add(person.id)
            grants = await uow.people.grants_of(person.id)
            before = {g.role for g in grants if g.unit_id == unit.id}
            if before != set(p.roles):
                await uow.people.set_roles(person.id, unit.id, p.roles)
                report.add("roles_changed", name=p.name, unit=unit.code,
                           roles=", ".join(sorted(r.value for r in p.roles)))
        for member in await uow.people.members(unit.id):
            if member.person.id not in listed:
                assert member.person.id is not None
                await uow.people.set_roles(member.person.id, unit.id, frozenset[Role]())
                report.add("roles_removed", name=member.person.name, unit=unit.code)


async def import_registry(uow: UnitOfWork, file: RegistryFile, clock: Clock) -> ImportReport:
    report = ImportReport()
    units = await _import_units(uow, file, report)
    await _import_people(uow, file, units, report)
    if report.changed:
        await audit(uow, None, "registry.imported", "registry", clock.now(),
                    county=file.county, changes=len(report.changes))
    await uow.commit()
    return report


