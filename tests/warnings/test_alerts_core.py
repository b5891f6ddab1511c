"""Warnings and roll-calls in core alone, over small in-memory fakes: no bot, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.actor import Actor
from core.audit import AuditEntry
from core.clock import ControllableClock
from core.errors import Conflict, DomainError, NotAllowed
from core.notices import Notice
from core.registry import ForceCategory, Grant, Member, Person, Role, Unit, UnitKind
from core.rollcall.close import close_due
from core.rollcall.config import RollCallConfig, parse_season
from core.rollcall.model import Answer, RollCall, SensitivePeriod
from core.rollcall.usecases import answer_rollcall, open_scheduled
from core.warnings.config import WarningConfig
from core.warnings.confirm import confirm_warning, expire_due, remind_due
from core.warnings.model import Level, Warning, WarningTarget
from core.warnings.request import parse_warn_line
from core.warnings.targets import TargetSpec, parse_targets, select_forces
from core.warnings.usecases import cancel_warning, issue_warning, upgrade_warning

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


class Units:
    def __init__(self, units: list[Unit]) -> None:
        self.all = units

    async def get(self, unit_id: int) -> Unit | None:
        return next((u for u in self.all if u.id == unit_id), None)

    async def list(self, kind: UnitKind | None = None) -> list[Unit]:
        return [u for u in self.all if kind is None or u.kind is kind]


class People:
    async def members(self, unit_id: int) -> list[Member]:
        return [Member(Person(unit_id * 10, f"head{unit_id}"), frozenset({Role.HEAD}))]


class Outbox(list[Notice]):
    async def add(self, notice: Notice) -> None:
        self.append(notice)


class Warnings:
    def __init__(self) -> None:
        self.rows: dict[int, Warning] = {}
        self.targets_: dict[tuple[int, int], WarningTarget] = {}

    async def add(self, w: Warning, targets: list[WarningTarget]) -> Warning:
        w.id = len(self.rows) + 1
        self.rows[w.id] = replace(w)
        for t in targets:
            self.targets_[(w.id, t.unit_id)] = replace(t, warning_id=w.id)
        return w

    async def get(self, warning_id: int) -> Warning | None:
        w = self.rows.get(warning_id)
        return replace(w) if w else None

    async def update(self, w: Warning, was: Level) -> bool:
        stored = self.rows[w.id or 0]
        if stored.status != "active" or stored.closed_at is not None or stored.level != was:
            return False
        self.rows[w.id or 0] = replace(w)
        return True

    async def targets(self, warning_id: int) -> list[WarningTarget]:
        return [replace(t) for (w, _), t in sorted(self.targets_.items()) if w == warning_id]

    async def target(self, warning_id: int, unit_id: int) -> WarningTarget | None:
        found = self.targets_.get((warning_id, unit_id))
        return replace(found) if found is not None else None

    async def update_target(self, t: WarningTarget) -> bool:
        stored = self.targets_[(t.warning_id, t.unit_id)]
        if stored.confirmed_at is not None:
            return False
        self.targets_[(t.warning_id, t.unit_id)] = replace(
            stored, reminders=t.reminders, next_reminder_at=t.next_reminder_at,
            reported=t.reported)
        return True

    async def confirm_target(self, t: WarningTarget) -> bool:
        w = self.rows[t.warning_id]
        if self.targets_[(t.warning_id, t.unit_id)].confirmed_at is not None or (
                w.status != "active" or w.closed_at is not None):
            return False
        self.targets_[(t.warning_id, t.unit_id)] = replace(t)
        return True

    async def expired_open(self, now: datetime) -> list[Warning]:
        return [replace(w) for w in self.rows.values() if w.status == "active"
                and w.closed_at is None and w.valid_until <= now]

    async def due_reminders(self, now: datetime) -> list[WarningTarget]:
        return [replace(t) for t in self.targets_.values() if t.next_reminder_at
                and t.next_reminder_at <= now and t.confirmed_at is None]


class RollCalls:
    def __init__(self) -> None:
        self.rows: dict[int, RollCall] = {}
        self.answers_: dict[tuple[int, int], Answer] = {}

    async def add(self, rc: RollCall, answers: list[Answer]) -> RollCall:
        assert rc.slot_at is None or all(r.slot_at != rc.slot_at for r in self.rows.values())
        rc.id = len(self.rows) + 1
        self.rows[rc.id] = replace(rc)
        for a in answers:
            self.answers_[(rc.id, a.unit_id)] = replace(a, rollcall_id=rc.id)
        return rc

    async def get(self, rollcall_id: int) -> RollCall | None:
        rc = self.rows.get(rollcall_id)
        return replace(rc) if rc else None

    async def by_slot(self, slot: datetime) -> RollCall | None:
        return next((replace(r) for r in self.rows.values() if r.slot_at == slot), None)

    async def update(self, rc: RollCall) -> None:
        self.rows[rc.id or 0] = replace(rc)

    async def answers(self, rollcall_id: int) -> list[Answer]:
        return [replace(a) for (r, _), a in sorted(self.answers_.items()) if r == rollcall_id]

    async def answer_of(self, rollcall_id: int, unit_id: int) -> Answer | None:
        found = self.answers_.get((rollcall_id, unit_id))
        return replace(found) if found else None

    async def with_answer(self, rollcall_id: int,
                          unit_id: int) -> tuple[RollCall | None, Answer | None]:
        rc = await self.get(rollcall_id)
        return rc, await self.answer_of(rollcall_id, unit_id) if rc else None

    async def record_answer(self, a: Answer) -> bool:
        if self.answers_[(a.rollcall_id, a.unit_id)].answered_at is not None:
            return False
        self.answers_[(a.rollcall_id, a.unit_id)] = replace(a)
        return True

    async def due_to_close(self, now: datetime) -> list[RollCall]:
        return [replace(r) for r in self.rows.values() if r.closed_at is None
                and r.deadline_at <= now]

    async def period_at(self, moment: datetime) -> SensitivePeriod | None:
        return None


class AuditList(list[AuditEntry]):
    async def append(self, entry: AuditEntry) -> None:  # type: ignore[override]
        super().append(entry)


class Uow:
    def __init__(self, units: list[Unit]) -> None:
        self.units, self.people, self.outbox = Units(units), People(), Outbox()
        self.audit = AuditList()
        self.warnings, self.rollcalls, self.commits = Warnings(), RollCalls(), 0

    async def commit(self) -> None:
        self.commits += 1

    async def rollback(self) -> None:
        pass


def county() -> list[Unit]:
    def force(i: int, code: str, cat: ForceCategory, town: str, bound: bool = True) -> Unit:
        return Unit(code, UnitKind.FORCE, f"F{i}", id=i, category=cat, township=town,
                    chat_id=-i if bound else None)

    return [Unit("brigade", UnitKind.BRIGADE, "Brigade", id=1, chat_id=-1),
            Unit("dept-meteo", UnitKind.DEPARTMENT, "Meteo", id=2, chat_id=-2),
            force(3, "f-a", ForceCategory.GOVERNMENT, "城关镇"),
            force(4, "f-b", ForceCategory.GOVERNMENT, "石桥镇"),
            force(5, "f-c", ForceCategory.ENTERPRISE, "城关镇"),
            force(6, "f-d", ForceCategory.GOVERNMENT, "城关镇", bound=False)]


def make_uow() -> Any:
    """Typed loosely: the fakes implement only what these use cases call."""
    return Uow(county())


def issuer(uow: Any, unit_id: int = 2) -> Actor:
    unit = next(u for u in uow.units.all if u.id == unit_id)
    return Actor(7, unit.chat_id or 0, chat_unit=unit, display_name="Issuer",
                 grants=(Grant(1, unit_id, Role.WARNING_ISSUER),))


def member(uow: Any, unit_id: int, tg: int = 30) -> Actor:
    unit = next(u for u in uow.units.all if u.id == unit_id)
    return Actor(tg, unit.chat_id or 0, chat_unit=unit, display_name=f"M{tg}")


def test_targets_and_one_line_form() -> None:
    assert parse_targets("category：government，enterprise") == TargetSpec(
        "category", ("government", "enterprise"))
    assert str(parse_targets("全部")) == "all"
    for bad in ("category:martians", "everyone", "force:"):
        with pytest.raises(DomainError):
            parse_targets(bad)
    req = parse_warn_line("红 暴雨 township:城关镇 12 今夜 有 暴雨")
    assert (req.level, req.valid_hours, req.text) == (Level.RED, 12.0, "今夜 有 暴雨")
    with pytest.raises(DomainError, match="bad_hours"):
        parse_warn_line("red 暴雨 all zero text")
    reached, unreachable = select_forces(parse_targets("township:城关镇"), county())
    assert [u.code for u in reached] == ["f-a", "f-c"] and [u.code for u in unreachable] == ["f-d"]


async def test_warning_cycle_reminds_reports_once_and_stops() -> None:
    uow, clock = make_uow(), ControllableClock(T0, ticking=False)
    cfg = WarningConfig(reminders_before_report=2)
    req = parse_warn_line("red 暴雨 category:government 1 text")
    issued = await issue_warning(uow, issuer(uow), req, clock, cfg)
    assert issued.reached == 2 and [u.code for u in issued.unreachable] == ["f-d"]
    wid = issued.warning.id or 0
    await confirm_warning(uow, member(uow, 3), wid, clock)
    with pytest.raises(Conflict, match="warning_already_confirmed"):
        await confirm_warning(uow, member(uow, 3, 31), wid, clock)
    with pytest.raises(NotAllowed):
        await confirm_warning(uow, member(uow, 5), wid, clock)
    for _ in range(2):
        clock.advance(timedelta(minutes=5))
        assert await remind_due(uow, clock, cfg) == 1
        assert await remind_due(uow, clock, cfg) == 0
    # Reported now: the next reminder would be an hour on, after the warning's hour is over.
    clock.advance(timedelta(minutes=5))
    assert await remind_due(uow, clock, cfg) == 0
    reminders = [n for n in uow.outbox if n.template == "warnings.reminder"]
    assert {n.unit_id for n in reminders} == {4} and len(reminders) == 2
    reports = [n for n in uow.outbox if n.template == "warnings.silent_report"]
    assert len(reports) == 1 and reports[0].unit_id == 1 and reports[0].params["names"] == ["F4"]
    clock.advance(timedelta(hours=1))  # expired
    await remind_due(uow, clock, cfg)
    assert len([n for n in uow.outbox if n.template == "warnings.reminder"]) == 2
    with pytest.raises(Conflict, match="warning_inactive"):
        await confirm_warning(uow, member(uow, 4), wid, clock)


async def test_upgrade_restarts_cycle_and_cancel_stops_it() -> None:
    uow, clock = make_uow(), ControllableClock(T0, ticking=False)
    cfg = WarningConfig()
    req = parse_warn_line("blue 大风 all 24 text")
    w = (await issue_warning(uow, issuer(uow), req, clock, cfg)).warning
    assert all(t.next_reminder_at is None for t in await uow.warnings.targets(w.id or 0))
    with pytest.raises(NotAllowed, match="warning_not_yours"):
        await cancel_warning(uow, issuer(uow, 1), w.id or 0, clock)
    await upgrade_warning(uow, issuer(uow), w.id or 0, Level.RED, clock, cfg)
    with pytest.raises(Conflict, match="warning_not_higher"):
        await upgrade_warning(uow, issuer(uow), w.id or 0, Level.ORANGE, clock, cfg)
    due = [t.next_reminder_at for t in await uow.warnings.targets(w.id or 0)]
    assert due == [T0 + timedelta(minutes=5)] * 3
    upgrades = [n for n in uow.outbox if n.template == "warnings.upgraded"]
    assert len(upgrades) == 3 and upgrades[0].params["old"]["_t"] == "warnings.level.blue"
    await cancel_warning(uow, issuer(uow), w.id or 0, clock)
    clock.advance(timedelta(minutes=30))
    assert await remind_due(uow, clock, cfg) == 0


async def test_scheduled_rollcall_opens_once_and_closes_once() -> None:
    uow, clock = make_uow(), ControllableClock(T0, ticking=False)
    cfg = RollCallConfig()
    slot = T0 - timedelta(minutes=1)
    rc = await open_scheduled(uow, slot, clock, cfg)
    assert rc is not None and await open_scheduled(uow, slot, clock, cfg) is None
    assert len([n for n in uow.outbox if n.template == "rollcall.call"]) == 3
    await answer_rollcall(uow, member(uow, 3), rc.id or 0, clock)
    clock.advance(timedelta(minutes=11))
    assert await close_due(uow, clock) == 1 and await close_due(uow, clock) == 0
    late = await answer_rollcall(uow, member(uow, 4), rc.id or 0, clock)
    assert late.on_time is False
    summaries = [n for n in uow.outbox if n.template == "rollcall.summary"]
    assert [(s.params["n_on_time"], s.params["n_late"], s.params["n_missing"])
            for s in summaries] == [(1, 0, 2), (1, 1, 1)]
    missing = [n for n in uow.outbox if n.template == "rollcall.missing"]
    assert {n.unit_id for n in missing} == {4, 5} and missing[0].mentions[0].name == "head4"


def test_flood_season_is_read_in_local_time() -> None:
    cfg = RollCallConfig(flood_season=parse_season("06-01..09-30"))
    assert cfg.in_flood_season(datetime(2026, 5, 31, 16, 30, tzinfo=UTC))  # 1 Jun 00:30 local
    assert not cfg.in_flood_season(datetime(2026, 9, 30, 16, 30, tzinfo=UTC))
    assert parse_season("") is None


async def test_expiry_closes_once_and_board_button_raises_one_level() -> None:
    uow, clock = make_uow(), ControllableClock(T0, ticking=False)
    req = parse_warn_line("yellow 大风 force:f-a,f-b 2 text")
    w = (await issue_warning(uow, issuer(uow), req, clock, WarningConfig())).warning
    w = await upgrade_warning(uow, issuer(uow), w.id or 0, None, clock, WarningConfig())
    assert w.level is Level.ORANGE and Level.RED.raised() is Level.RED
    await confirm_warning(uow, member(uow, 3), w.id or 0, clock)
    clock.advance(timedelta(hours=2))
    assert await expire_due(uow, clock) == 1 and await expire_due(uow, clock) == 0
    cards = [n for n in uow.outbox if n.edit_key == f"warning:{w.id}:f:4"]
    assert cards[-1].params["state"]["_t"] == "warnings.state.expired" and not cards[-1].buttons
    assert not [n for n in uow.outbox if n.edit_key == f"warning:{w.id}:f:3"
                and n.params["state"]["_t"] == "warnings.state.expired"]
    boards = [n for n in uow.outbox if n.template == "warnings.board"]
    assert boards[-1].params["state"]["_t"] == "warnings.state.expired"
