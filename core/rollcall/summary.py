"""The roll-call result the brigade reads: sent at the deadline, edited when late answers come."""

from __future__ import annotations

from core.notices import Notice, Priority, moment, text
from core.registry import Unit, UnitKind
from core.rollcall.model import Answer, RollCall
from core.rollcall.ports import RollCallUnitOfWork


async def brigade_id(uow: RollCallUnitOfWork) -> int | None:
    found = await uow.units.list(UnitKind.BRIGADE)
    return found[0].id if found else None


def _item(units: dict[int, Unit], a: Answer) -> dict[str, object]:
    name = units[a.unit_id].name if a.unit_id in units else str(a.unit_id)
    if a.answered_at is None:
        return text("rollcall.summary.missing_item", unit=name)
    return text("rollcall.summary.item", unit=name, by=a.answered_by_name,
                at=moment(a.answered_at))


async def post_summary(uow: RollCallUnitOfWork, rc: RollCall) -> None:
    brigade = await brigade_id(uow)
    if brigade is None:
        return
    units = {u.id: u for u in await uow.units.list() if u.id is not None}
    answers = await uow.rollcalls.answers(rc.id or 0)
    on_time = [_item(units, a) for a in answers if a.on_time]
    late = [_item(units, a) for a in answers if a.answered and not a.on_time]
    missing = [_item(units, a) for a in answers if not a.answered]
    none = text("rollcall.summary.none")
    await uow.outbox.add(Notice("rollcall.summary", {
        "id": rc.id, "kind": text(f"rollcall.kind.{rc.kind}"), "deadline": moment(rc.deadline_at),
        "total": len(answers), "n_on_time": len(on_time), "n_late": len(late),
        "n_missing": len(missing), "on_time": on_time or none, "late": late or none,
        "missing": missing or none}, unit_id=brigade, priority=Priority.HIGH,
        edit_key=f"rollcall:{rc.id}:summary", subject=f"rollcall:{rc.id}"))
