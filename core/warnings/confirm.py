"""Confirmations (已收到) and the reminder sweep."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from core.actor import Actor
from core.answers import first_wins, own_target
from core.clock import Clock
from core.errors import Conflict, NotAllowed, NotFound
from core.notices import Mention, moment, text
from core.registry import Role
from core.usecases.common import audit
from core.warnings import notices
from core.warnings.config import WarningConfig
from core.warnings.model import Warning, WarningTarget
from core.warnings.ports import WarningUnitOfWork
from core.warnings.usecases import brigade_id, post_board, units_by_id


async def confirm_warning(
    uow: WarningUnitOfWork, actor: Actor, warning_id: int, clock: Clock
) -> Warning:
    """The first press per force counts. After cancel or expiry nothing is recorded: the
    person is told the warning is no longer active (a late "received" would flatter the record).
    """
    actor.require_person()
    w = await uow.warnings.get(warning_id)
    if w is None:
        raise NotFound("warning_unknown", id=warning_id)

    async def find(unit_id: int) -> WarningTarget | None:
        return await uow.warnings.target(warning_id, unit_id)

    def taken(first: WarningTarget | None) -> Conflict:
        if first is None or first.confirmed_at is None:  # cancelled between read and write
            return Conflict("warning_inactive", id=warning_id)
        return Conflict("warning_already_confirmed", by=first.confirmed_by_name,
                        at=first.confirmed_at)

    unit, target = await own_target(actor, find, NotAllowed("warning_not_target",
                                                            id=warning_id))
    if target.confirmed:
        raise taken(target)
    now = clock.now()
    if not w.is_active(now):
        raise Conflict("warning_inactive", id=warning_id)
    assert actor.tg_id is not None
    target.confirmed_by, target.confirmed_by_name = actor.tg_id, actor.display_name
    target.confirmed_at, target.next_reminder_at = now, None
    await first_wins(target, uow.warnings.confirm_target, lambda: find(unit.id or 0), taken)
    units = await units_by_id(uow)
    await uow.outbox.add(notices.card(w, units, target, text(
        "warnings.state.confirmed", by=actor.display_name, at=moment(now))))
    await post_board(uow, w, await uow.warnings.targets(warning_id))
    await audit(uow, actor, "warning.confirmed", f"warning:{w.id}", now, unit=unit.code)
    return w


async def _duty_mentions(uow: WarningUnitOfWork, unit_id: int) -> tuple[Mention, ...]:
    members = await uow.people.members(unit_id)
    return tuple(Mention(m.person.tg_id, m.person.name) for m in members
                 if Role.DUTY_OFFICER in m.roles or Role.HEAD in m.roles)


async def remind_due(uow: WarningUnitOfWork, clock: Clock, cfg: WarningConfig) -> int:
    """Remind every unconfirmed force whose time has come; report the silent once. Idempotent:
    each reminder moves next_reminder_at on in the same commit."""
    now = clock.now()
    due = await uow.warnings.due_reminders(now)
    if not due:
        return 0
    silent: dict[int, list[WarningTarget]] = defaultdict(list)
    cache: dict[int, Warning | None] = {}
    for t in due:
        if t.warning_id not in cache:
            cache[t.warning_id] = await uow.warnings.get(t.warning_id)
        w = cache[t.warning_id]
        every = cfg.interval(w.level) if w else None
        if w is None or every is None or not w.is_active(now):
            t.next_reminder_at = None
            await uow.warnings.update_target(t)
            continue
        t.reminders += 1
        report = t.reminders >= cfg.reminders_before_report and not t.reported
        t.reported = t.reported or report
        t.next_reminder_at = _next(w, now, cfg.next_interval(w.level, t.reported))
        if not await uow.warnings.update_target(t):
            continue  # confirmed since it was read: no reminder, no report
        if report:
            silent[t.warning_id].append(t)
        await uow.outbox.add(notices.reminder(w, t, await _duty_mentions(uow, t.unit_id)))
        await audit(uow, None, "warning.reminded", f"warning:{w.id}", now, unit_id=t.unit_id,
                    count=t.reminders)
    await _report_silent(uow, silent, cache, cfg, now)
    return len(due)


def _next(w: Warning, now: datetime, every: timedelta | None) -> datetime | None:
    """None once there is nothing left to remind: a reminder never outlives the warning."""
    if every is None or now + every >= w.valid_until:
        return None
    return now + every


async def _report_silent(uow: WarningUnitOfWork, silent: dict[int, list[WarningTarget]],
                         warnings: dict[int, Warning | None], cfg: WarningConfig,
                         now: datetime) -> None:
    brigade = await brigade_id(uow)
    if brigade is None or not silent:
        return
    units = await units_by_id(uow)
    for warning_id, targets in silent.items():
        w = warnings[warning_id]
        assert w is not None
        names = [units[t.unit_id].name for t in targets if t.unit_id in units]
        await uow.outbox.add(notices.silent_report(w, names, brigade,
                                                   cfg.reminders_before_report))
        # The report is a step of its own: an upgrade restarts the reminder count, not this.
        await audit(uow, None, "warning.silent_reported", f"warning:{w.id}", now,
                    units=[t.unit_id for t in targets], names=names)


async def expire_due(uow: WarningUnitOfWork, clock: Clock) -> int:
    """Close warnings past their validity: boards show it, cards lose their button. Once."""
    expired = await uow.warnings.expired_open(clock.now())
    if not expired:
        return 0
    units = await units_by_id(uow)
    for w in expired:
        w.closed_at = w.valid_until
        if not await uow.warnings.update(w, w.level):
            continue  # cancelled or raised since it was read: that step has its own notices
        targets = await uow.warnings.targets(w.id or 0)
        for t in targets:
            if not t.confirmed:
                t.next_reminder_at = None
                await uow.warnings.update_target(t)
                await uow.outbox.add(notices.card(w, units, t,
                                                  text("warnings.state.expired")))
        await post_board(uow, w, targets)
        await audit(uow, None, "warning.expired", f"warning:{w.id}", clock.now())
    return len(expired)
