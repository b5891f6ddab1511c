"""The consultation's rules without any adapter: the command line, who answers, one answer
only, who asks about which incident."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.actor import Actor
from core.consult.model import Consultation, ConsultStatus
from core.consult.usecases import (
    Found,
    is_expert,
    parse_consult,
    require_asker,
    require_expert,
)
from core.dispatch.model import Incident, Level
from core.errors import Conflict, DomainError, NotAllowed
from core.registry import ForceCategory, Grant, Person, Role, Unit, UnitKind

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
EXPERT = Unit("f-expert-geohazard", UnitKind.FORCE, "地质灾害专家", id=5,
              category=ForceCategory.EXPERT, chat_id=-5)
BRIGADE = Unit("brigade", UnitKind.BRIGADE, "大队", id=2, chat_id=-2)
HQ = Unit("hq-slide", UnitKind.HQ, "滑坡现场指挥部", id=9, chat_id=-9)


def _incident(hq: int | None = None) -> Incident:
    return Incident("山体滑坡", "", "城关镇", Level.LARGER, NOW, 1, "吴磊", hq_unit_id=hq, id=3)


def _consultation() -> Consultation:
    return Consultation(3, 5, "有无二次滑坡风险", 1, "周海涛", 2, NOW, NOW, id=7)


def _actor(unit: Unit, *roles: Role, in_unit: int | None = None) -> Actor:
    grants = tuple(Grant(1, in_unit or unit.id or 0, r) for r in roles)
    return Actor(11, unit.chat_id or 0, Person(11, "某人", id=1), unit, grants,
                 display_name="某人")


def test_the_line_takes_commas_of_either_width_and_a_question_over_lines() -> None:
    line = parse_consult("12 f-expert-geohazard，F-Expert-Hydrology , f-expert-geohazard "
                         "后山有无风险？\n请尽快答复")
    assert line.incident == "12"
    assert line.codes == ("f-expert-geohazard", "f-expert-hydrology")
    assert line.question == "后山有无风险？\n请尽快答复"


@pytest.mark.parametrize(("args", "code"), [
    ("", "usage"), ("12", "usage"), ("12 f-expert-geohazard", "consult_no_question"),
    ("12 f-expert-geohazard，  ", "consult_no_question"),
    ("12 f-expert-geohazard " + "问" * 5000, "too_long"),
    ("12 " + ",".join(f"e{i}" for i in range(21)) + " 有无风险", "consult_too_many")])
def test_refusals_of_the_line(args: str, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_consult(args)
    assert refused.value.code == code


def test_only_expert_forces_are_experts() -> None:
    assert is_expert(EXPERT)
    assert not is_expert(Unit("f-police", UnitKind.FORCE, "特警",
                              category=ForceCategory.GOVERNMENT))
    assert not is_expert(Unit("dept-edu", UnitKind.DEPARTMENT, "教科局"))


def test_an_answer_is_given_once_and_the_second_names_the_first() -> None:
    c = _consultation()
    c.answer(ConsultStatus.ACCEPTED, 11, "顾明远", NOW)
    assert (c.status, c.answered_by_name, c.silent) == (ConsultStatus.ACCEPTED, "顾明远", False)
    with pytest.raises(Conflict) as refused:
        c.answer(ConsultStatus.DECLINED, 12, "孟婷", NOW, "出差")
    assert refused.value.code == "consult_answered"
    assert refused.value.params["by"] == "顾明远"
    assert c.status is ConsultStatus.ACCEPTED and c.reason == ""


def test_only_the_expert_units_people_answer_from_its_chat() -> None:
    found = Found(_consultation(), _incident(), EXPERT, BRIGADE)
    for role in (Role.HEAD, Role.DUTY_OFFICER, Role.MEMBER):
        require_expert(_actor(EXPERT, role), found)
    refusals = [
        _actor(EXPERT),  # in the expert's chat, but not one of its people
        _actor(EXPERT, Role.HEAD, in_unit=6),  # the head of another unit
        _actor(BRIGADE, Role.COMMANDER),  # from another chat
    ]
    for actor in refusals:
        with pytest.raises(NotAllowed) as refused:
            require_expert(actor, found)
        assert refused.value.code == "consult_not_expert"
    anonymous = Actor(None, -5, None, EXPERT, anonymous=True)
    with pytest.raises(NotAllowed):
        require_expert(anonymous, found)


def test_commanders_and_approvers_ask_an_hq_only_about_its_own_incident() -> None:
    assert require_asker(_actor(BRIGADE, Role.COMMANDER), _incident()) is BRIGADE
    bureau = Unit("bureau", UnitKind.BUREAU, "应急局", id=1, chat_id=-1)
    assert require_asker(_actor(bureau, Role.APPROVER), _incident()) is bureau
    assert require_asker(_actor(HQ, Role.COMMANDER), _incident(hq=HQ.id)) is HQ
    with pytest.raises(NotAllowed) as refused:
        require_asker(_actor(HQ, Role.COMMANDER), _incident(hq=None))
    assert refused.value.code == "consult_other_hq"
    for actor in (_actor(BRIGADE, Role.DISPATCHER), _actor(EXPERT, Role.HEAD)):
        with pytest.raises(NotAllowed):
            require_asker(actor, _incident())
