"""Writing a registry (a checked ``RegistryFile``: from a file, or the database's export) as a
YAML file or as the registry workbook; either reads back to the same registry."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path, PurePath
from typing import Any, cast

import yaml

from core.registry import Item, Role
from core.registry_file import PersonSpec, RegistryFile, UnitSpec
from core.registry_sheet import COLUMNS, COUNTY_LABEL, SHEETS

ROLE_ORDER = {role: i for i, role in enumerate(Role)}


def _roles(person: PersonSpec) -> list[str]:
    return [r.value for r in sorted(person.roles, key=ROLE_ORDER.__getitem__)]


def _item(item: Item) -> dict[str, Any]:
    found: dict[str, Any] = {"name": item.name, "count": item.count}
    if item.unit:
        found["unit"] = item.unit
    return found


def _person(person: PersonSpec) -> dict[str, Any]:
    found: dict[str, Any] = {"tg_id": person.tg_id, "name": person.name}
    if person.phone:
        found["phone"] = person.phone
    found["roles"] = _roles(person)
    for key in ("insurance_until", "health_check_until"):
        if getattr(person, key) is not None:
            found[key] = getattr(person, key)
    return found


def _unit(unit: UnitSpec) -> dict[str, Any]:
    found: dict[str, Any] = {"code": unit.code, "kind": unit.kind.value, "name": unit.name}
    if unit.category is not None:
        found["category"] = unit.category.value
    for key in ("sector", "township", "department"):
        if getattr(unit, key):
            found[key] = getattr(unit, key)
    if unit.capabilities:
        found["capabilities"] = list(unit.capabilities)
    if unit.equipment:
        found["equipment"] = [_item(i) for i in unit.equipment]
    if unit.materials:
        found["materials"] = [_item(i) for i in unit.materials]
    if unit.updated is not None:
        found["updated"] = unit.updated
    if unit.people:
        found["people"] = [_person(p) for p in unit.people]
    return found


def registry_data(registry: RegistryFile) -> dict[str, Any]:
    """The registry as the YAML file holds it."""
    return {"county": registry.county, "units": [_unit(u) for u in registry.units]}


def yaml_bytes(registry: RegistryFile) -> bytes:
    text = yaml.safe_dump(registry_data(registry), allow_unicode=True, sort_keys=False,
                          width=100)
    return text.encode("utf-8")


def _rows(registry: RegistryFile) -> dict[str, list[list[Any]]]:
    rows: dict[str, list[list[Any]]] = {key: [] for key in COLUMNS}
    for u in registry.units:
        rows["units"].append([u.code, u.kind.value, u.name,
                              u.category.value if u.category else None, u.sector or None,
                              u.township or None, u.department, u.updated])
        for p in u.people:
            rows["people"].append([u.code, p.tg_id, p.name, p.phone or None,
                                   ", ".join(_roles(p)), p.insurance_until,
                                   p.health_check_until])
        for key, items in (("equipment", u.equipment), ("materials", u.materials)):
            rows[key] += [[u.code, i.name, i.count, i.unit or None] for i in items]
        rows["capabilities"] += [[u.code, c] for c in u.capabilities]
    return rows


def xlsx_bytes(registry: RegistryFile, note: str = "") -> bytes:
    """The registry workbook: 说明 with the county's name, then a sheet per kind of entry with
    Chinese headers; phone numbers are text cells, dates date cells."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    notes = book.create_sheet(SHEETS["notes"][0])
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 40
    notes.append([COUNTY_LABEL, registry.county])
    if note:
        notes.append([])
        notes.append([note])
    for key, rows in _rows(registry).items():
        ws = book.create_sheet(SHEETS[key][0])
        columns = list(COLUMNS[key])
        for i, fld in enumerate(columns):
            letter = chr(ord("A") + i)
            ws.column_dimensions[letter].width = 24 if fld in ("name", "department") else 14
        header = []
        for fld in columns:
            cell = WriteOnlyCell(ws, COLUMNS[key][fld][0])
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in rows:
            ws.append([_cell(ws, fld, value) for fld, value in zip(columns, row, strict=True)])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(ws: Any, fld: str, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, date):
        cell = WriteOnlyCell(ws, cast(Any, value))  # openpyxl writes a date as a date
        cell.number_format = "yyyy-mm-dd"
        return cell
    if fld == "phone" and value is not None:
        cell = WriteOnlyCell(ws, str(value))
        cell.number_format = "@"  # text: Excel would show 1.38E+10 and drop a leading 0
        return cell
    return value


WRITERS: dict[str, Callable[[RegistryFile, str], bytes]] = {
    ".xlsx": xlsx_bytes,
    ".yaml": lambda registry, _note: yaml_bytes(registry),
    ".yml": lambda registry, _note: yaml_bytes(registry),
}


def writer_for(name: str) -> Callable[[RegistryFile, str], bytes] | None:
    return WRITERS.get(PurePath(name).suffix.lower())


def write_atomically(path: Path, data: bytes) -> None:
    """The whole file or none of it: a half-written registry must never be left behind."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
