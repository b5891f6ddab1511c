"""Texts of the dispatch chain that are not notices: the /log timeline."""

from __future__ import annotations

from bot.i18n import Texts, Translator, join
from core.audit import AuditEntry
from core.dispatch.choices import ForceChoice
from core.dispatch.timeline import Timeline, entry_words


def timeline_text(t: Texts, translator: Translator, timeline: Timeline) -> str:
    incident = timeline.incident
    drill = t("dispatch.drill_mark") if incident.is_drill else ""
    lines = [t("dispatch.log.title", id=incident.id, title=incident.title, drill=drill)]
    lines.extend(_entry(t, translator, timeline, e) for e in timeline.entries)
    if not timeline.entries:
        lines.append(t("dispatch.log.empty"))
    return join(lines)


def _entry(t: Texts, translator: Translator, timeline: Timeline, e: AuditEntry) -> str:
    words = entry_words(t, timeline, e)
    extra = t("dispatch.log.extra", text=words.extra) if words.extra else ""
    key = "dispatch.log.entry" if words.about else "dispatch.log.entry_plain"
    return t(key, at=translator.moment(e.at), who=words.who or t("dispatch.log.system"),
             what=words.what, about=words.about, extra=extra)


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
