"""Texts for /warn replies and the warning confirmation records."""

from __future__ import annotations

from bot.i18n import Texts
from core.warnings.notices import head
from core.warnings.records import WarningRecord
from core.warnings.usecases import Issued


def percent(t: Texts, value: float | None) -> str:
    return t("records.na") if value is None else t("records.percent", value=f"{value:.0f}")


def minutes(t: Texts, seconds: float | None) -> str:
    return t("records.na") if seconds is None else t("records.minutes",
                                                      value=f"{seconds / 60:.1f}")


def issued_text(t: Texts, issued: Issued) -> str:
    lines = [t("warnings.issued", **head(issued.warning), count=issued.reached)]
    if issued.unreachable:
        lines.append(t("warnings.unreachable", count=len(issued.unreachable),
                       names=[u.name for u in issued.unreachable]))
    return "\n".join(lines)


def records_text(t: Texts, overseen: list[WarningRecord], issued: list[WarningRecord]) -> str:
    shown = [r for r in overseen if r.received] if len(overseen) > 1 else overseen
    lines = []
    if shown or not issued:
        lines.append(t("warnings.records.title"))
        lines += [_row(t, r) for r in shown] or [t("warnings.records.none")]
    if issued:
        lines.append(t("warnings.records.issued_title"))
        lines += [_row(t, r) for r in issued]
    return "\n".join(lines)


def _row(t: Texts, r: WarningRecord) -> str:
    return t("warnings.records.row", unit=r.unit.name, received=r.received,
             confirmed=r.confirmed, percent=percent(t, r.percent),
             median=minutes(t, r.median_seconds), unconfirmed=r.unconfirmed)
