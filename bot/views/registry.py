"""Texts for /status, /help and the registry import report."""

from __future__ import annotations

from bot.i18n import Texts, join
from core.notices import text
from core.registry import Member, Unit
from core.usecases.registry_import import ImportReport
from core.usecases.status import StatusView


def member_line(t: Texts, member: Member, *, phone: bool) -> str:
    roles = [t(f"role.{r.value}") for r in sorted(member.roles)]
    line = t("status.member", name=member.person.name, roles=roles)
    if phone and member.person.phone:
        line += t("status.phone", phone=member.person.phone)
    return line


def unit_block(t: Texts, unit: Unit, department: Unit | None, members: list[Member],
               *, phones: bool = False) -> str:
    lines = [t("status.unit", name=unit.name, code=unit.code, kind=text(f"kind.{unit.kind}"))]
    if unit.category:
        line = t("status.category", category=text(f"category.{unit.category}"))
        if unit.sector:
            line += t("status.sector", sector=unit.sector)
        if unit.township:
            line += t("status.township", township=unit.township)
        lines.append(line)
    if department:
        lines.append(t("status.department", name=department.name))
    if unit.capabilities:
        lines.append(t("status.capabilities", items=list(unit.capabilities)))
    if unit.data_updated:
        lines.append(t("status.updated", date=unit.data_updated.isoformat()))
    lines.append(t("status.people", count=len(members)))
    lines.extend(member_line(t, m, phone=phones) for m in members)
    if not phones and any(m.person.phone for m in members):
        lines.append(t("status.phones_hidden"))
    return "\n".join(lines)


def status_text(t: Texts, view: StatusView, *, private: bool) -> str:
    parts = []
    if view.unit is not None:
        parts.append(unit_block(t, view.unit, view.department, view.members,
                                phones=view.show_phones))
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

