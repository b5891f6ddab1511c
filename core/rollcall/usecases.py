"""Opening, answering and closing roll-calls; declaring a sensitive period."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.actor import Actor
from core.answers import first_wins
from core.clock import Clock
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.notices import moment, text
from core.registry import Unit, UnitKind
from core.rollcall import notices
from core.rollcall.config import RollCallConfig
from core.rollcall.model import Answer, RollCall, RollCallKind, SensitivePeriod
from core.rollcall.policies import CALL_ROLL
from core.rollcall.ports import RollCallUnitOfWork
from core.rollcall.summary import brigade_id, post_summary
from core.usecases.common import audit
from core.warnings.targets import TargetSpec, parse_targets, select_forces


async def _open(uow: RollCallUnitOfWork, kind: RollCallKind, spec: TargetSpec,
                slot: datetime | None, by: int | None, now: datetime,
                cfg: RollCallConfig) -> RollCall:
    forces, _ = select_forces(spec, await uow.units.list(UnitKind.FORCE))
    return await open_for(uow, RollCall(kind, str(spec), now, now + cfg.answer_window, slot, by),
                          forces)


async def open_for(uow: RollCallUnitOfWork, rc: RollCall, units: list[Unit]) -> RollCall:
    """Open ``rc`` for these bound units (forces, or departments for a spot-check of their
    duty): one card in each unit's chat, answered with the same button."""
    rc = await uow.rollcalls.add(rc, [Answer(0, u.id) for u in units if u.id is not None])
    for u in units:
        assert u.id is not None
        await uow.outbox.add(notices.card(rc, u.id))
    await audit(uow, None, "rollcall.opened", f"rollcall:{rc.id}", rc.opened_at,
                kind=rc.kind.value, scope=rc.scope, forces=len(units),
                slot=rc.slot_at.isoformat() if rc.slot_at else None, seed=rc.seed,
                incident=rc.incident_id)
    return rc


async def open_adhoc(uow: RollCallUnitOfWork, actor: Actor, scope: str, clock: Clock,
                     cfg: RollCallConfig) -> tuple[RollCall, int]:
    CALL_ROLL.require(actor)
    spec = parse_targets(scope) if scope.strip() else TargetSpec("all")
    forces, _ = select_forces(spec, await uow.units.list(UnitKind.FORCE))
    if not forces:
        raise DomainError("no_targets", targets=str(spec))
    rc = await _open(uow, RollCallKind.ADHOC, spec, None, actor.tg_id, clock.now(), cfg)
    await audit(uow, actor, "rollcall.called", f"rollcall:{rc.id}", clock.now())
    return rc, len(forces)


async def open_ordered(uow: RollCallUnitOfWork, spec: TargetSpec, by: int | None,
                       now: datetime, cfg: RollCallConfig, incident_id: int | None = None
                       ) -> tuple[RollCall, int] | None:
    """An ad hoc roll-call another feature orders (a response level that starts, a drill);
    the caller has let the actor in. Given a drill's incident, it is a drill roll-call, marked
    as such and counted apart. None when no bound force is concerned."""
    forces, _ = select_forces(spec, await uow.units.list(UnitKind.FORCE))
    if not forces:
        return None
    kind = RollCallKind.ADHOC if incident_id is None else RollCallKind.DRILL
    rc = RollCall(kind, str(spec), now, now + cfg.answer_window, None, by,
                  incident_id=incident_id)
    return await open_for(uow, rc, forces), len(forces)


async def open_scheduled(uow: RollCallUnitOfWork, slot: datetime, clock: Clock,
                         cfg: RollCallConfig) -> RollCall | None:
    """Open the roll-call of this cron slot unless it exists; the unique slot keeps it once."""
    if await uow.rollcalls.by_slot(slot) is not None:
        return None
    now = clock.now()
    rc = await _open(uow, RollCallKind.SCHEDULED, TargetSpec("all"), slot, None, now, cfg)
    brigade = await brigade_id(uow)
    if brigade is not None:
        count = len(await uow.rollcalls.answers(rc.id or 0))
        await uow.outbox.add(notices.opened(rc, count, brigade))
    return rc


async def answer_rollcall(uow: RollCallUnitOfWork, actor: Actor, rollcall_id: int,
                          clock: Clock) -> Answer:
    """The first answer per force counts; after the deadline (closed or not) it counts late."""
    actor.require_person()
    unit = actor.chat_unit
    rc, answer = await uow.rollcalls.with_answer(
        rollcall_id, unit.id if unit is not None and unit.id is not None else 0)
    if rc is None:
        raise NotFound("rollcall_unknown", id=rollcall_id)
    if answer is None or unit is None:
        raise NotAllowed("rollcall_not_target", id=rollcall_id)
    now = clock.now()

    def taken(first: Answer | None) -> Conflict:
        return Conflict("rollcall_already_answered", by=first.answered_by_name if first else "—",
                        at=first.answered_at if first and first.answered_at else now)

    if answer.answered:
        raise taken(answer)
    answer.answered_by, answer.answered_by_name = actor.tg_id, actor.display_name
    answer.answered_at, answer.on_time = now, now <= rc.deadline_at
    await first_wins(answer, uow.rollcalls.record_answer,
                     lambda: uow.rollcalls.answer_of(rollcall_id, unit.id or 0), taken)
    verdict = "rollcall.on_time" if answer.on_time else "rollcall.late"
    await uow.outbox.add(notices.card(rc, unit.id or 0, text(
        "rollcall.state.answered", by=actor.display_name, at=moment(now),
        verdict=text(verdict))))
    if rc.closed_at is not None:  # the brigade's result already went out: show the late one
        await post_summary(uow, rc)
    await audit(uow, actor, "rollcall.answered", f"rollcall:{rc.id}", now, unit=unit.code,
                on_time=answer.on_time)
    return answer


async def declare_sensitive(uow: RollCallUnitOfWork, actor: Actor, days: int,
                            clock: Clock) -> SensitivePeriod | None:
    """`/sensitive 7`: daily roll-calls for 7 days from now; `/sensitive 0` ends it."""
    CALL_ROLL.require(actor)
    if not 0 <= days <= 366:
        raise DomainError("usage", usage="/sensitive <0-366>")
    now = clock.now()
    period = None
    if days == 0:
        await uow.rollcalls.end_periods(now)
    else:
        period = SensitivePeriod(now, now + timedelta(days=days), actor.tg_id or 0)
        await uow.rollcalls.add_period(period)
    await audit(uow, actor, "rollcall.sensitive_period", "rollcall:period", now, days=days)
    return period


async def period_active(uow: RollCallUnitOfWork, now: datetime, cfg: RollCallConfig) -> bool:
    """Flood season, a sensitive period (/sensitive), or the bureau's special period (/period
    of the dispatch feature), or a response level in force that asks for daily roll-calls
    (core.response); the last two looked up by duck typing so that no feature imports another."""
    if cfg.in_flood_season(now) or await uow.rollcalls.period_at(now) is not None:
        return True
    special = getattr(uow, "periods", None)
    if special is not None and await special.active(now) is not None:
        return True
    responses = getattr(uow, "responses", None)
    return responses is not None and bool(await responses.daily_rollcall_at())
