"""Reading the registry workbook (.xlsx) into the plain data the YAML reader gives, so that the
same checks (core/registry_file.py) and the same import run on it.

Sheets 单位, 人员, 装备, 物资, 能力 (and 说明 for the county's name); each has a header row and
one entry a row, the child sheets naming their unit by 单位代码. Every row and field carries its
cell, so a problem reads "人员!E3（角色）：…". Cells as counties produce them are accepted: a
title or a merged two-row header above the header row, numbers stored as text, phone numbers
stored as numbers, spaces (full-width too) around values, full-width digits, empty rows between
blocks, a 单位代码 merged over (or left empty below) its first row, formulas with their cached
value. What is not a workbook at all is one ``RegistryReadError``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import datetime
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from bot.registry_read import RawRegistry, RegistryReadError
from core.registry_file import Located, Problem, plain
from core.registry_sheet import (
    COLUMNS,
    COUNTY_KEYS,
    COUNTY_LABEL,
    HEADERS,
    IGNORED_KEYS,
    REQUIRED,
    SHEET_KEYS,
    SHEETS,
    header_key,
)

log = logging.getLogger(__name__)

MAX_UNPACKED = 200 * 1024 * 1024  # a zip bomb is refused before anything is unpacked
MAX_ROWS = 100_000  # in any one sheet, empty rows included
HEADER_ROWS = 10  # the header row is looked for among the first rows (titles above it)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and any password-protected Office file
ENCRYPTED = "EncryptionInfo".encode("utf-16-le")

INTS = frozenset({"tg_id", "count"})
DATES = frozenset({"updated", "insurance_until", "health_check_until"})
_ROLE_SEP = re.compile(r"[,，、;；/\s]+")
_NUMBER_JUNK = re.compile(r"[\s,]+")
_CHILD_LISTS = {"people": "people", "equipment": "equipment", "materials": "materials",
                "capabilities": "capabilities"}


def _check_container(data: bytes) -> None:
    if data.startswith(OLE):
        key = "registry.xlsx.encrypted" if ENCRYPTED in data else "registry.xlsx.old_xls"
        raise RegistryReadError(key)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RegistryReadError("registry.xlsx.not_xlsx") from None
    if "xl/workbook.xml" not in names:
        raise RegistryReadError("registry.xlsx.not_xlsx")
    if unpacked > MAX_UNPACKED:
        raise RegistryReadError("registry.xlsx.too_big_unpacked",
                                limit_mb=MAX_UNPACKED // (1024 * 1024))


def read_xlsx(data: bytes) -> RawRegistry:
    _check_container(data)
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises a dozen kinds for a damaged file; one line each
        log.info("registry workbook not readable: %r", e)
        raise RegistryReadError("registry.xlsx.not_xlsx") from None
    try:
        return RawRegistry(_Reader().read(book), "UTF-8")
    except RegistryReadError:
        raise
    except Exception as e:  # a damaged sheet inside a sound zip: still one line
        log.info("registry workbook sheet not readable: %r", e)
        raise RegistryReadError("registry.xlsx.not_xlsx") from None
    finally:
        book.close()


def _text(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()  # str.strip drops U+3000 and U+00A0 as well
        return value or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _int(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        digits = _NUMBER_JUNK.sub("", unicodedata.normalize("NFKC", value))
        if digits.isdigit():
            return int(digits)
        try:
            number = float(digits)
        except ValueError:
            return value.strip() or None
        return int(number) if number.is_integer() and "." in digits else value.strip()
    return value


def _phone(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 1.38e10 as Excel stores an 11-digit number
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return _NUMBER_JUNK.sub("", unicodedata.normalize("NFKC", value)) or None
    return value


def _date(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        found = from_excel(value)  # a date cell formatted as a number: Excel's day count
        return found.date() if isinstance(found, datetime) else found
    return value


def clean(fld: str, value: Any) -> Any:
    """A cell's value as the YAML reader would have given it; None for an empty cell."""
    if isinstance(value, str) and not value.strip():
        return None
    if value is None:
        return None
    if fld in INTS:
        return _int(value)
    if fld == "phone":
        return _phone(value)
    if fld in DATES:
        found = _date(value)
        return found.strip() if isinstance(found, str) else found
    if fld == "roles":
        if isinstance(value, str):
            return [r for r in _ROLE_SEP.split(value.strip()) if r]
        return [value]
    return _text(value)


class _Sheet:
    """One sheet's header: which column holds which field, and the cells named in problems."""

    def __init__(self, key: str, title: str) -> None:
        self.key = key
        self.title = title
        self.fields: dict[int, str] = {}
        self.labels: dict[int, str] = {}

    def ref(self, column: int, row: int) -> str:
        return f"{self.title}!{get_column_letter(column + 1)}{row}"


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.units: dict[str, Located] = {}
        self.unit_list: list[Located] = []

    def bad(self, code: str, cell: str, column: str = "", row: int | None = None,
            fld: str = "", **params: Any) -> None:
        self.problems.append(Problem(code, fld, params, line=row, cell=cell, column=column))

    def read(self, book: Any) -> Located:
        sheets: dict[str, Any] = {}
        for ws in book.worksheets:
            key = SHEET_KEYS.get(header_key(ws.title))
            if key is not None and key not in sheets:
                sheets[key] = ws
        top = Located()
        top.cells["county"] = (f"{SHEETS['notes'][0]}!B1", COUNTY_LABEL)
        if "notes" in sheets:
            self._county(sheets["notes"], top)
        top.cells["units"] = (SHEETS["units"][0], "")
        if "units" in sheets:
            self._sheet(sheets["units"], "units")
            top["units"] = self.unit_list
        for key in _CHILD_LISTS:
            if key in sheets:
                self._sheet(sheets[key], key)
        top.problems = self.problems
        return top

    def _county(self, ws: Any, top: Located) -> None:
        for n, row in _rows(ws):
            if row and row[0] is not None and header_key(row[0]) in COUNTY_KEYS:
                value = _text(row[1]) if len(row) > 1 else None
                top.cells["county"] = (f"{ws.title}!B{n}", str(row[0]).strip())
                if value is not None:
                    top["county"] = value
                return

    def _sheet(self, ws: Any, key: str) -> None:
        rows = _rows(ws)
        head: list[tuple[int, tuple[Any, ...]]] = []
        for n, row in rows:
            head.append((n, row))
            if len(head) == HEADER_ROWS:
                break
        sheet = _Sheet(key, ws.title)
        at = self._header(sheet, head)
        if at is None:
            return
        following = (r for r in head if r[0] > at)
        previous_code: tuple[Any, str] | None = None
        for n, row in _chain(following, rows):
            values: dict[str, Any] = {}
            for column, fld in sheet.fields.items():
                value = clean(fld, row[column]) if column < len(row) else None
                if value is not None:
                    values[fld] = value
            if not values:
                previous_code = None  # an empty row ends a block: nothing carries over it
                continue
            if key != "units" and "code" not in values and previous_code is not None:
                values["code"] = previous_code  # merged over its rows, or left empty below
            elif "code" in values:
                previous_code = values["code"]
            self._entry(sheet, n, values)

    def _header(self, sheet: _Sheet, head: list[tuple[int, tuple[Any, ...]]]) -> int | None:
        known = HEADERS[sheet.key]
        scored = [(sum(1 for v in row if v is not None and header_key(v) in known), i)
                  for i, (_, row) in enumerate(head)]
        best = max(scored, key=lambda s: (s[0], -s[1]), default=(0, 0))
        if best[0] == 0:
            if any(v is not None and str(v).strip() for _, row in head for v in row):
                self.bad("no_header", f"{sheet.title}!1:1", value=sheet.title)
            return None
        index = best[1]
        at, _ = head[index]
        width = max(len(r) for _, r in head[:index + 1])
        seen: dict[str, str] = {}
        for column in range(width):
            value, ref = _above(head[:index + 1], column, sheet)
            if value is None:
                continue
            label = str(value).strip()
            name = header_key(value)
            fld = known.get(name)
            if fld is None:
                if name and name not in IGNORED_KEYS:
                    allowed = "、".join(zh for zh, _, _ in COLUMNS[sheet.key].values())
                    self.bad("unknown_column", ref, label, at, value=label, allowed=allowed)
                continue
            if fld in seen:
                self.bad("duplicate_column", ref, label, at, value=label, first=seen[fld])
                continue
            seen[fld] = ref
            sheet.fields[column] = fld
            sheet.labels[column] = label
        missing = [COLUMNS[sheet.key][f][0] for f in REQUIRED[sheet.key] if f not in seen]
        for name in missing:
            self.bad("missing_column", f"{sheet.title}!{at}:{at}", row=at, value=name)
        return None if missing else at

    def _located(self, sheet: _Sheet, n: int, values: dict[str, Any]) -> Located:
        entry = Located({k: v for k, v in values.items() if k != "code" or sheet.key == "units"})
        entry.line = n
        entry.row = (f"{sheet.title}!{n}:{n}", "")
        for column, fld in sheet.fields.items():
            entry.cells[fld] = (sheet.ref(column, n), sheet.labels[column])
        return entry

    def _entry(self, sheet: _Sheet, n: int, values: dict[str, Any]) -> None:
        entry = self._located(sheet, n, values)
        if sheet.key == "units":
            code = plain(values.get("code"))
            if isinstance(code, str) and code not in self.units:
                self.units[code] = entry
            self.unit_list.append(entry)
            return
        code = plain(values.get("code"))
        unit = self.units.get(code) if isinstance(code, str) else None
        if unit is None:
            cell, label = entry.cells.get("code", entry.row or ("", ""))
            if code is None:
                self.bad("missing", cell, label, n, "code")
            else:
                self.bad("unknown_unit", cell, label, n, "code", value=str(code))
            return
        listed = _CHILD_LISTS[sheet.key]
        entries = unit.setdefault(listed, [])
        unit.cells.setdefault(listed, entry.row or ("", ""))
        if sheet.key == "capabilities":
            entries.append(values.get("name"))
            unit.cells[f"{listed}.{len(entries)}"] = entry.cells.get("name", ("", ""))
        else:
            entries.append(entry)


def _above(head: list[tuple[int, tuple[Any, ...]]], column: int, sheet: _Sheet
           ) -> tuple[Any, str]:
    """A header cell's text; an empty one under a merged (two-row) header takes the nearest
    known header above it, as Excel shows a vertically merged cell's top-left value."""
    for n, row in reversed(head):
        value = row[column] if column < len(row) else None
        if value is not None and str(value).strip():
            if n != head[-1][0] and header_key(value) not in HEADERS[sheet.key]:
                return None, ""
            return value, sheet.ref(column, n)
    return None, ""


def _rows(ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if n >= MAX_ROWS:
            raise RegistryReadError("registry.xlsx.too_many_rows", sheet=ws.title,
                                    limit=MAX_ROWS)
        yield n, tuple(row)


def _chain(*parts: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for part in parts:
        yield from part
