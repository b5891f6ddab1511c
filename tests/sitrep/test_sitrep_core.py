"""The rules of a situation update without any adapter: the line, who may post (a department
only of an assessing sector, an HQ only for its own incident), where the latest is pinned."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.actor import Actor
from core.dispatch.model import Incident, Level
from core.errors import DomainError, NotAllowed
from core.registry import Grant, Person, Role, Unit, UnitKind
from core.sitrep.policies import POST_SITREP
from core.sitrep.usecases import parse_sitrep, require_poster

NOW = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def _actor(kind: UnitKind, role: Role, sector: str = "", unit_id: int = 5) -> Actor:
    unit = Unit(f"u{unit_id}", kind, "某单位", id=unit_id, chat_id=-unit_id, sector=sector)
    return Actor(7, -unit_id, Person(7, "某人", id=1), unit, (Grant(1, unit_id, role),),
                 display_name="某人")


def _incident(hq: int | None = None) -> Incident:
    return Incident("化工厂火灾", "", "城关镇", Level.LARGER, NOW, 1, "吴磊", hq_unit_id=hq,
                    id=3)


def test_the_incident_then_the_text_which_may_span_lines() -> None:
    assert parse_sitrep(" 3  火势已控制\n继续冷却 ") == ("3", "火势已控制\n继续冷却")


@pytest.mark.parametrize(("line", "code"), [("", "usage"), ("  ", "usage"),
                                            ("3", "sitrep_empty"), ("3 \n ", "sitrep_empty"),
                                            ("3 " + "研" * 2001, "too_long")])
def test_refusals(line: str, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_sitrep(line)
    assert refused.value.code == code


@pytest.mark.parametrize("sector", ["natural_resources", "water", "meteorology"])
def test_an_assessing_department_posts(sector: str) -> None:
    for role in (Role.HEAD, Role.WARNING_ISSUER):
        actor = _actor(UnitKind.DEPARTMENT, role, sector)
        assert require_poster(actor, _incident()).kind is UnitKind.DEPARTMENT
        assert POST_SITREP.allows(actor, private=False)


def test_another_department_is_told_why_and_help_does_not_list_it() -> None:
    actor = _actor(UnitKind.DEPARTMENT, Role.HEAD, "police")
    with pytest.raises(NotAllowed) as refused:
        require_poster(actor)
    assert refused.value.code == "sitrep_sector"
    assert not POST_SITREP.allows(actor, private=False)
    member = _actor(UnitKind.DEPARTMENT, Role.MEMBER, "water")
    with pytest.raises(NotAllowed):
        require_poster(member)


def test_an_hq_posts_for_the_incident_it_commands_only() -> None:
    actor = _actor(UnitKind.HQ, Role.COMMANDER, unit_id=9)
    assert require_poster(actor, _incident(hq=9)).id == 9
    with pytest.raises(NotAllowed) as refused:
        require_poster(actor, _incident(hq=None))
    assert refused.value.code == "sitrep_not_hq"


@pytest.mark.parametrize(("kind", "role", "allowed"), [
    (UnitKind.BUREAU, Role.APPROVER, True), (UnitKind.BUREAU, Role.HEAD, True),
    (UnitKind.BUREAU, Role.DUTY_OFFICER, False), (UnitKind.BRIGADE, Role.COMMANDER, True),
    (UnitKind.BRIGADE, Role.DISPATCHER, True), (UnitKind.BRIGADE, Role.WARNING_ISSUER, False),
    (UnitKind.FORCE, Role.HEAD, False), (UnitKind.GOVERNMENT, Role.HEAD, False)])
def test_the_chain_of_command(kind: UnitKind, role: Role, allowed: bool) -> None:
    actor = _actor(kind, role)
    assert POST_SITREP.allows(actor, private=False) is allowed
    assert POST_SITREP.allows(actor, private=True) is False
    if allowed:
        require_poster(actor, _incident())
    else:
        with pytest.raises(NotAllowed):
            require_poster(actor, _incident())
