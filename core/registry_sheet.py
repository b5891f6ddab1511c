"""The registry workbook's sheets and columns: the names written on export, and every header
name read on import (Chinese and English). Header names are the format, like YAML's keys, so
they live here and not in the catalogs; the README's "Registry workbook" table lists them."""

from __future__ import annotations

import re
import unicodedata

# Sheet key -> the names it is found by; the first is the name written.
SHEETS: dict[str, tuple[str, ...]] = {
    "units": ("单位", "units"),
    "people": ("人员", "people"),
    "equipment": ("装备", "equipment"),
    "materials": ("物资", "materials"),
    "capabilities": ("能力", "capabilities"),
    "notes": ("说明", "notes", "readme"),
}

# Sheet key -> field -> (Chinese header written, English header written, other names read).
COLUMNS: dict[str, dict[str, tuple[str, str, tuple[str, ...]]]] = {
    "units": {
        "code": ("单位代码", "code", ("代码", "编码", "单位编码", "unit code")),
        "kind": ("类型", "kind", ("单位类型", "type")),
        "name": ("单位名称", "name", ("名称", "单位全称")),
        "category": ("类别", "category", ("力量类别",)),
        "sector": ("行业", "sector", ("行业代码",)),
        "township": ("乡镇", "township", ("所在乡镇", "乡镇街道", "乡镇(街道)")),
        "department": ("主管部门", "department", ("行业主管部门", "主管部门代码")),
        "updated": ("更新日期", "updated", ("数据更新日期",)),
    },
    "people": {
        "code": ("单位代码", "code", ("代码", "单位编码", "unit code", "unit")),
        "tg_id": ("Telegram ID", "tg_id", ("tgid", "telegram用户id", "telegram")),
        "name": ("姓名", "name", ()),
        "phone": ("手机", "phone", ("手机号", "手机号码", "电话", "联系电话", "mobile")),
        "roles": ("角色", "roles", ("role",)),
        "insurance_until": ("保险到期", "insurance_until", ("保险到期日", "意外保险到期")),
        "health_check_until": ("体检到期", "health_check_until", ("体检到期日",)),
    },
    "equipment": {
        "code": ("单位代码", "code", ("代码", "单位编码", "unit code")),
        "name": ("名称", "name", ("装备名称",)),
        "count": ("数量", "count", ()),
        "unit": ("计量单位", "unit", ()),
    },
    "materials": {
        "code": ("单位代码", "code", ("代码", "单位编码", "unit code")),
        "name": ("名称", "name", ("物资名称",)),
        "count": ("数量", "count", ()),
        "unit": ("计量单位", "unit", ()),
    },
    "capabilities": {
        "code": ("单位代码", "code", ("代码", "单位编码", "unit code")),
        "name": ("名称", "capability", ("能力", "能力名称", "name")),
    },
}
REQUIRED = {
    "units": ("code", "kind", "name"),
    "people": ("code", "tg_id", "name", "roles"),
    "equipment": ("code", "name"),
    "materials": ("code", "name"),
    "capabilities": ("code", "name"),
}
# Columns counties add for their own use: read past, never a problem.
IGNORED = ("序号", "编号", "no", "no.", "#", "备注", "说明", "note", "notes", "remarks")
COUNTY_LABELS = ("县名", "县", "县(区)", "县区", "county")
COUNTY_LABEL = "县名"

_PARENS = re.compile(r"\(.*?\)")
_DROPPED = re.compile(r"[\s_\-*:]+")


def header_key(text: object) -> str:
    """A header as compared: full-width folded, case, spaces, ``_``, ``-`` and ``*`` (a
    required-column mark) and a note in brackets (``角色(可多个)``) dropped."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return _DROPPED.sub("", _PARENS.sub("", folded))


def _lookup() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for sheet, columns in COLUMNS.items():
        names = found.setdefault(sheet, {})
        for fld, (zh, en, others) in columns.items():
            for name in (zh, en, fld, *others):
                names.setdefault(header_key(name), fld)
    return found


HEADERS = _lookup()
IGNORED_KEYS = frozenset(header_key(name) for name in IGNORED)
SHEET_KEYS = {header_key(name): key for key, names in SHEETS.items() for name in names}
COUNTY_KEYS = frozenset(header_key(name) for name in COUNTY_LABELS)
