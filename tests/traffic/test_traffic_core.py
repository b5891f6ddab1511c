"""Traffic support's rules without any adapter: which departments, which items are vehicles,
the notice's force list and its cap, who may answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.actor import Actor
from core.dispatch.hooks import OrdersIssued
from core.dispatch.model import Incident, Level, Order, Plan
from core.errors import NotAllowed
from core.notices import LINES, TEXT, Action
from core.registry import Grant, Item, Role, Unit, UnitKind
from core.traffic.model import ForceVehicles, TrafficConfig, TrafficRequest
from core.traffic.notices import FORCE_LINES, VEHICLE_KINDS, force_lines, request_notice
from core.traffic.policies import require_member
from core.traffic.usecases import forces_with_vehicles

NOW = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
CFG = TrafficConfig()


def _dept(id_: int, sector: str) -> Unit:
    return Unit(f"d{id_}", UnitKind.DEPARTMENT, f"部门{id_}", id=id_, sector=sector)


def test_police_public_security_and_transport_are_the_traffic_departments() -> None:
    units = [_dept(1, "police"), _dept(2, "Transport"), _dept(3, "public_security"),
             _dept(4, "water"), _dept(5, "")]
    assert [u.id for u in CFG.departments(units)] == [1, 2, 3]
    assert TrafficConfig(sectors=frozenset({"water"})).departments(units)[0].id == 4


@pytest.mark.parametrize(("name", "vehicle"), [
    ("警车", True), ("负压救护车", True), ("25 吨汽车吊", True), ("冲锋舟", True),
    ("橡皮艇", True), ("挖掘机", True), ("Fire Truck", True), ("rescue boat", True),
    ("警用无人机", False), ("对讲机", False), ("编织袋", False), ("大流量排涝泵", False),
])
def test_vehicles_are_items_named_with_a_vehicle_word(name: str, vehicle: bool) -> None:
    assert CFG.is_vehicle(Item(name, 1)) is vehicle


def test_a_force_lists_only_its_vehicles_and_none_counted_zero() -> None:
    force = Unit("f", UnitKind.FORCE, "力量", equipment=(
        Item("消防车", 2), Item("对讲机", 9), Item("救护车", 0), Item("冲锋舟", 1)))
    assert CFG.vehicles(force) == (Item("消防车", 2), Item("冲锋舟", 1))
    assert TrafficConfig(vehicle_words=("舟",)).vehicles(force) == (Item("冲锋舟", 1),)


def test_each_force_once_even_if_ordered_twice() -> None:
    a = Unit("a", UnitKind.FORCE, "甲", id=1, equipment=(Item("消防车", 2),))
    b = Unit("b", UnitKind.FORCE, "乙", id=2)
    orders = [(Order(1, u.id or 0, "", NOW, NOW, NOW), u) for u in (a, b, a)]
    plan = Plan(1, 9, "调度员", "任务", NOW, id=1)
    incident = Incident("火灾", "", "城关镇", Level.GENERAL, NOW, 9, "调度员", id=1)
    found = forces_with_vehicles(OrdersIssued(plan, incident, orders, NOW), CFG)
    assert found == (ForceVehicles("甲", (Item("消防车", 2),)), ForceVehicles("乙"))


def test_a_long_list_is_capped_and_the_rest_counted() -> None:
    many = [ForceVehicles(f"力量{i}", (Item("车", 2),)) for i in range(200)]
    shown, more = force_lines(many)
    assert len(shown) == FORCE_LINES
    assert more[TEXT] == "traffic.more_forces"
    assert (more["count"], more["vehicles"]) == (200 - FORCE_LINES, 2 * (200 - FORCE_LINES))
    shown, more = force_lines(many[:3])
    assert len(shown) == 3 and more == ""


def test_vehicle_kinds_per_force_are_capped_and_no_vehicles_said() -> None:
    kinds = tuple(Item(f"车{i}", 1) for i in range(VEHICLE_KINDS + 2))
    (line,), _ = force_lines([ForceVehicles("甲", kinds)])
    assert len(line["vehicles"]) == VEHICLE_KINDS + 1
    assert line["vehicles"][-1] == {TEXT: "traffic.more_kinds", "count": 2}
    (line,), _ = force_lines([ForceVehicles("乙")])
    assert line["vehicles"] == {TEXT: "traffic.no_vehicles"}


def test_the_notice_goes_to_the_department_with_both_buttons() -> None:
    request = TrafficRequest(3, 5, 7, NOW, id=11, forces=(
        ForceVehicles("甲", (Item("消防车", 2),)), ForceVehicles("乙")))
    plan = Plan(5, 9, "调度员", "任务", NOW, id=3)
    incident = Incident("火灾", "", "城关镇", Level.GENERAL, NOW, 9, "调度员", id=5)
    notice = request_notice(request, plan, incident)
    assert notice.unit_id == 7 and notice.edit_key == "traffic:11"
    assert [b.action for b in notice.buttons[0]] == [Action.TRAFFIC_ARRANGED,
                                                     Action.TRAFFIC_NEEDS]
    assert notice.params["count"] == 2 and notice.params["vehicles"] == 2
    assert len(notice.params["lines"][LINES]) == 2
    assert notice.params["rendezvous"] == {TEXT: "traffic.no_rendezvous"}


def _actor(chat_unit: Unit | None, *grants: Grant) -> Actor:
    return Actor(tg_id=5, chat_id=-1, chat_unit=chat_unit, grants=grants, display_name="某人")


def test_anyone_of_the_department_answers_from_its_chat_only() -> None:
    dept, other = _dept(1, "police"), _dept(2, "transport")
    for role in (Role.HEAD, Role.DUTY_OFFICER, Role.MEMBER):
        require_member(_actor(dept, Grant(1, 1, role)), dept)
    with pytest.raises(NotAllowed) as refused:
        require_member(_actor(other, Grant(1, 1, Role.MEMBER)), dept)
    assert refused.value.code == "traffic_wrong_chat"
    with pytest.raises(NotAllowed) as refused:
        require_member(_actor(dept, Grant(1, 2, Role.HEAD)), dept)
    assert refused.value.code == "traffic_not_member"
    anonymous = _actor(dept, Grant(1, 1, Role.HEAD))
    anonymous.anonymous = True
    with pytest.raises(NotAllowed):
        require_member(anonymous, dept)
