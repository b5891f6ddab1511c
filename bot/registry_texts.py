"""Console texts of the registry import: where each problem is, and the problem list."""

from __future__ import annotations

import html

from bot.i18n import Texts
from core.notices import text
from core.registry_file import Problem, RegistryFileError


def console(text: str) -> str:
    """Templates and values are HTML-escaped for Telegram; a terminal shows them as typed."""
    return html.unescape(text)


def where_text(t: Texts, p: Problem) -> str:
    if p.cell:  # a workbook's cell says it all: sheet, row and column
        if p.column:
            return t("registry.where.cell", cell=p.cell, column=p.column)
        return t("registry.where.cell_only", cell=p.cell)
    parts = []
    if p.line is not None:
        parts.append(t("registry.where.line", line=p.line))
    if p.unit is not None:
        if p.unit_code:
            parts.append(t("registry.where.unit_code", n=p.unit, code=p.unit_code))
        else:
            parts.append(t("registry.where.unit", n=p.unit))
    if p.person is not None:
        parts.append(t("registry.where.person", n=p.person))
    fld = p.field
    if p.item is not None:
        listed, _, fld = fld.partition(".")
        parts.append(t("registry.where.item", field=listed, n=p.item))
    if fld:
        parts.append(t("registry.where.field", field=fld))
    return t("registry.where.sep").join(parts) or t("registry.where.file")


def problem_text(t: Texts, p: Problem) -> str:
    return t("registry.problem_at", where=where_text(t, p),
             why=text(f"registry.problem.{p.code}", **p.params))


def problems_text(t: Texts, path: str, error: RegistryFileError) -> str:
    lines = [t("registry.invalid", path=path, count=error.total)]
    lines += [problem_text(t, p) for p in error.problems]
    if error.unlisted:
        lines.append(t("registry.more", count=error.unlisted, shown=len(error.problems)))
    return console("\n".join(lines))
