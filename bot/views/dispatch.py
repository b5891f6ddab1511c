"""Texts of the dispatch chain that are not notices: the /log timeline."""

from __future__ import annotations

from bot.i18n import Texts, Translator, join
from core.audit import AuditEntry
from core.dispatch.choices import ForceChoice
from core.dispatch.timeline import Timeline


def timeline_text(t: Texts, translator: Translator, timeline: Timeline) -> str:
    incident = timeline.incident
    drill = t("dispatch.drill_mark") if incident.is_drill else ""
    lines = [t("dispatch.log.title", id=incident.id, title=incident.title, drill=drill)]
    lines.extend(_entry(t, translator, timeline, e) for e in timeline.entries)
    if not timeline.entries:
        lines.append(t("dispatch.log.empty"))
    return join(lines)


def _entry(t: Texts, translator: Translator, timeline: Timeline, e: AuditEntry) -> str:
    who = timeline.who(e) or t("dispatch.log.system")
    what = t(f"dispatch.log.{e.action}")
    extra_text = (e.details.get("reason") or e.details.get("need") or e.details.get("text")
                  or "")
    extra = t("dispatch.log.extra", text=str(extra_text)) if extra_text else ""
    about = _about(t, timeline, e)
    key = "dispatch.log.entry" if about else "dispatch.log.entry_plain"
    return t(key, at=translator.moment(e.at), who=who, what=what, about=about, extra=extra)


def _about(t: Texts, timeline: Timeline, e: AuditEntry) -> str:
    """What the entry is about, by name: a force, a plan and its forces, a request, the HQ."""
    kind, _, ref = e.subject.split("/", 1)[-1].partition(":")
    d = e.details
    if kind == "order":
        unit_id = d.get("unit")
        return timeline.unit(unit_id) if isinstance(unit_id, int) else timeline.force_of(
            int(ref) if ref.isdigit() else None)
    if kind == "plan":
        forces = [timeline.unit(c) for c in d.get("forces") or []]
        forces += [timeline.force_of(o) for o in d.get("orders") or []]
        if d.get("department"):
            forces.append(timeline.unit(d["department"]))
        if forces:
            return t("dispatch.log.plan_forces", plan=ref, forces=forces)
        return t("dispatch.log.plan", plan=ref)
    if kind == "reinf":
        return t("dispatch.log.reinf", id=ref)
    if kind == "report":  # an information report linked to the incident (core/reports)
        return t("dispatch.log.report", id=ref, unit=timeline.unit(d.get("unit")),
                 reporter=str(d.get("reporter") or "—"), township=str(d.get("township") or ""))
    if kind == "traffic":  # traffic support for a plan (core/traffic)
        return t("dispatch.log.traffic", unit=timeline.unit(d.get("department")),
                 plan=d.get("plan"))
    if kind == "consult":  # an expert consultation on the incident (core/consult)
        expert = timeline.unit(d.get("unit"))
        if d.get("n"):
            return t("dispatch.log.consult_advice", id=ref, expert=expert, n=d["n"],
                     count=d.get("count") or d["n"])
        return t("dispatch.log.consult", id=ref, expert=expert)
    if kind == "sitrep":  # a situation update (core/sitrep)
        return t("dispatch.log.sitrep", n=ref, unit=timeline.unit(d.get("unit")))
    if kind == "response":  # a response level proposed, decided, started (core/response)
        return t("dispatch.log.response", id=ref,
                 level=t(f"response.level.{int(d.get('level') or 0)}"))
    if d.get("hq"):
        return timeline.unit(d["hq"])
    return ""


def force_lines(t: Texts, translator: Translator, choices: list[ForceChoice]) -> str:
    """One line per force: bound or not, capabilities, last roll-call answer."""
    lines = []
    for c in choices:
        details = []
        if c.unit.capabilities:
            details.append(t("dispatch.dialog.force.caps", value=list(c.unit.capabilities)))
        if c.last_answer is not None:
            details.append(t("dispatch.dialog.force.rollcall",
                             value=translator.moment(c.last_answer)))
        elif c.missed:
            details.append(t("dispatch.dialog.force.rollcall",
                             value=t("dispatch.dialog.rollcall_missed")))
        line = t("dispatch.dialog.force", bound="✓" if c.unit.is_bound else "✗",
                 name=c.unit.name, code=c.unit.code)
        if details:
            line += " " + t("dispatch.dialog.force.sep").join(details)
        lines.append(line)
    return join(lines)
