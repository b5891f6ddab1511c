"""Issuing, upgrading and cancelling warnings: policy, state, audit and notices in one commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.actor import Actor
from core.clock import Clock
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.notices import moment, text
from core.registry import Unit, UnitKind
from core.usecases.common import audit
from core.warnings import notices
from core.warnings.config import WarningConfig
from core.warnings.model import Level, Warning, WarningStatus, WarningTarget
from core.warnings.policies import ISSUE_WARNING
from core.warnings.ports import WarningUnitOfWork
from core.warnings.request import WarningRequest
from core.warnings.targets import select_forces


@dataclass
class Issued:
    warning: Warning
    reached: int
    unreachable: list[Unit]


def issuer_unit(actor: Actor) -> Unit:
    return ISSUE_WARNING.require(actor)


async def units_by_id(uow: WarningUnitOfWork) -> dict[int, Unit]:
    return {u.id: u for u in await uow.units.list() if u.id is not None}


async def brigade_id(uow: WarningUnitOfWork) -> int | None:
    found = await uow.units.list(UnitKind.BRIGADE)
    return found[0].id if found else None


async def board_recipients(uow: WarningUnitOfWork, w: Warning) -> list[int]:
    brigade = await brigade_id(uow)
    return [w.issuer_unit_id] + ([brigade] if brigade is not None else [])


async def post_board(uow: WarningUnitOfWork, w: Warning, targets: list[WarningTarget]) -> None:
    units = await units_by_id(uow)
    for notice in notices.board(w, units[w.issuer_unit_id], targets, units,
                                await board_recipients(uow, w)):
        await uow.outbox.add(notice)


async def issue_warning(
    uow: WarningUnitOfWork, actor: Actor, req: WarningRequest, clock: Clock, cfg: WarningConfig
) -> Issued:
    unit = issuer_unit(actor)
    if not 1 <= req.valid_hours <= cfg.max_valid_hours:
        raise DomainError("bad_hours", value=req.valid_hours)
    forces, unreachable = select_forces(req.targets, await uow.units.list(UnitKind.FORCE))
    if not forces:
        raise DomainError("no_targets", targets=str(req.targets))
    now = clock.now()
    assert unit.id is not None and actor.tg_id is not None
    w = Warning(unit.id, actor.tg_id, actor.display_name, req.hazard, req.level, req.area,
                req.text, str(req.targets), now, now + timedelta(hours=req.valid_hours),
                initial_level=req.level)
    every = cfg.interval(req.level)
    targets = [WarningTarget(0, f.id, next_reminder_at=now + every if every else None)
               for f in forces if f.id is not None]
    w = await uow.warnings.add(w, targets)
    units = await units_by_id(uow)
    for t in targets:
        t.warning_id = w.id or 0
        await uow.outbox.add(notices.card(w, units, t, text("warnings.state.open")))
    await post_board(uow, w, targets)
    await audit(uow, actor, "warning.issued", f"warning:{w.id}", now, level=w.level.value,
                hazard=w.hazard, targets=w.targets, forces=len(targets))
    return Issued(w, len(targets), unreachable)


async def _own_active(uow: WarningUnitOfWork, actor: Actor, warning_id: int,
                      clock: Clock) -> Warning:
    unit = issuer_unit(actor)
    w = await uow.warnings.get(warning_id)
    if w is None:
        raise NotFound("warning_unknown", id=warning_id)
    if w.issuer_unit_id != unit.id:
        raise NotAllowed("warning_not_yours", id=warning_id)
    if not w.is_active(clock.now()):
        raise Conflict("warning_inactive", id=warning_id)
    return w


async def upgrade_warning(
    uow: WarningUnitOfWork, actor: Actor, warning_id: int, level: Level | None, clock: Clock,
    cfg: WarningConfig,
) -> Warning:
    """To ``level``, or one level up when None (the board's button)."""
    w = await _own_active(uow, actor, warning_id, clock)
    level = level or w.level.raised()
    if level.rank <= w.level.rank:
        raise Conflict("warning_not_higher", id=warning_id,
                       level=text(f"warnings.level.{w.level}"))
    now, old = clock.now(), w.level
    w.level = level
    if not await uow.warnings.update(w, old):
        raise Conflict("warning_inactive", id=warning_id)
    targets = await uow.warnings.targets(warning_id)
    every = cfg.interval(level)
    for t in targets:
        if not t.confirmed:  # confirmations stand; the silent start a new, faster cycle
            t.reminders, t.reported = 0, False
            t.next_reminder_at = now + every if every else None
            await uow.warnings.update_target(t)
        await uow.outbox.add(notices.upgraded(w, t, old))
    await post_board(uow, w, targets)
    await audit(uow, actor, "warning.upgraded", f"warning:{w.id}", now, old=old.value,
                new=level.value)
    return w


async def cancel_warning(
    uow: WarningUnitOfWork, actor: Actor, warning_id: int, clock: Clock
) -> Warning:
    w = await _own_active(uow, actor, warning_id, clock)
    now = clock.now()
    w.status, w.closed_at = WarningStatus.CANCELLED, now
    if not await uow.warnings.update(w, w.level):
        raise Conflict("warning_inactive", id=warning_id)
    targets = await uow.warnings.targets(warning_id)
    units = await units_by_id(uow)
    for t in targets:
        if t.next_reminder_at is not None:
            t.next_reminder_at = None
            await uow.warnings.update_target(t)
        await uow.outbox.add(notices.cancelled(w, t))
        state = text("warnings.state.cancelled")
        if t.confirmed_at is not None:  # the card keeps who confirmed, and when
            state = text("warnings.state.then", first=text(
                "warnings.state.confirmed", by=t.confirmed_by_name, at=moment(t.confirmed_at)),
                then=state)
        await uow.outbox.add(notices.card(w, units, t, state))
    await post_board(uow, w, targets)
    await audit(uow, actor, "warning.cancelled", f"warning:{w.id}", now)
    return w
