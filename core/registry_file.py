"""The registry file, checked field by field before anything is written.

Input is the plain data a YAML loader gives (dicts, lists, strings, numbers, dates); output is
a validated ``RegistryFile`` or a ``RegistryFileError`` naming every bad entry and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Any

from core.errors import DomainError
from core.registry import ForceCategory, Item, Role, UnitKind

CODE_RE = re.compile(r"^[a-z][a-z0-9-]{1,31}$")
UNIT_KEYS = {
    "code", "kind", "name", "category", "sector", "township", "department",
    "capabilities", "equipment", "materials", "updated", "people",
}
PERSON_KEYS = {"tg_id", "name", "phone", "roles"}
ITEM_KEYS = {"name", "count", "unit"}


@dataclass(frozen=True)
class Problem:
    entry: str
    field: str
    code: str
    params: dict[str, Any] = dc_field(default_factory=dict)


class RegistryFileError(DomainError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("registry_file_invalid", count=len(problems))
        self.problems = problems


@dataclass(frozen=True)
class PersonSpec:
    tg_id: int
    name: str
    phone: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class UnitSpec:
    code: str
    kind: UnitKind
    name: str
    category: ForceCategory | None = None
    sector: str = ""
    township: str = ""
    department: str | None = None
    capabilities: tuple[str, ...] = ()
    equipment: tuple[Item, ...] = ()
    materials: tuple[Item, ...] = ()
    updated: date | None = None
    people: tuple[PersonSpec, ...] = ()


@dataclass(frozen=True)
class RegistryFile:
    county: str
    units: tuple[UnitSpec, ...]


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, entry: str, fld: str, code: str, **params: Any) -> None:
        self.problems.append(Problem(entry, fld, code, params))

    def text(self, raw: dict[str, Any], key: str, entry: str, *, required: bool) -> str:
        value = raw.get(key)
        if value is None or value == "":
            if required:
                self.bad(entry, key, "missing")
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.bad(entry, key, "not_text")
            return ""
        return str(value).strip()

    def choice(self, raw: dict[str, Any], key: str, entry: str, enum: Any) -> Any:
        value = raw.get(key)
        if value is None:
            self.bad(entry, key, "missing")
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            self.bad(entry, key, "not_one_of", value=str(value), allowed=allowed)
            return None

    def unknown_keys(self, raw: dict[str, Any], allowed: set[str], entry: str) -> None:
        for key in sorted(set(raw) - allowed):
            self.bad(entry, str(key), "unknown_field")

    def items(self, raw: dict[str, Any], key: str, entry: str) -> tuple[Item, ...]:
        value = raw.get(key) or []
        if not isinstance(value, list):
            self.bad(entry, key, "not_list")
            return ()
        items = []
        for i, item in enumerate(value):
            where = f"{key}[{i}]"
            if not isinstance(item, dict):
                self.bad(entry, where, "not_mapping")
                continue
            self.unknown_keys(item, ITEM_KEYS, f"{entry}.{where}")
            name = self.text(item, "name", f"{entry}.{where}", required=True)
            count = item.get("count", 1)
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                self.bad(entry, f"{where}.count", "not_count")
                count = 0
            items.append(Item(name, count, str(item.get("unit", "") or "")))
        return tuple(items)

    def strings(self, raw: dict[str, Any], key: str, entry: str) -> tuple[str, ...]:
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(entry, key, "not_text_list")
            return ()
        return tuple(v.strip() for v in value if v.strip())


def _entry_name(index: int, raw: Any) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    return f"units[{index}]" + (f" ({code})" if code else "")


def _person(ck: _Checker, raw: Any, entry: str) -> PersonSpec | None:
    if not isinstance(raw, dict):
        ck.bad(entry, "", "not_mapping")
        return None
    ck.unknown_keys(raw, PERSON_KEYS, entry)
    tg_id = raw.get("tg_id")
    if not isinstance(tg_id, int) or isinstance(tg_id, bool) or tg_id <= 0:
        ck.bad(entry, "tg_id", "not_tg_id", value=str(tg_id))
        tg_id = None
    name = ck.text(raw, "name", entry, required=True)
    phone = ck.text(raw, "phone", entry, required=False)
    if phone and not re.fullmatch(r"\+?[0-9-]{5,20}", phone):
        ck.bad(entry, "phone", "not_phone", value=phone)
    roles_raw = raw.get("roles") or []
    roles: set[Role] = set()
    if not isinstance(roles_raw, list) or not roles_raw:
        ck.bad(entry, "roles", "missing")
    else:
        for value in roles_raw:
            try:
                roles.add(Role(value))
            except ValueError:
                allowed = ", ".join(r.value for r in Role)
                ck.bad(entry, "roles", "not_one_of", value=str(value), allowed=allowed)
    if tg_id is None or not name:
        return None
    return PersonSpec(tg_id, name, phone, frozenset(roles))


def _unit(ck: _Checker, index: int, raw: Any) -> UnitSpec | None:
    entry = _entry_name(index, raw)
    if not isinstance(raw, dict):
        ck.bad(entry, "", "not_mapping")
        return None
    ck.unknown_keys(raw, UNIT_KEYS, entry)
    code = ck.text(raw, "code", entry, required=True)
    if code and not CODE_RE.match(code):
        ck.bad(entry, "code", "bad_code", value=code)
    kind = ck.choice(raw, "kind", entry, UnitKind)
    name = ck.text(raw, "name", entry, required=True)
    is_force = kind is UnitKind.FORCE
    category = ck.choice(raw, "category", entry, ForceCategory) if is_force else None
    if not is_force and raw.get("category") is not None:
        ck.bad(entry, "category", "only_for_forces")
    updated = raw.get("updated")
    if updated is not None and not isinstance(updated, date):
        ck.bad(entry, "updated", "not_date", value=str(updated))
        updated = None
    people_raw = raw.get("people") or []
    if not isinstance(people_raw, list):
        ck.bad(entry, "people", "not_list")
        people_raw = []
    people = [_person(ck, p, f"{entry}.people[{i}]") for i, p in enumerate(people_raw)]
    spec = UnitSpec(
        code=code,
        kind=kind,
        name=name,
        category=category,
        sector=ck.text(raw, "sector", entry, required=False),
        township=ck.text(raw, "township", entry, required=is_force),
        department=ck.text(raw, "department", entry, required=is_force) or None,
        capabilities=ck.strings(raw, "capabilities", entry),
        equipment=ck.items(raw, "equipment", entry),
        materials=ck.items(raw, "materials", entry),
        updated=updated,
        people=tuple(p for p in people if p is not None),
    )
    return spec if code and kind and name else None


def _cross_check(ck: _Checker, units: list[UnitSpec]) -> None:
    kinds: dict[str, UnitKind] = {}
    for i, unit in enumerate(units):
        if unit.code in kinds:
            ck.bad(f"units[{i}] ({unit.code})", "code", "duplicate_code", value=unit.code)
        kinds[unit.code] = unit.kind
    seen: dict[int, PersonSpec] = {}
    for unit in units:
        entry = f"{unit.code}"
        if unit.department is not None:
            if unit.department not in kinds:
                ck.bad(entry, "department", "unknown_unit", value=unit.department)
            elif kinds[unit.department] is not UnitKind.DEPARTMENT:
                ck.bad(entry, "department", "not_department", value=unit.department)
        for person in unit.people:
            other = seen.setdefault(person.tg_id, person)
            if (other.name, other.phone) != (person.name, person.phone):
                ck.bad(f"{entry}.people ({person.tg_id})", "name", "person_differs",
                       value=str(person.tg_id))
    for kind in (UnitKind.BUREAU, UnitKind.BRIGADE):
        count = sum(1 for k in kinds.values() if k is kind)
        if count != 1:
            ck.bad("units", "kind", "need_exactly_one", value=kind.value, count=count)


def parse_registry(raw: Any) -> RegistryFile:
    ck = _Checker()
    if not isinstance(raw, dict):
        raise RegistryFileError([Problem("file", "", "not_mapping")])
    ck.unknown_keys(raw, {"county", "units"}, "file")
    county = ck.text(raw, "county", "file", required=True)
    units_raw = raw.get("units")
    if not isinstance(units_raw, list) or not units_raw:
        ck.bad("file", "units", "missing")
        units_raw = []
    parsed = [_unit(ck, i, u) for i, u in enumerate(units_raw)]
    units = [u for u in parsed if u is not None]
    if not ck.problems:
        _cross_check(ck, units)
    if ck.problems:
        raise RegistryFileError(ck.problems)
    return RegistryFile(county, tuple(units))
