"""Importing the registry file: idempotent, and it says what changed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from core.clock import Clock
from core.ports import UnitOfWork
from core.registry import Person, Role, Unit
from core.registry_file import PersonSpec, RegistryFile, UnitSpec
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


def _person_changed(person: Person, spec: PersonSpec) -> bool:
    return ((person.name, person.phone) != (spec.name, spec.phone)
            or spec.insurance_until not in (None, person.insurance_until)
            or spec.health_check_until not in (None, person.health_check_until))


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
        # The count on duty is the force's own word, not the file's: an import keeps it.
        unit.on_duty, unit.on_duty_on = current.on_duty, current.on_duty_on
    return unit


async def _import_units(
    uow: UnitOfWork, file: RegistryFile, report: ImportReport
) -> dict[str, Unit]:
    """Every unit read, added and changed in a few statements: the import holds the database's
    write lock meanwhile, and a running bot waits for it."""
    current = {u.code: u for u in await uow.units.list()}
    by_code: dict[str, Unit] = {}
    # Units naming no department first, so the others can refer to them by id.
    for wave in ([s for s in file.units if s.department is None],
                 [s for s in file.units if s.department is not None]):
        added, changed = [], []
        for spec in wave:
            dept = by_code.get(spec.department) if spec.department else None
            old = current.get(spec.code)
            unit = _unit_from(spec, dept.id if dept else None, old)
            if old is None:
                added.append(unit)
            else:
                fields = [f for f in COMPARED if getattr(old, f) != getattr(unit, f)]
                if fields:
                    changed.append(unit)
                    report.add("unit_changed", code=unit.code, fields=", ".join(fields))
            by_code[unit.code] = unit
        await uow.units.add_all(added)
        await uow.units.update_all(changed)
        for unit in added:
            report.add("unit_added", code=unit.code, name=unit.name)
    for code, unit in current.items():
        if code not in by_code:
            report.add("unit_not_in_file", code=code, name=unit.name)
    return by_code


async def _import_people(
    uow: UnitOfWork, file: RegistryFile, units: dict[str, Unit], report: ImportReport
) -> None:
    people = {p.tg_id: p for p in await uow.people.everyone()}
    added: dict[int, Person] = {}
    changed: dict[int, Person] = {}
    for spec in file.units:
        for p in spec.people:
            person = people.get(p.tg_id)
            if person is None:
                person = added[p.tg_id] = people[p.tg_id] = Person(
                    p.tg_id, p.name, p.phone, insurance_until=p.insurance_until,
                    health_check_until=p.health_check_until)
                report.add("person_added", tg_id=p.tg_id, name=p.name)
            elif _person_changed(person, p):
                person.name, person.phone = p.name, p.phone
                # A date the file leaves out is kept: it may have come from /update.
                person.insurance_until = p.insurance_until or person.insurance_until
                person.health_check_until = p.health_check_until or person.health_check_until
                if p.tg_id not in added:
                    changed[p.tg_id] = person
                report.add("person_changed", tg_id=p.tg_id, name=p.name)
    await uow.people.add_all(list(added.values()))
    await uow.people.update_all(list(changed.values()))
    held: dict[tuple[int, int], set[Role]] = defaultdict(set)
    holders: dict[int, set[int]] = defaultdict(set)
    for grant in await uow.people.all_grants():
        held[(grant.person_id, grant.unit_id)].add(grant.role)
        holders[grant.unit_id].add(grant.person_id)
    by_id = {p.id: p for p in people.values()}
    roles: dict[tuple[int, int], frozenset[Role]] = {}
    for spec in file.units:
        unit = units[spec.code]
        assert unit.id is not None
        for p in spec.people:
            person = people[p.tg_id]
            assert person.id is not None
            key = (person.id, unit.id)
            roles[key] = p.roles
            if held.get(key, set()) != set(p.roles):
                report.add("roles_changed", name=p.name, unit=unit.code,
                           roles=", ".join(sorted(r.value for r in p.roles)))
        for pid in sorted(pid for pid in holders[unit.id] if (pid, unit.id) not in roles):
            roles[(pid, unit.id)] = frozenset()
            report.add("roles_removed", name=by_id[pid].name, unit=unit.code)
    await uow.people.replace_roles({k: v for k, v in roles.items()
                                    if held.get(k, set()) != set(v)})


async def import_registry(uow: UnitOfWork, file: RegistryFile, clock: Clock) -> ImportReport:
    report = ImportReport()
    units = await _import_units(uow, file, report)
    await _import_people(uow, file, units, report)
    if report.changed:
        await audit(uow, None, "registry.imported", "registry", clock.now(),
                    county=file.county, changes=len(report.changes))
    return report


