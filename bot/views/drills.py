"""Texts of drills and spot-checks that are replies, not notices: /drill, /spotcheck, /muster."""

from __future__ import annotations

from bot.i18n import Texts, join
from core.dispatch.model import Incident
from core.dispatch.muster import MusterRow
from core.drills.usecases import DrillOpened, SpotCheck
from core.notices import moment


def opened_text(t: Texts, found: DrillOpened) -> str:
    rc = found.rollcall
    rollcall = t("drills.opened.rollcall", rollcall=rc.id, count=found.called,
                 deadline=moment(rc.deadline_at)) if rc is not None else ""
    return t("drills.opened", id=found.incident.id, title=found.incident.title,
             rollcall=rollcall)


def spotcheck_text(t: Texts, found: SpotCheck) -> str:
    rc = found.rollcall
    minutes = int((rc.deadline_at - rc.opened_at).total_seconds() // 60)
    scope = t("spotcheck.scope.dept") if found.departments else rc.scope
    whole = t("spotcheck.whole", asked=found.asked, pool=found.pool) \
        if found.asked > found.pool else ""
    return t("spotcheck.sent", id=rc.id, scope=scope, pool=found.pool,
             count=len(found.drawn), names=[u.name for u in found.drawn], minutes=minutes,
             deadline=moment(rc.deadline_at), seed=rc.seed, whole=whole)


def _figure(t: Texts, value: float | None) -> str:
    return t("dispatch.muster.none") if value is None else t("dispatch.muster.minutes",
                                                               value=f"{value:g}")


def muster_text(t: Texts, incident: Incident, rows: list[MusterRow]) -> str:
    drill = t("dispatch.drill_mark") if incident.is_drill else ""
    lines = [t("muster.title", drill=drill, id=incident.id, title=incident.title)]
    for r in rows:
        if r.unable:
            lines.append(t("dispatch.muster.unable", force=r.force))
        else:
            lines.append(t("dispatch.muster.row", force=r.force,
                           received=_figure(t, r.received), en_route=_figure(t, r.en_route),
                           on_scene=_figure(t, r.on_scene)))
    if not rows:
        lines.append(t("muster.none"))
    return join(lines)
