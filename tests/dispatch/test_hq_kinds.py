"""/hq names only an on-site headquarters (or the city fire detachment), never a force or an
office of the chain of command; a refusal changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from core.registry import Role, Unit, UnitKind
from storage.tables_dispatch import IncidentRow
from tests.chain import Chain
from tests.conftest import REGISTRY_ADMIN


async def _hq_of(chain: Chain) -> int | None:
    async with chain.app.uow() as uow:
        return await uow.session.scalar(select(IncidentRow.hq_unit_id))


async def test_hq_refuses_a_force_or_the_brigade(chain: Chain) -> None:
    incident = await chain.incident("较大 石桥镇 山体滑坡")
    for code, kind in (("f-police", "应急救援力量"), ("brigade", "县消防救援大队"),
                       ("dept-water", "行业主管部门")):
        reply = str((await chain.say("bureau", chain.approver, f"/hq {incident} {code}"))["text"])
        assert code in reply and kind in reply and "未做任何更改" in reply, reply
        assert "hq" in reply and "detachment" in reply
    assert await _hq_of(chain) is None
    # The brigade's dispatchers still call forces; the force named above cannot.
    head = chain.county.person("f-police", "head")
    refused = await chain.say("f-police", head, f"/dispatch {incident} f-water 警戒")
    assert "审批" not in str(refused["text"])
    bureau = chain.sb.transcript(chain.chat("bureau"))
    assert not any("【现场指挥部】" in m["text"] for m in bureau)


async def test_hq_accepts_a_unit_of_kind_hq(chain: Chain) -> None:
    sb = chain.sb
    async with chain.app.uow() as uow:
        unit = await uow.units.add(Unit("hq-slide", UnitKind.HQ, "石桥镇山体滑坡现场指挥部"))
        commander = await uow.people.by_tg_id(chain.county.person("gov", "head"))
        assert commander is not None and commander.id is not None and unit.id is not None
        await uow.people.set_roles(commander.id, unit.id, frozenset({Role.COMMANDER}))
        await uow.commit()
    gid = sb.create_group("现场指挥部", [REGISTRY_ADMIN, commander.tg_id],
                          admins=[REGISTRY_ADMIN])
    sb.add_bot_to_group(gid, by_user=REGISTRY_ADMIN)
    code = await chain.county.invite("hq-slide")
    await sb.send_message(gid, REGISTRY_ADMIN, f"/bind {code}")
    await sb.wait_for(gid, "hq-slide")
    incident = await chain.incident("较大 石桥镇 山体滑坡")
    reply = await chain.say("bureau", chain.approver, f"/hq {incident} hq-slide")
    assert "现场指挥部已设定" in str(reply["text"])
    await sb.wait_for(gid, "【现场指挥部】", since=0)
    assert await _hq_of(chain) == unit.id
    sent = await sb.send_message(gid, commander.tg_id, f"/dispatch {incident} f-police 现场警戒")
    answer = await sb.wait_for(gid, lambda m: m["reply_to"] == sent["message_id"])
    assert "审批" in str(answer["text"])
