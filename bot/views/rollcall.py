"""Texts for /rollcall replies and the duty records."""

from __future__ import annotations

from bot.i18n import Texts
from bot.views.warnings import minutes, percent
from core.rollcall.records import DutyRecord


def records_text(t: Texts, records: list[DutyRecord]) -> str:
    lines = [t("duty.records.title")]
    shown = [r for r in records if r.calls or r.spot_checks] if len(records) > 1 else records
    if not shown:
        lines.append(t("duty.records.none"))
    for r in shown:
        lines.append(t("duty.records.row", unit=r.unit.name, calls=r.calls, on_time=r.on_time,
                       percent=percent(t, r.percent), late=r.late, missed=r.missed,
                       median=minutes(t, r.median_seconds),
                       spot=t("duty.records.spot", checks=r.spot_checks, passed=r.spot_passed)
                       if r.spot_checks else ""))
    return "\n".join(lines)
