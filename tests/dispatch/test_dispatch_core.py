"""The dispatch chain's rules without adapters: small in-memory fakes of the repositories."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.actor import Actor
from core.audit import AuditEntry
from core.clock import ControllableClock
from core.dispatch.config import DispatchConfig
from core.dispatch.decisions import approve_plan, reject_plan
from core.dispatch.escalation import escalate
from core.dispatch.feature import DISPATCH
from core.dispatch.incidents import open_incident, parse_incident
from core.dispatch.marks import set_mark
from core.dispatch.model import Level, Order, OrderStatus, PlanStatus
from core.dispatch.orders import order_undeliverable
from core.dispatch.plans import parse_dispatch, submit_plan
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.notices import Notice
from core.registry import ForceCategory, Grant, Member, Person, Role, Unit, UnitKind

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


class Table:
    """One fake repository: objects by id, conditional saves like the SQL one."""

    def __init__(self) -> None:
        self.rows: dict[int, Any] = {}

    async def add(self, obj: Any) -> Any:
        obj.id = len(self.rows) + 1
        self.rows[obj.id] = replace(obj)
        return obj

    async def get(self, obj_id: int) -> Any:
        found = self.rows.get(obj_id)
        return replace(found) if found else None

    async def update(self, obj: Any) -> None:
        self.rows[obj.id] = replace(obj)

    async def save(self, obj: Any, expected: str) -> bool:
        if str(self.rows[obj.id].status) != str(expected):
            return False
        self.rows[obj.id] = replace(obj)
        return True

    async def claim(self, obj_id: int, stamp: str, now: datetime, expected: str,
                    **also: Any) -> bool:
        row = self.rows[obj_id]
        if getattr(row, stamp) is not None or str(row.status) != expected:
            return False
        self.rows[obj_id] = replace(row, **{stamp: now, **also})
        return True

    def where(self, **match: Any) -> list[Any]:
        return [replace(r) for r in self.rows.values()
                if all(getattr(r, k) == v for k, v in match.items())]


class Plans(Table):
    async def for_incident(self, incident_id: int) -> list[Any]:
        return self.where(incident_id=incident_id)

    async def reminders_due(self, now: datetime) -> list[Any]:
        return [p for p in self.where(status=PlanStatus.AWAITING_APPROVAL)
                if (p.reminded_at is None and p.remind_due_at <= now)
                or (p.reminded_at and p.deputies_at is None and p.deputies_due_at <= now)]


class Orders(Table):
    units: list[Unit]

    async def for_plan(self, plan_id: int) -> list[Any]:
        return self.where(plan_id=plan_id)

    async def named_for_plan(self, plan_id: int) -> list[tuple[Order, str | None]]:
        names = {u.id: u.name for u in self.units}
        return [(o, names.get(o.unit_id)) for o in self.where(plan_id=plan_id)]

    async def t1_due(self, now: datetime) -> list[Order]:
        return [o for o in self.where(status=OrderStatus.ISSUED)
                if o.escalated_t1_at is None and o.t1_due_at <= now]

    async def t2_due(self, now: datetime) -> list[Order]:
        return [o for o in self.where(status=OrderStatus.ISSUED)
                if o.escalated_t2_at is None and o.t2_due_at <= now]


class Marks:
    def __init__(self) -> None:
        self.rows: dict[tuple[int, str], Any] = {}

    async def put(self, incident_id: int, key: str, value: Any) -> None:
        self.rows[(incident_id, key)] = value

    async def of(self, incident_id: int) -> dict[str, Any]:
        return {k: v for (i, k), v in self.rows.items() if i == incident_id}


class Periods(Table):
    async def active(self, now: datetime) -> Any:
        return next((p for p in self.rows.values() if p.starts_at <= now < p.ends_at), None)


@dataclass
class FakeUow:
    units_: list[Unit]
    members_: dict[int, list[Member]] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    entries: list[AuditEntry] = field(default_factory=list)
    commits: int = 0

    def __post_init__(self) -> None:
        self.units, self.people, self.outbox, self.audit = self, self, self, self
        self.incidents, self.plans, self.orders = Table(), Plans(), Orders()
        self.orders.units = self.units_
        self.concurrences, self.periods, self.marks = Table(), Periods(), Marks()

    async def get(self, unit_id: int) -> Unit | None:
        return next((u for u in self.units_ if u.id == unit_id), None)

    async def by_code(self, code: str) -> Unit | None:
        return next((u for u in self.units_ if u.code == code), None)

    async def list(self, kind: UnitKind | None = None) -> list[Unit]:
        return [u for u in self.units_ if kind is None or u.kind is kind]

    async def members(self, unit_id: int) -> builtins.list[Member]:
        return self.members_.get(unit_id, [])

    async def add(self, notice: Notice) -> None:
        self.notices.append(notice)

    async def append(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    async def commit(self) -> None:
        self.commits += 1


def county() -> Any:
    """Typed loosely: the fakes stand in for the protocols without inheriting them."""
    units = [
        Unit("bureau", UnitKind.BUREAU, "局", id=1, chat_id=-1),
        Unit("brigade", UnitKind.BRIGADE, "大队", id=2, chat_id=-2),
        Unit("dept-water", UnitKind.DEPARTMENT, "水利局", id=3, chat_id=-3),
        Unit("f-water", UnitKind.FORCE, "突击队", id=4, chat_id=-4, department_id=3,
             category=ForceCategory.GOVERNMENT),
        Unit("f-gas", UnitKind.FORCE, "燃气", id=5, department_id=3,
             category=ForceCategory.ENTERPRISE),
    ]
    duty = Member(Person(44, "值班员"), frozenset({Role.DUTY_OFFICER}))
    approver = Member(Person(11, "局长"), frozenset({Role.APPROVER}))
    return FakeUow(units, {4: [duty], 1: [approver]})


def actor(uow: Any, unit_id: int, tg_id: int, *roles: Role) -> Actor:
    unit = next(u for u in uow.units_ if u.id == unit_id)
    return Actor(tg_id, unit.chat_id or 0, chat_unit=unit, display_name=f"p{tg_id}",
                 grants=tuple(Grant(tg_id, unit_id, r) for r in roles))


CFG = DispatchConfig()


async def planned(uow: Any, clock: ControllableClock) -> int:
    dispatcher = actor(uow, 2, 21, Role.DISPATCHER)
    incident = await open_incident(uow, dispatcher, "一般 城关镇 火灾", clock)
    plan = await submit_plan(uow, dispatcher, str(incident.id), ["f-water"], "抢险", "",
                             clock, CFG)
    assert plan.id is not None
    return plan.id


def test_order_machine_records_who_and_when() -> None:
    order = Order(1, 4, "抢险", T0, T0, T0)
    order.move(OrderStatus.RECEIVED, 7, "甲", T0 + timedelta(minutes=1))
    order.move(OrderStatus.ON_SCENE, 8, "乙", T0 + timedelta(minutes=9))
    assert order.by == {"received": [7, "甲"], "on_scene": [8, "乙"]}
    assert order.on_scene_at == T0 + timedelta(minutes=9)
    with pytest.raises(Conflict) as refused:
        order.move(OrderStatus.RECEIVED, 9, "丙", T0)
    assert refused.value.params["by"] == "乙"


def test_flood_season_and_parsing() -> None:
    assert CFG.in_flood_season(datetime(2026, 7, 1, tzinfo=UTC))
    assert not CFG.in_flood_season(datetime(2026, 11, 2, tzinfo=UTC))
    # 31 May 17:00 UTC is already 1 June in the county.
    assert CFG.in_flood_season(datetime(2026, 5, 31, 17, 0, tzinfo=UTC))
    line = parse_incident("较大 石桥镇 山体 滑坡 类型=地质灾害 演练")
    assert (line.level, line.township, line.title, line.is_drill, line.kind) == (
        Level.LARGER, "石桥镇", "山体 滑坡", True, "地质灾害")
    assert parse_dispatch("3 f-a，f-b 去 现场") == ("3", ["f-a", "f-b"], "去 现场")
    with pytest.raises(DomainError):
        parse_incident("巨大 石桥镇 火灾")


async def test_decision_is_taken_once() -> None:
    uow, clock = county(), ControllableClock(T0, ticking=False)
    plan_id = await planned(uow, clock)
    first = actor(uow, 1, 11, Role.APPROVER)
    await approve_plan(uow, first, plan_id, clock, CFG)
    assert [n.template for n in uow.notices].count("dispatch.order") == 1
    with pytest.raises(Conflict) as again:
        await reject_plan(uow, actor(uow, 1, 12, Role.APPROVER), plan_id, clock, reason="x")
    assert again.value.params["by"] == "p11"
    assert uow.plans.rows[plan_id].status is PlanStatus.APPROVED


async def test_refusals_change_nothing() -> None:
    uow, clock = county(), ControllableClock(T0, ticking=False)
    plan_id = await planned(uow, clock)
    before = (len(uow.notices), uow.commits)
    with pytest.raises(NotAllowed):
        await approve_plan(uow, actor(uow, 1, 13), plan_id, clock, CFG)
    with pytest.raises(NotFound):
        await approve_plan(uow, actor(uow, 1, 11, Role.APPROVER), 99, clock, CFG)
    dispatcher = actor(uow, 2, 21, Role.DISPATCHER)
    with pytest.raises(Conflict):
        await submit_plan(uow, dispatcher, "1", ["f-gas"], "抢险", "", clock, CFG)
    assert (len(uow.notices), uow.commits) == before
    assert len(uow.plans.rows) == 1


async def test_escalation_acts_once() -> None:
    uow, clock = county(), ControllableClock(T0, ticking=False)
    plan_id = await planned(uow, clock)
    await approve_plan(uow, actor(uow, 1, 11, Role.APPROVER), plan_id, clock, CFG)
    clock.advance(CFG.t2 + timedelta(seconds=1))
    assert await escalate(uow, clock, CFG) == 2
    assert await escalate(uow, clock, CFG) == 0
    resend = next(n for n in uow.notices if n.template == "dispatch.order.resend")
    assert [m.tg_id for m in resend.mentions] == [44]
    assert [n.template for n in uow.notices].count("dispatch.silent") == 2  # brigade, bureau


async def test_undeliverable_order_tells_the_dispatcher() -> None:
    uow, clock = county(), ControllableClock(T0, ticking=False)
    plan_id = await planned(uow, clock)
    await approve_plan(uow, actor(uow, 1, 11, Role.APPROVER), plan_id, clock, CFG)
    order = next(n for n in uow.notices if n.template == "dispatch.order")
    assert DISPATCH.failure_hooks["order"] is order_undeliverable
    await DISPATCH.failure_hooks["order"](uow, order, "kicked")
    told = uow.notices[-1]
    assert told.template == "dispatch.order.undeliverable" and told.unit_id == 2
    assert [m.tg_id for m in told.mentions] == [21]


async def test_a_mark_set_on_an_incident_shows_on_its_boards_in_order() -> None:
    uow, clock = county(), ControllableClock(T0, ticking=False)
    plan_id = await planned(uow, clock)
    plan = uow.plans.rows[plan_id]
    incident = uow.incidents.rows[plan.incident_id]
    await set_mark(uow, incident, "traffic", "交通：已安排", T0)
    assert not [n for n in uow.notices if n.template == "dispatch.board"]  # no orders yet
    await approve_plan(uow, actor(uow, 1, 11, Role.APPROVER), plan_id, clock, CFG)
    uow.notices.clear()
    await set_mark(uow, incident, "response", "Ⅳ级响应", T0)
    boards = [n for n in uow.notices if n.template == "dispatch.board"]
    assert {n.unit_id for n in boards} == {1, 2}  # the bureau's and the brigade's
    assert boards[0].params["marks"]["lines"]["_lines"] == ["Ⅳ级响应", "交通：已安排"]
    assert {n.edit_key for n in boards} == {f"plan:{plan_id}:board"}
