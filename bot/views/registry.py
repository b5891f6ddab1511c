"""Texts for /status, /help and the registry import report."""

from __future__ import annotations

from bot.i18n import Texts, escape, join
from core.registry import Member, Unit
from core.usecases.registry_import import ImportReport
from core.usecases.status import StatusView


def member_line(t: Texts, member: Member) -> str:
    roles = join([t(f"role.{r.value}") for r in sorted(member.roles)], ", ")
    phone = " " + escape(member.person.phone) if member.person.phone else ""
    return t("status.member", name=member.person.name, roles=roles) + phone


def unit_block(t: Texts, unit: Unit, department: Unit | None, members: list[Member]) -> str:
    lines = [t("status.unit", name=unit.name, code=unit.code, kind={"_t": f"kind.{unit.kind}"})]
    if unit.category:
        lines.append(t("status.category", category={"_t": f"category.{unit.category}"},
                       sector=unit.sector or "-", township=unit.township or "-"))
    if department:
        lines.append(t("status.department", name=department.name))
    if unit.capabilities:
        lines.append(t("status.capabilities", items=list(unit.capabilities)))
    if unit.data_updated:
        lines.append(t("status.updated", date=unit.data_updated.isoformat()))
    lines.append(t("status.people", count=len(members)))
    lines.extend(member_line(t, m) for m in members)
    return "\n".join(lines)


def status_text(t: Texts, view: StatusView, *, private: bool) -> str:
    parts = []
    if view.unit is not None:
        parts.append(unit_block(t, view.unit, view.department, view.members))
    elif not private:
        parts.append(t("status.chat_unbound"))
    c = view.connection
    if c is not None:
        key = "status.ratio_ok" if c.meets_target else "status.ratio_low"
        parts.append(t(key, bound=c.bound, total=c.total, percent=f"{c.ratio * 100:.0f}",
                       target=f"{c.target * 100:.0f}"))
        if c.unbound:
            parts.append(join([t("status.unbound_list", count=len(c.unbound))] + [
                t("status.unbound_item", name=u.name, code=u.code) for u in c.unbound]))
    return "\n\n".join(parts) or t("status.private_hint")


def help_text(t: Texts, commands: list[str]) -> str:
    lines = [t("help.title")]
    lines.extend(t(f"help.cmd.{name}") for name in commands)
    return "\n".join(lines)


def import_report_text(t: Texts, report: ImportReport) -> str:
    if not report.changed:
        lines = [t("registry.no_changes")]
    else:
        lines = [t("registry.changes", count=sum(c.key != "unit_not_in_file"
                                                  for c in report.changes))]
    lines.extend(t(f"registry.{c.key}", **c.params) for c in report.changes)
    return "\n".join(lines)

