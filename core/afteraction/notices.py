"""Every notice of the after-action reports: the Word document, in the chats it is written
for, with a line saying which incident and which version it is."""

from __future__ import annotations

from core.afteraction.model import Reason, ReportRequest
from core.afteraction.ports import AfterActionUnitOfWork
from core.dispatch.model import Incident
from core.dispatch.notify.common import drill
from core.notices import Notice, Priority, moment, text
from core.registry import UnitKind

# Who gets the report: the county government it is written for, the bureau, the brigade
# (and the incident's HQ, when one was named).
RECIPIENTS = (UnitKind.GOVERNMENT, UnitKind.BUREAU, UnitKind.BRIGADE)


async def report_sent(uow: AfterActionUnitOfWork, incident: Incident, request: ReportRequest,
                      file_id: int) -> int:
    """The document with its message, once per chat; returns how many chats it goes to."""
    params = dict(id=incident.id, title=incident.title, drill=drill(incident),
                  version=request.version,
                  again=text(f"afteraction.sent.{request.reason}", version=request.version)
                  if request.version > 1 or request.reason is not Reason.CLOSED else "",
                  at=moment(request.built_at or request.requested_at))
    targets: list[int] = []
    for kind in RECIPIENTS:
        targets += [u.id for u in await uow.units.list(kind) if u.id is not None][:1]
    if incident.hq_unit_id is not None and incident.hq_unit_id not in targets:
        targets.append(incident.hq_unit_id)
    for unit_id in targets:
        await uow.outbox.add(Notice("afteraction.sent", params, unit_id=unit_id,
                                    priority=Priority.NORMAL, document=file_id))
    return len(targets)
