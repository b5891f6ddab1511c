"""The preview of a registry file sent in a private chat, and its 应用 / 取消 buttons."""

from __future__ import annotations

from collections import Counter

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import ActionCallback
from bot.i18n import Texts
from bot.registry_texts import problem_text
from core.notices import Action
from core.registry_file import RegistryFile, RegistryFileError
from core.usecases.registry_import import ImportReport

SHOWN = 15  # change lines listed under the counts; a county-wide file has thousands


def counts_text(t: Texts, file: RegistryFile, report: ImportReport) -> str:
    n = Counter(c.key for c in report.changes)
    return t("upload.counts", added=n["unit_added"], changed=n["unit_changed"],
             kept=len(file.units) - n["unit_added"] - n["unit_changed"],
             people_added=n["person_added"], people_changed=n["person_changed"],
             roles_changed=n["roles_changed"], roles_removed=n["roles_removed"],
             not_in_file=n["unit_not_in_file"])


def _changes(t: Texts, report: ImportReport) -> list[str]:
    listed = [c for c in report.changes if c.key != "unit_not_in_file"]
    lines = [t(f"registry.{c.key}", **c.params) for c in listed[:SHOWN]]
    if len(listed) > SHOWN:
        lines.append(t("upload.more", count=len(listed) - SHOWN))
    return lines


def preview_text(t: Texts, name: str, file: RegistryFile, report: ImportReport) -> str:
    head = t("upload.preview", path=name) if report.changed else t("upload.nothing", path=name)
    return "\n".join([head, counts_text(t, file, report), *_changes(t, report)])


def applied_text(t: Texts, name: str, file: RegistryFile, report: ImportReport) -> str:
    return "\n".join([t("upload.applied", path=name), counts_text(t, file, report),
                      *_changes(t, report)])


def problems(t: Texts, name: str, error: RegistryFileError) -> str:
    lines = [t("registry.invalid", path=name, count=error.total)]
    lines += [problem_text(t, p) for p in error.problems[:SHOWN]]
    hidden = error.total - min(len(error.problems), SHOWN)
    if hidden > 0:
        lines.append(t("registry.more", count=hidden, shown=min(len(error.problems), SHOWN)))
    return "\n".join(lines)


def buttons(t: Texts, ref: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=t("upload.button.apply"), callback_data=ActionCallback(
            action=Action.REGISTRY_APPLY, ref=ref).pack()),
        InlineKeyboardButton(text=t("upload.button.cancel"), callback_data=ActionCallback(
            action=Action.REGISTRY_DISCARD, ref=ref).pack()),
    ]])
