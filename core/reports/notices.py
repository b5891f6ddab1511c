"""Every message a report produces: the report to the county government, the copies (抄报) to
the bureau and the brigade with their buttons, the copies again once linked, and the word to
the reporting unit."""

from __future__ import annotations

from typing import Any

from core.dispatch.model import Incident
from core.notices import Action, Button, Notice, Priority, moment, text
from core.ports import UnitOfWork
from core.registry import Unit, UnitKind
from core.reports.model import Report

COPIED_TO = (UnitKind.BUREAU, UnitKind.BRIGADE)


def _params(report: Report, unit: Unit) -> dict[str, Any]:
    return {"id": report.id, "unit": unit.name, "by": report.reported_by_name,
            "at": moment(report.reported_at), "township": report.township,
            "text": report.text,
            "photo": text("reports.with_photo") if report.photo else ""}


def _copy(report: Report, unit: Unit, to: Unit, state: Any = "") -> Notice:
    assert report.id is not None
    buttons = ((Button("reports.btn.link", Action.REPORT_LINK, report.id),
                Button("reports.btn.open", Action.REPORT_OPEN, report.id)),)
    return Notice("reports.copy", {**_params(report, unit), "state": state}, unit_id=to.id,
                  buttons=buttons, priority=Priority.HIGH, edit_key=f"report:{report.id}",
                  subject=f"report:{report.id}", photo=report.photo)


async def _chain(uow: UnitOfWork, kinds: tuple[UnitKind, ...]) -> list[Unit]:
    return [u for kind in kinds for u in await uow.units.list(kind) if u.id is not None]


async def report_filed(uow: UnitOfWork, report: Report, unit: Unit) -> None:
    """To the county government, and in the same transaction the copies."""
    for gov in await _chain(uow, (UnitKind.GOVERNMENT,)):
        await uow.outbox.add(Notice("reports.report", _params(report, unit), unit_id=gov.id,
                                    priority=Priority.HIGH, subject=f"report:{report.id}",
                                    photo=report.photo))
    for to in await _chain(uow, COPIED_TO):
        await uow.outbox.add(_copy(report, unit, to))


async def report_linked(uow: UnitOfWork, report: Report, unit: Unit, incident: Incident,
                        opened: bool) -> None:
    """The copies say which incident the report belongs to; the reporting unit is told."""
    assert report.linked_at is not None
    state = text("reports.state.opened" if opened else "reports.state.linked",
                 incident=incident.id, title=incident.title, by=report.linked_by_name,
                 at=moment(report.linked_at))
    for to in await _chain(uow, COPIED_TO):
        await uow.outbox.add(_copy(report, unit, to, state))
    await uow.outbox.add(Notice("reports.linked", {
        "id": report.id, "incident": incident.id, "title": incident.title},
        unit_id=unit.id, subject=f"report:{report.id}"))
