"""Shared steps of the response tests: propose from one side, find the card on the other."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from storage.tables import AuditRow
from storage.tables_response import ResponseLevelRow, ResponseProposalRow
from tests.chain import Chain

PROPOSAL_RE = re.compile(r"提议 #(\d+)")


def commander(chain: Chain) -> int:
    return chain.county.person("brigade", "commander")


def leader(chain: Chain, side: str) -> int:
    return chain.approver if side == "bureau" else commander(chain)


async def propose(chain: Chain, side: str, incident: int, level: str) -> int:
    """``side`` proposes; returns the proposal's number once its card is in the other chat."""
    reply = await chain.say(side, leader(chain, side), f"/respond {incident} {level}")
    found = PROPOSAL_RE.search(str(reply["text"]))
    assert found, reply["text"]
    proposal = int(found.group(1))
    other = "brigade" if side == "bureau" else "bureau"
    card = await chain.sb.wait_for(chain.chat(other), f"【应急响应提议】#{proposal} ", since=0)
    assert card["buttons"] == [["同意启动", "暂不启动"]], card
    return proposal


async def level_of(chain: Chain, incident: int) -> int | None:
    async with chain.app.uow() as uow:
        row = await uow.session.get(ResponseLevelRow, incident, populate_existing=True)
        return row.level if row is not None else None


async def statuses(chain: Chain) -> list[str]:
    async with chain.app.uow() as uow:
        return list(await uow.session.scalars(
            select(ResponseProposalRow.status).order_by(ResponseProposalRow.id)))


async def audited(chain: Chain) -> list[str]:
    async with chain.app.uow() as uow:
        return list(await uow.session.scalars(
            select(AuditRow.action).where(AuditRow.action.like("response.%"))
            .order_by(AuditRow.id)))


def count_announcements(chain: Chain, code: str) -> int:
    texts = chain.sb.bot_texts(chain.chat(code))
    return sum("【应急响应】" in t and "同时启动" in t for t in texts)


async def audit_count(chain: Chain) -> int:
    async with chain.app.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(AuditRow)) or 0)
