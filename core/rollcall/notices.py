"""The messages a roll-call produces: the call in each force's chat, the brigade's notice and
result, the missing called out."""

from __future__ import annotations

from core.notices import Action, Button, Mention, Notice, Priority, moment, text
from core.registry import Person, Unit
from core.rollcall.model import Answer, RollCall, RollCallKind


def mark(rc: RollCall) -> object:
    """A drill's or a spot-check's messages say so first; a routine roll-call's say nothing."""
    if rc.kind in (RollCallKind.DRILL, RollCallKind.SPOTCHECK):
        return text(f"rollcall.mark.{rc.kind}")
    return ""


def card(rc: RollCall, unit_id: int, state: dict[str, object] | None = None) -> Notice:
    assert rc.id is not None
    minutes = int((rc.deadline_at - rc.opened_at).total_seconds() // 60)
    buttons = () if state else ((Button("rollcall.btn.on_duty", Action.ROLLCALL_ON_DUTY,
                                        rc.id),),)
    return Notice("rollcall.call", {"id": rc.id, "minutes": minutes, "mark": mark(rc),
                                    "deadline": moment(rc.deadline_at), "state": state or ""},
                  unit_id=unit_id, buttons=buttons, priority=Priority.HIGH,
                  edit_key=f"rollcall:{rc.id}:f:{unit_id}", subject=f"rollcall:{rc.id}")


def opened(rc: RollCall, count: int, brigade: int) -> Notice:
    """The brigade learns a scheduled roll-call has gone out."""
    return Notice("rollcall.opened", {
        "id": rc.id, "count": count, "deadline": moment(rc.deadline_at),
        "kind": text(f"rollcall.kind.{rc.kind}")}, unit_id=brigade,
        subject=f"rollcall:{rc.id}")


def called_out(rc: RollCall, unit_id: int, heads: list[Person]) -> Notice:
    return Notice(
        "rollcall.missing", {"id": rc.id, "deadline": moment(rc.deadline_at), "mark": mark(rc)},
        unit_id=unit_id,
        mentions=tuple(Mention(p.tg_id, p.name) for p in heads), priority=Priority.HIGH,
        subject=f"rollcall:{rc.id}")


def _item(units: dict[int, Unit], a: Answer) -> dict[str, object]:
    name = units[a.unit_id].name if a.unit_id in units else str(a.unit_id)
    if a.answered_at is None:
        return text("rollcall.summary.missing_item", unit=name)
    return text("rollcall.summary.item", unit=name, by=a.answered_by_name,
                at=moment(a.answered_at))


def summary(rc: RollCall, answers: list[Answer], units: dict[int, Unit], brigade: int
            ) -> Notice:
    """The result, re-sent under the same key when a late answer comes."""
    on_time = [_item(units, a) for a in answers if a.on_time]
    late = [_item(units, a) for a in answers if a.answered and not a.on_time]
    missing = [_item(units, a) for a in answers if not a.answered]
    none = text("rollcall.summary.none")
    return Notice("rollcall.summary", {
        "id": rc.id, "kind": text(f"rollcall.kind.{rc.kind}"), "deadline": moment(rc.deadline_at),
        "total": len(answers), "n_on_time": len(on_time), "n_late": len(late),
        "n_missing": len(missing), "on_time": on_time or none, "late": late or none,
        "missing": missing or none}, unit_id=brigade, priority=Priority.HIGH,
        edit_key=f"rollcall:{rc.id}:summary", subject=f"rollcall:{rc.id}")
