"""The registry file, checked field by field before anything is written.

Input is the plain data a YAML loader gives (dicts, lists, strings, numbers, dates); a loader
that knows where things stand passes ``Located`` mappings so problems carry line numbers.
Output is a validated ``RegistryFile`` or a ``RegistryFileError`` naming the bad entries and
fields: units and people are counted from 1, as people count, with the line where known. A
spreadsheet reader passes ``Located`` rows that also know the cell of each field, and the
problems it finds itself (an unknown column) on the top mapping: a problem then names the
sheet, the row and the column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Any

from core.errors import DomainError
from core.registry import ForceCategory, Item, Role, UnitKind

CODE_RE = re.compile(r"^[a-z][a-z0-9-]{1,31}$")
PHONE_RE = re.compile(r"\+?[0-9-]{5,20}")
DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
UNIT_KEYS = {
    "code", "kind", "name", "category", "sector", "township", "department",
    "capabilities", "equipment", "materials", "updated", "people",
}
PERSON_KEYS = {"tg_id", "name", "phone", "roles", "insurance_until", "health_check_until"}
ITEM_KEYS = {"name", "count", "unit"}

# Longest text a field may hold, in characters; the README's registry section lists them.
MAX_LEN = {
    "county": 32, "unit.name": 64, "sector": 32, "township": 32, "person.name": 32,
    "capability": 32, "item.name": 32, "item.unit": 8,
}
MAX_CAPABILITIES = 50
MAX_ITEMS = 100
MAX_COUNT = 10**9
MAX_TG_ID = 2**52  # Telegram user ids have at most 52 significant bits
MAX_PROBLEMS = 50  # listed; the rest are only counted


class Located(dict[Any, Any]):
    """A mapping that remembers its line and the line of each key (1-based).

    From a workbook, also the cell of each key (``("人员!E3", "角色")``: where, and the column
    as headed), list entries as ``key.N``; ``row`` is the whole row (``("人员!3:3", "")``),
    for a problem with no cell of its own; ``problems`` are the reader's own findings.
    """

    line: int | None = None
    key_lines: dict[str, int]
    duplicates: list[tuple[str, int]]
    cells: dict[str, tuple[str, str]]
    row: tuple[str, str] | None = None
    problems: list[Problem]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}
        self.duplicates = []
        self.cells = {}
        self.problems = []


def line_of(raw: Any, key: str | None = None) -> int | None:
    if not isinstance(raw, Located):
        return None
    return raw.key_lines.get(key, raw.line) if key is not None else raw.line


def cell_of(raw: Any, fld: str, item: int | None = None) -> tuple[str, str]:
    """The cell a field's problem is in, and its column's header; ("", "") from YAML."""
    if not isinstance(raw, Located):
        return "", ""
    first, _, last = fld.partition(".")
    for key in (f"{first}.{item}" if item is not None else None, last, first):
        if key and key in raw.cells:
            return raw.cells[key]
    return raw.row or ("", "")


@dataclass(frozen=True)
class Problem:
    """One thing wrong, and where: the unit and person by position (from 1) and the line."""

    code: str
    field: str = ""
    params: dict[str, Any] = dc_field(default_factory=dict)
    unit: int | None = None
    unit_code: str = ""
    person: int | None = None
    item: int | None = None
    line: int | None = None
    cell: str = ""  # a workbook's "人员!E3"; then the line is the sheet's row
    column: str = ""  # the cell's column as headed in the sheet, "角色"


class RegistryFileError(DomainError):
    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        total = len(problems) if total is None else total
        super().__init__("registry_file_invalid", count=total)
        self.problems = problems
        self.total = total

    @property
    def unlisted(self) -> int:
        return self.total - len(self.problems)


@dataclass(frozen=True)
class PersonSpec:
    tg_id: int
    name: str
    phone: str
    roles: frozenset[Role]
    insurance_until: date | None = None
    health_check_until: date | None = None


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


@dataclass(frozen=True)
class Where:
    """The entry a problem belongs to; the line comes from the raw mapping."""

    raw: Any = None
    unit: int | None = None
    unit_code: str = ""
    person: int | None = None


def _bad_char(text: str) -> str | None:
    # Names are shown in chats and on consoles: control and invisible format characters
    # (zero-width, direction overrides) would garble or disguise them. Markup is just text.
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            return f"U+{ord(ch):04X}"
    return None


def plain(value: Any) -> Any:
    """Codes, kinds and roles typed with a Chinese input method become plain ASCII."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


def _keys(raw: dict[Any, Any]) -> dict[str, Any]:
    return {plain(str(k)): v for k, v in raw.items()}


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.total = 0

    def bad(self, at: Where, fld: str, code: str, *, item: int | None = None,
            line: int | None = None, **params: Any) -> None:
        self.total += 1
        if len(self.problems) >= MAX_PROBLEMS:
            return
        line = line or line_of(at.raw, fld.split(".")[0] if fld else None)
        cell, column = cell_of(at.raw, fld, item)
        self.problems.append(Problem(code, fld, params, at.unit, at.unit_code, at.person,
                                     item, line, cell, column))

    def found(self, problem: Problem) -> None:
        """A problem the reader found itself (a spreadsheet's unknown column)."""
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def text(self, raw: dict[str, Any], key: str, at: Where, *, required: bool,
             limit: str | None = None, item: int | None = None, fld: str | None = None) -> str:
        fld = fld or key
        value = raw.get(key)
        if value is None or value == "":
            if required:
                self.bad(at, fld, "missing", item=item)
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.bad(at, fld, "not_text", item=item)
            return ""
        return self.checked(str(value).strip(), at, fld, limit or key, item=item)

    def checked(self, text: str, at: Where, fld: str, limit: str, *,
                item: int | None = None) -> str:
        bad_char = _bad_char(text)
        if bad_char:
            self.bad(at, fld, "control_char", item=item, char=bad_char)
            return ""
        most = MAX_LEN.get(limit)
        if most is not None and len(text) > most:
            self.bad(at, fld, "too_long", item=item, limit=most, length=len(text))
            return ""
        return text

    def choice(self, raw: dict[str, Any], key: str, at: Where, enum: Any) -> Any:
        value = plain(raw.get(key))
        if value is None or value == "":
            self.bad(at, key, "missing")
            return None
        try:
            return enum(value)
        except (ValueError, TypeError):
            allowed = ", ".join(m.value for m in enum)
            self.bad(at, key, "not_one_of", value=_shown(value), allowed=allowed)
            return None

    def unknown_keys(self, raw: dict[str, Any], allowed: set[str], at: Where,
                     item: int | None = None, prefix: str = "") -> None:
        for key in sorted(set(raw) - allowed):
            code = "fullwidth_colon" if "：" in key else "unknown_field"
            self.bad(at, prefix + key, code, item=item)
        for key, line in getattr(at.raw, "duplicates", ()):
            self.bad(at, prefix + plain(str(key)), "duplicate_field", item=item, line=line)

    def items(self, raw: dict[str, Any], key: str, at: Where) -> tuple[Item, ...]:
        value = raw.get(key) or []
        if not isinstance(value, list):
            self.bad(at, key, "not_list")
            return ()
        if len(value) > MAX_ITEMS:
            self.bad(at, key, "too_many", limit=MAX_ITEMS, count=len(value))
            return ()
        items = []
        for i, entry in enumerate(value, start=1):
            if not isinstance(entry, dict):
                self.bad(at, key, _not_mapping(entry), item=i)
                continue
            item = _keys(entry)
            # Lines of an item's problems are the item's own line.
            at_item = Where(entry, at.unit, at.unit_code, at.person)
            self.unknown_keys(item, ITEM_KEYS, at_item, i, prefix=f"{key}.")
            name = self.text(item, "name", at_item, required=True, limit="item.name", item=i,
                             fld=f"{key}.name")
            unit = self.text(item, "unit", at_item, required=False, limit="item.unit", item=i,
                             fld=f"{key}.unit")
            count = item.get("count", 1)
            if (not isinstance(count, int) or isinstance(count, bool)
                    or not 0 <= count <= MAX_COUNT):
                self.bad(at_item, f"{key}.count", "not_count_max", item=i, limit=MAX_COUNT)
                count = 0
            items.append(Item(name, count, unit))
        return tuple(items)

    def strings(self, raw: dict[str, Any], key: str, at: Where) -> tuple[str, ...]:
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(at, key, "not_text_list")
            return ()
        if len(value) > MAX_CAPABILITIES:
            self.bad(at, key, "too_many", limit=MAX_CAPABILITIES, count=len(value))
            return ()
        texts = [self.checked(v.strip(), at, key, "capability", item=i)
                 for i, v in enumerate(value, start=1)]
        return tuple(t for t in texts if t)


def _shown(value: Any) -> str:
    """A bad value quoted back, cut short: a junk value must not flood the console."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _not_mapping(value: Any) -> str:
    # "code：bureau" with a full-width colon is one string to YAML, not a key and a value.
    return "fullwidth_colon" if isinstance(value, str) and "：" in value else "not_mapping"


def _tg_id(value: Any) -> int | None:
    if isinstance(value, str) and plain(value).isdigit() and len(plain(value)) < 20:
        value = int(plain(value))  # quoted, or typed with full-width digits
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < MAX_TG_ID:
        return None
    return value


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    found = DATE_RE.fullmatch(plain(value)) if isinstance(value, str) else None
    if found is None:
        return None
    try:
        return date(*(int(g) for g in found.groups()))
    except ValueError:
        return None


def _township(ck: _Checker, raw: dict[str, Any], at: Where, *, required: bool) -> str:
    """A township's name is never all ASCII digits: ``/report <digits>`` asks for an
    incident's after-action report, so such a township could not be reported from."""
    township = ck.text(raw, "township", at, required=required)
    if township.isascii() and township.isdigit():
        ck.bad(at, "township", "township_digits", value=township)
    return township


def _person(ck: _Checker, raw: Any, at: Where) -> PersonSpec | None:
    if not isinstance(raw, dict):
        ck.bad(at, "", _not_mapping(raw))
        return None
    raw_keys = _keys(raw)
    ck.unknown_keys(raw_keys, PERSON_KEYS, at)
    tg_id = _tg_id(raw_keys.get("tg_id"))
    if tg_id is None:
        ck.bad(at, "tg_id", "not_tg_id", value=_shown(raw_keys.get("tg_id")))
    name = ck.text(raw_keys, "name", at, required=True, limit="person.name")
    phone = plain(ck.text(raw_keys, "phone", at, required=False))
    if phone and not PHONE_RE.fullmatch(phone):
        ck.bad(at, "phone", "not_phone", value=_shown(phone))
    roles_raw = raw_keys.get("roles") or []
    if isinstance(roles_raw, str):
        roles_raw = [roles_raw]
    roles: set[Role] = set()
    if not isinstance(roles_raw, list) or not roles_raw:
        ck.bad(at, "roles", "missing")
    else:
        for value in roles_raw:
            try:
                roles.add(Role(plain(value)))
            except (ValueError, TypeError):
                allowed = ", ".join(r.value for r in Role)
                ck.bad(at, "roles", "not_one_of", value=_shown(value), allowed=allowed)
    until = {key: _optional_date(ck, raw_keys, key, at)
             for key in ("insurance_until", "health_check_until")}
    if tg_id is None or not name:
        return None
    return PersonSpec(tg_id, name, phone, frozenset(roles), **until)


def _optional_date(ck: _Checker, raw_keys: dict[str, Any], key: str, at: Where) -> date | None:
    """An ISO date (``2027-06-30``) if the key is given; a problem if it is not a date."""
    raw = raw_keys.get(key)
    if raw is None or raw == "":
        return None
    found = _date(raw)
    if found is None:
        ck.bad(at, key, "not_date", value=_shown(raw))
    return found


def _unit(ck: _Checker, position: int, raw: Any) -> UnitSpec | None:
    if not isinstance(raw, dict):
        ck.bad(Where(unit=position), "", _not_mapping(raw))
        return None
    raw_keys = _keys(raw)
    code_raw = plain(raw_keys.get("code"))
    at = Where(raw, position, code_raw if isinstance(code_raw, str) else "")
    ck.unknown_keys(raw_keys, UNIT_KEYS, at)
    code = plain(ck.text(raw_keys, "code", at, required=True))
    if code and not CODE_RE.match(code):
        ck.bad(at, "code", "bad_code", value=_shown(code))
    kind = ck.choice(raw_keys, "kind", at, UnitKind)
    name = ck.text(raw_keys, "name", at, required=True, limit="unit.name")
    is_force = kind is UnitKind.FORCE
    category = ck.choice(raw_keys, "category", at, ForceCategory) if is_force else None
    if not is_force and raw_keys.get("category") is not None:
        ck.bad(at, "category", "only_for_forces")
    updated = raw_keys.get("updated")
    if updated is not None:
        updated = _date(updated)
        if updated is None:
            ck.bad(at, "updated", "not_date", value=_shown(raw_keys.get("updated")))
    people_raw = raw_keys.get("people") or []
    if not isinstance(people_raw, list):
        ck.bad(at, "people", "not_list")
        people_raw = []
    people = [_person(ck, p, Where(p if isinstance(p, dict) else raw, position, at.unit_code, i))
              for i, p in enumerate(people_raw, start=1)]
    spec = UnitSpec(
        code=code,
        kind=kind,
        name=name,
        category=category,
        sector=plain(ck.text(raw_keys, "sector", at, required=False)),
        township=_township(ck, raw_keys, at, required=is_force),
        department=plain(ck.text(raw_keys, "department", at, required=is_force)) or None,
        capabilities=ck.strings(raw_keys, "capabilities", at),
        equipment=ck.items(raw_keys, "equipment", at),
        materials=ck.items(raw_keys, "materials", at),
        updated=updated,
        people=tuple(p for p in people if p is not None),
    )
    return spec if code and kind and name else None


def _first_of_each_code(ck: _Checker, units: list[tuple[Where, UnitSpec]]
                        ) -> dict[str, tuple[Where, UnitSpec]]:
    first: dict[str, tuple[Where, UnitSpec]] = {}
    for at, unit in units:
        if unit.code in first:
            other = first[unit.code][0]
            ck.bad(at, "code", "duplicate_code_of", value=unit.code, first=other.unit,
                   first_line=line_of(other.raw) or "?")
        else:
            first[unit.code] = (at, unit)
    return first


def _cross_check(ck: _Checker, units: list[tuple[Where, UnitSpec]],
                 first: dict[str, tuple[Where, UnitSpec]]) -> None:
    seen: dict[int, PersonSpec] = {}
    for at, unit in units:
        if unit.department is not None:
            dept = first.get(unit.department)
            if dept is None:
                ck.bad(at, "department", "unknown_unit", value=unit.department)
            elif dept[1].kind is not UnitKind.DEPARTMENT:
                ck.bad(at, "department", "not_department", value=unit.department)
        people_raw = at.raw.get("people") if isinstance(at.raw, dict) else None
        for i, person in enumerate(unit.people, start=1):
            known = seen.setdefault(person.tg_id, person)
            if (known.name, known.phone) != (person.name, person.phone):
                raw = people_raw[i - 1] if isinstance(people_raw, list) else at.raw
                ck.bad(Where(raw, at.unit, at.unit_code, i), "name", "person_differs",
                       value=str(person.tg_id))
    # Counted over the first entry of each code: a duplicated code is reported once, above,
    # and must not also make the bureau or the brigade look missing or doubled.
    for kind in (UnitKind.BUREAU, UnitKind.BRIGADE):
        count = sum(1 for _, u in first.values() if u.kind is kind)
        if count != 1:
            ck.bad(Where(), "units", "need_exactly_one", value=kind.value, count=count)


def parse_registry(raw: Any) -> RegistryFile:
    ck = _Checker()
    if not isinstance(raw, dict):
        raise RegistryFileError([Problem("not_mapping")])
    top = _keys(raw)
    at = Where(raw)
    for problem in getattr(raw, "problems", ()):
        ck.found(problem)
    ck.unknown_keys(top, {"county", "units"}, at)
    county = ck.text(top, "county", at, required=True)
    units_raw = top.get("units")
    if units_raw is None:
        ck.bad(at, "units", "missing")
        units_raw = []
    elif not isinstance(units_raw, list):
        ck.bad(at, "units", "not_list")
        units_raw = []
    elif not units_raw:
        ck.bad(at, "units", "no_units")
    parsed = [(i, u, _unit(ck, i, u)) for i, u in enumerate(units_raw, start=1)]
    units = [(Where(u, i, s.code), s) for i, u, s in parsed if s is not None]
    clean = not ck.total
    first = _first_of_each_code(ck, units)
    # The rest would mislead while entries are missing: a department dropped for a bad field
    # would look unknown to every force under it.
    if clean:
        _cross_check(ck, units, first)
    if ck.total:
        raise RegistryFileError(ck.problems, ck.total)
    return RegistryFile(county, tuple(s for _, s in units))
