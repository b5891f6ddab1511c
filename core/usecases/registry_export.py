"""The registry as the database holds it, in the shape of the registry file: importing what
this gives changes nothing. Units come in the order they were added; a person in several units
appears in each, with the roles held there; a person holding no role is in no unit and so not
written (the import never removes people, so leaving them out changes nothing either). A
unit's people come in the order they were first added: the database keeps no other order."""

from __future__ import annotations

from collections import defaultdict

from core.ports import UnitOfWork
from core.registry import Role
from core.registry_file import PersonSpec, RegistryFile, UnitSpec

IMPORTED = "registry.imported"


async def county_name(uow: UnitOfWork, fallback: str) -> str:
    """The county's name as the last import that changed something gave it."""
    for entry in reversed(await uow.audit.for_subject("registry")):
        county = entry.details.get("county") if entry.action == IMPORTED else None
        if isinstance(county, str) and county:
            return county
    return fallback


async def export_registry(uow: UnitOfWork, fallback_county: str) -> RegistryFile:
    units = sorted(await uow.units.list(), key=lambda u: u.id or 0)
    codes = {u.id: u.code for u in units}
    people = {p.id: p for p in await uow.people.everyone()}
    roles: dict[int, dict[int, set[Role]]] = defaultdict(dict)
    for grant in await uow.people.all_grants():
        roles[grant.unit_id].setdefault(grant.person_id, set()).add(grant.role)
    specs = []
    for unit in units:
        assert unit.id is not None
        held = roles.get(unit.id, {})
        members = sorted((people[pid] for pid in held if pid in people), key=lambda p: p.id or 0)
        specs.append(UnitSpec(
            code=unit.code, kind=unit.kind, name=unit.name, category=unit.category,
            sector=unit.sector, township=unit.township,
            department=codes.get(unit.department_id) if unit.department_id else None,
            capabilities=unit.capabilities, equipment=unit.equipment, materials=unit.materials,
            updated=unit.data_updated,
            people=tuple(PersonSpec(p.tg_id, p.name, p.phone, frozenset(held[p.id]),
                                    p.insurance_until, p.health_check_until)
                         for p in members if p.id is not None)))
    return RegistryFile(await county_name(uow, fallback_county), tuple(specs))


def counts(registry: RegistryFile) -> tuple[int, int]:
    """Units, and distinct people, in a registry."""
    return len(registry.units), len({p.tg_id for u in registry.units for p in u.people})
