"""Core's registry and binding rules, with an in-memory unit of work: no Telegram, no SQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from core.actor import Actor
from core.clock import ControllableClock
from core.config import MechanismConfig
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.registry import Role, UnitKind
from core.registry_file import RegistryFileError, parse_registry
from core.usecases.binding import bind_chat, chat_lost, chat_migrated, create_invite
from core.usecases.registry_import import import_registry
from core.usecases.status import connection_ratio
from tests.fakes import FakeUnitOfWork, opened

CONFIG = MechanismConfig(admin_tg_ids=frozenset({9}))


def registry(**force: Any) -> dict[str, Any]:
    base = {"code": "f-a", "kind": "force", "name": "甲队", "category": "social",
            "township": "城关镇", "department": "dept-a",
            "people": [{"tg_id": 5, "name": "张三", "roles": ["head"]}]}
    base.update(force)
    return {"county": "测试县", "units": [
        {"code": "bureau", "kind": "bureau", "name": "局"},
        {"code": "brigade", "kind": "brigade", "name": "大队"},
        {"code": "dept-a", "kind": "department", "name": "某局"},
        base,
        {"code": "f-b", "kind": "force", "name": "乙队", "category": "expert",
         "township": "石桥镇", "department": "dept-a"},
    ]}


@pytest.fixture
def clock() -> ControllableClock:
    return ControllableClock(ticking=False)


async def imported(clock: ControllableClock) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await opened(uow, import_registry(uow, parse_registry(registry()), clock))
    return uow


def admin(chat: int = 9) -> Actor:
    return Actor(tg_id=9, chat_id=chat, is_settings_admin=True, display_name="管理员")


def person(tg_id: int, chat: int) -> Actor:
    return Actor(tg_id=tg_id, chat_id=chat, display_name=str(tg_id))


def test_parse_collects_every_problem_with_entry_and_field() -> None:
    raw = registry(category="army", department="dept-x")
    raw["units"][4]["kind"] = "navy"
    with pytest.raises(RegistryFileError) as e:
        parse_registry(raw)
    found = {(p.unit, p.unit_code, p.field, p.code) for p in e.value.problems}
    assert (4, "f-a", "category", "not_one_of") in found
    assert (5, "f-b", "kind", "not_one_of") in found


def test_department_must_exist_and_be_a_department() -> None:
    with pytest.raises(RegistryFileError) as e:
        parse_registry(registry(department="f-b"))
    assert [p.code for p in e.value.problems] == ["not_department"]


async def test_import_is_idempotent(clock: ControllableClock) -> None:
    uow = await imported(clock)
    units = len(uow.committed.units)
    report = await opened(uow, import_registry(uow, parse_registry(registry()), clock))
    assert not report.changed and len(uow.committed.units) == units == 5
    assert uow.commits == 2
    force = next(u for u in uow.committed.units.values() if u.code == "f-a")
    dept = next(u for u in uow.committed.units.values() if u.code == "dept-a")
    assert force.department_id == dept.id


async def test_only_admins_invite(clock: ControllableClock) -> None:
    uow = await imported(clock)
    with pytest.raises(NotAllowed):
        await opened(uow, create_invite(uow, person(5, 5), "f-a", clock, CONFIG))
    with pytest.raises(NotFound):
        await opened(uow, create_invite(uow, admin(), "f-zzz", clock, CONFIG))
    assert not uow.committed.invites


async def test_code_binds_once_and_expires(clock: ControllableClock) -> None:
    uow = await imported(clock)
    invite, _ = await opened(uow, create_invite(uow, admin(), "f-a", clock, CONFIG))
    with pytest.raises(DomainError, match="bind_in_group"):
        await opened(uow, bind_chat(uow, person(5, 5), invite.code, False, clock, CONFIG))
    result = await opened(uow, bind_chat(uow, person(5, -100), invite.code.lower(), True, clock,
                                         CONFIG))
    assert result.unit.chat_id == -100
    with pytest.raises(Conflict, match="invite_used"):
        await opened(uow, bind_chat(uow, person(5, -200), invite.code, True, clock, CONFIG))
    late, _ = await opened(uow, create_invite(uow, admin(), "f-b", clock, CONFIG))
    clock.advance(timedelta(hours=72))
    with pytest.raises(Conflict, match="invite_expired"):
        await opened(uow, bind_chat(uow, person(5, -300), late.code, True, clock, CONFIG))
    assert [n.template for n in uow.committed.notices] == ["admin.chat_bound"]


async def test_a_chat_belongs_to_one_unit(clock: ControllableClock) -> None:
    uow = await imported(clock)
    first, _ = await opened(uow, create_invite(uow, admin(), "f-a", clock, CONFIG))
    await opened(uow, bind_chat(uow, person(5, -100), first.code, True, clock, CONFIG))
    second, _ = await opened(uow, create_invite(uow, admin(), "f-b", clock, CONFIG))
    with pytest.raises(Conflict, match="chat_already_bound"):
        await opened(uow, bind_chat(uow, person(5, -100), second.code, True, clock, CONFIG))


async def test_anonymous_admin_is_refused(clock: ControllableClock) -> None:
    uow = await imported(clock)
    ghost = Actor(tg_id=None, chat_id=-100, anonymous=True, is_settings_admin=True)
    with pytest.raises(NotAllowed, match="anonymous_admin"):
        await opened(uow, create_invite(uow, ghost, "f-a", clock, CONFIG))


async def test_lost_chat_unbinds_and_migration_follows(clock: ControllableClock) -> None:
    uow = await imported(clock)
    invite, _ = await opened(uow, create_invite(uow, admin(), "f-a", clock, CONFIG))
    await opened(uow, bind_chat(uow, person(5, -100), invite.code, True, clock, CONFIG))
    await opened(uow, chat_migrated(uow, -100, -1009, clock))
    await chat_migrated(uow, -100, -1009, clock)  # both service messages arrive: idempotent
    assert (await uow.units.by_code("f-a")).chat_id == -1009  # type: ignore[union-attr]
    ratio = await connection_ratio(uow, CONFIG)
    assert (ratio.bound, ratio.total, ratio.meets_target) == (1, 2, False)
    await opened(uow, chat_lost(uow, -1009, None, "kicked", clock, CONFIG))
    assert (await uow.units.by_code("f-a")).chat_id is None  # type: ignore[union-attr]
    assert uow.committed.notices[-1].template == "admin.chat_lost"
    assert {e.action for e in uow.committed.audit} >= {"chat.bound", "chat.migrated",
                                                        "chat.unbound"}


def test_roles_are_per_unit() -> None:
    from core.registry import Grant

    actor = Actor(tg_id=5, chat_id=1, grants=(Grant(1, 2, Role.DISPATCHER),))
    assert actor.has_role(Role.DISPATCHER)
    assert not actor.has_role(Role.APPROVER)
    assert UnitKind.FORCE.value == "force"
