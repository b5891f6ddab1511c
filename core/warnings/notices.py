"""The messages a warning produces: the card in each force's chat, the board, reminders."""

from __future__ import annotations

from typing import Any

from core.errors import DomainError
from core.notices import TEXT, Action, Button, Mention, Notice, Priority, moment, text
from core.registry import Unit, UnitKind
from core.warnings.model import HAZARDS, Level, Warning, WarningStatus, WarningTarget
from core.warnings.targets import TargetSpec, parse_targets

PRIORITY = {Level.RED: Priority.CRITICAL, Level.ORANGE: Priority.HIGH}


def priority(level: Level) -> Priority:
    return PRIORITY.get(level, Priority.NORMAL)


def hazard(value: str) -> Any:
    return text(f"warnings.hazard.{value}") if value in HAZARDS else value


def head(w: Warning) -> dict[str, Any]:
    """Parameters every warning text shares."""
    return {"id": w.id, "level": text(f"warnings.level.{w.level}"), "hazard": hazard(w.hazard),
            "icon": text(f"warnings.icon.{w.level}"), "until": moment(w.valid_until)}


def confirm_button(w: Warning) -> tuple[tuple[Button, ...], ...]:
    assert w.id is not None
    return ((Button("warnings.btn.confirm", Action.WARNING_CONFIRM, w.id),),)


def targeted_area(spec: TargetSpec, units: dict[int, Unit]) -> Any:
    """The area the targets cover, in words: 全县 only when the whole county was warned."""
    if spec.kind == "township":
        return list(spec.values)
    if spec.kind == "category":
        return text("warnings.area.category",
                    names=[text(f"category.{v}") for v in spec.values])
    if spec.kind == "sector":
        depts = {u.sector: u.name for u in units.values()
                 if u.kind is UnitKind.DEPARTMENT and u.sector}
        return text("warnings.area.sector", names=[depts.get(v, v) for v in spec.values])
    if spec.kind == "force":
        forces = {u.code: u.name for u in units.values()}
        return text("warnings.area.force", names=[forces.get(v, v) for v in spec.values])
    return text("warnings.area_all")


def area(w: Warning, units: dict[int, Unit]) -> Any:
    """What the issuer wrote as the area, else the area of the targets."""
    if w.area:
        return w.area
    try:
        return targeted_area(parse_targets(w.targets), units)
    except DomainError:  # written before targets were checked: show them as they are
        return w.targets


def card(w: Warning, units: dict[int, Unit], target: WarningTarget, state: dict[str, Any]
         ) -> Notice:
    """The warning in a force's chat; re-sent under the same key to show its state."""
    open_ = target.confirmed_at is None and state.get(TEXT) == "warnings.state.open"
    issuer = units[w.issuer_unit_id]
    return Notice(
        "warnings.card",
        {**head(w), "issuer": issuer.name, "by": w.issued_by_name,
         "area": area(w, units), "text": w.text, "state": state},
        unit_id=target.unit_id, buttons=confirm_button(w) if open_ else (),
        priority=priority(w.level), edit_key=f"warning:{w.id}:f:{target.unit_id}",
        subject=f"warning:{w.id}",
    )


def state_of(w: Warning) -> str:
    if w.status is WarningStatus.CANCELLED:
        return "warnings.state.cancelled"
    return "warnings.state.expired" if w.closed_at is not None else "warnings.state.open"


def issuer_buttons(w: Warning) -> tuple[tuple[Button, ...], ...]:
    """On the issuer's own board, while the warning is open: raise one level, or cancel."""
    assert w.id is not None
    row = [Button("warnings.btn.cancel", Action.WARNING_CANCEL, w.id)]
    if w.level is not Level.RED:
        row.insert(0, Button("warnings.btn.upgrade", Action.WARNING_UPGRADE, w.id))
    return (tuple(row),)


def board(w: Warning, issuer: Unit, targets: list[WarningTarget], units: dict[int, Unit],
          recipients: list[int]) -> list[Notice]:
    confirmed = [t for t in targets if t.confirmed]
    silent = [units[t.unit_id].name for t in targets if not t.confirmed and t.unit_id in units]
    state = state_of(w)
    buttons = issuer_buttons(w) if state == "warnings.state.open" else ()
    params = {**head(w), "issuer": issuer.name, "confirmed": len(confirmed),
              "total": len(targets), "state": text(state),
              "silent": text("warnings.board.silent", names=silent[:40],
                                       count=len(silent)) if silent else ""}
    return [Notice("warnings.board", params, unit_id=u, priority=Priority.NORMAL,
                   edit_key=f"warning:{w.id}:board", subject=f"warning:{w.id}",
                   buttons=buttons if u == w.issuer_unit_id else ())
            for u in dict.fromkeys(recipients)]


def upgraded(w: Warning, target: WarningTarget, old: Level) -> Notice:
    """The raised level, to every force; who has not confirmed yet is asked again."""
    return Notice(
        "warnings.upgraded", {**head(w), "old": text(f"warnings.level.{old}"), "text": w.text},
        unit_id=target.unit_id, priority=priority(w.level), subject=f"warning:{w.id}",
        buttons=() if target.confirmed else confirm_button(w))


def cancelled(w: Warning, target: WarningTarget) -> Notice:
    return Notice("warnings.cancelled", head(w), unit_id=target.unit_id,
                  priority=priority(w.level), subject=f"warning:{w.id}")


def reminder(w: Warning, target: WarningTarget, mentions: tuple[Mention, ...]) -> Notice:
    return Notice(
        "warnings.reminder", {**head(w), "count": target.reminders}, unit_id=target.unit_id,
        buttons=confirm_button(w), priority=priority(w.level), mentions=mentions,
        subject=f"warning:{w.id}")


def silent_report(w: Warning, names: list[str], brigade: int, reminders: int) -> Notice:
    """To the brigade: the forces still silent after every reminder."""
    return Notice(
        "warnings.silent_report", {**head(w), "names": names, "count": len(names),
                                   "reminders": reminders},
        unit_id=brigade, priority=Priority.HIGH, subject=f"warning:{w.id}")
