"""Workbooks for the tests: the example county's, changed the way counties' files differ."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from functools import cache
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook

from bot.i18n import Translator
from bot.registry_read import read_named, read_registry
from bot.registry_texts import problems_text
from bot.registry_write import xlsx_bytes
from core.registry_file import RegistryFile, RegistryFileError, parse_registry
from tests.conftest import COUNTY


@cache
def county() -> RegistryFile:
    return parse_registry(read_registry(COUNTY).data)


@cache
def county_xlsx() -> bytes:
    return xlsx_bytes(county())


def changed(change: Callable[[Workbook], None]) -> bytes:
    book = load_workbook(BytesIO(county_xlsx()))
    change(book)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def parsed(data: bytes) -> RegistryFile:
    return parse_registry(read_named("county.xlsx", data).data)


def problems(data: bytes, locale: str = "zh_Hans") -> str:
    try:
        parsed(data)
    except RegistryFileError as e:
        t = Translator(locale, ZoneInfo("Asia/Shanghai")).for_locale(locale)
        return problems_text(t, "county.xlsx", e)
    raise AssertionError("the workbook was accepted")


def row_of(ws: Any, column: int, value: object) -> int:
    """The first row whose cell in `column` (1-based) holds `value`."""
    for row in ws.iter_rows(min_col=column, max_col=column):
        if row[0].value == value:
            return int(row[0].row)
    raise AssertionError(f"{value!r} not in {ws.title}")


def with_cached_values(data: bytes, values: dict[str, str]) -> bytes:
    """Formulas as Excel saves them, with the value last computed; openpyxl writes none."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                text = content.decode()
                for ref, value in values.items():
                    text = re.sub(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/?>(</v>)?',
                                  rf"\g<1><v>{value}</v>", text)
                content = text.encode()
            target.writestr(info, content)
    return out.getvalue()
