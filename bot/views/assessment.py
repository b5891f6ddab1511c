"""Texts of /stats: the county's figures or the forces' own, short; the chart says the rest."""

from __future__ import annotations

import html

from bot.i18n import Texts
from core.assessment.model import CONNECTION_TARGET, Assessment, ForceFigures
from documents.texts import Say, minutes, pct

SHOWN = 15  # forces listed by name in a chat; the chart and the workbook have them all


def kind(t: Texts, a: Assessment) -> str:
    return t("assessment.drill") if a.drill else ""


def say_plain(t: Texts) -> Say:
    """The chat's translator for a document or a chart: plain text, not Telegram's HTML."""
    return lambda key, /, **params: html.unescape(t(key, **params))


def _force(t: Texts, f: ForceFigures) -> str:
    return t("assessment.stats.force", unit=f.unit.name, on_time=f.on_time, calls=f.calls,
             rate=pct(f.on_time_rate), late=f.late, missed=f.missed,
             confirmed=pct(f.confirmed_rate), confirm_min=minutes(f.confirm_median_s),
             t1=pct(f.t1_rate), received_min=minutes(f.received_median_s),
             scene_min=minutes(f.on_scene_median_s), unable=f.unable,
             passed=f.spotchecks_passed, spotchecks=f.spotchecks,
             age="—" if f.data_age_days is None else f.data_age_days,
             bound=t("assessment.stats.bound" if f.bound else "assessment.stats.unbound"))


def stats_text(t: Texts, a: Assessment) -> str:
    g = a.total
    lines = [t("assessment.stats.head", kind=kind(t, a), period=a.period.label)]
    if a.county_wide:
        lines.append(t("assessment.stats.county", ratio=pct(g.connection_rate), bound=g.bound,
                       forces=g.forces, target=pct(100 * CONNECTION_TARGET),
                       met=t("assessment.stats.met" if g.connection_met
                             else "assessment.stats.not_met")))
    if len(a.forces) > 1:
        lines.append(t("assessment.stats.totals", on_time=pct(g.on_time_rate), late=g.late,
                       missed=g.missed, confirmed=pct(g.confirmed_rate), t1=pct(g.t1_rate),
                       unable=g.unable, passed=g.spotchecks_passed, spotchecks=g.spotchecks))
    if a.county_wide:
        for category, c in a.categories.items():
            lines.append(t("assessment.stats.category",
                           category=t(f"assessment.category.{category.value}"),
                           forces=c.forces, connection=pct(c.connection_rate),
                           on_time=pct(c.on_time_rate), confirmed=pct(c.confirmed_rate),
                           t1=pct(c.t1_rate)))
    else:
        ranked = a.ranked() + [f for f in a.forces if not f.calls]
        lines += [_force(t, f) for f in ranked[:SHOWN]]
        if len(ranked) > SHOWN:
            lines.append(t("assessment.stats.more", count=len(ranked) - SHOWN))
    if not (g.calls or g.warnings or g.orders or g.spotchecks):
        lines.append(t("assessment.stats.none"))
    weakest = a.weakest()
    if weakest is not None and len(a.forces) > 1:
        lines.append(t("assessment.stats.weakest", unit=weakest.unit.name,
                       rate=pct(weakest.on_time_rate)))
    return "\n".join(lines)


def caption(t: Texts, a: Assessment) -> str:
    return t("assessment.stats.caption", kind=kind(t, a), period=a.period.label)
