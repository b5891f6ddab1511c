"""The messages a warning produces: the card in each force's chat, the board, reminders."""

from __future__ import annotations

from typing import Any

from core.notices import Action, Button, Notice, Priority, moment, text
from core.registry import Unit
from core.warnings.model import HAZARDS, Level, Warning, WarningStatus, WarningTarget

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


def card(w: Warning, issuer: Unit, target: WarningTarget, state: dict[str, Any]) -> Notice:
    """The warning in a force's chat; re-sent under the same key to show its state."""
    open_ = target.confirmed_at is None and state["_t"] == "warnings.state.open"
    return Notice(
        "warnings.card",
        {**head(w), "issuer": issuer.name, "by": w.issued_by_name,
         "area": w.area or text("warnings.area_all"), "text": w.text, "state": state},
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
