"""Texts of the dispatch chain that are not notices: the /log timeline."""

from __future__ import annotations

from bot.i18n import Texts, Translator
from core.audit import AuditEntry
from core.dispatch.choices import ForceChoice
from core.dispatch.model import Incident


def timeline_text(t: Texts, translator: Translator, incident: Incident,
                  entries: list[AuditEntry], names: dict[int, str]) -> str:
    drill = t("dispatch.drill_mark") if incident.is_drill else ""
    lines = [t("dispatch.log.title", id=incident.id, title=incident.title, drill=drill)]
    for e in entries:
        who = str(e.details.get("by") or "") or (
            names.get(e.actor_tg_id, str(e.actor_tg_id)) if e.actor_tg_id
            else t("dispatch.log.system"))
        what = t(f"dispatch.log.{e.action}")
        extra = str(e.details.get("reason") or "")
        ref = e.subject.split("/", 1)[1]
        lines.append(t("dispatch.log.line", at=translator.moment(e.at), who=who, what=what,
                       ref=t("dispatch.log.ref", value=ref) if ref else "",
                       extra=f"（{extra}）" if extra else ""))
    if not entries:
        lines.append(t("dispatch.log.empty"))
    return "\n".join(lines)


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
    return "\n".join(lines)
