"""Every message a response produces: the proposal card in both sides' chats (buttons on the
other side's), its later states, the refusal's reason to the proposer, the call to the other
side's leaders, and the announcement once both sides agreed."""

from __future__ import annotations

from typing import Any

from core.dispatch.model import Incident
from core.dispatch.notify.common import chain_unit, drill, joined
from core.notices import Action, Button, Mention, Notice, Priority, moment, text
from core.registry import Unit, UnitKind
from core.response.model import Level, Proposal, Response, Side
from core.response.ports import ResponseUnitOfWork

# Who hears a level start, change or end, besides the forces concerned.
ANNOUNCED_TO = (UnitKind.DEPARTMENT, UnitKind.GOVERNMENT, UnitKind.BUREAU, UnitKind.BRIGADE)


def level_text(level: Level) -> Any:
    return text(f"response.level.{level.value}")


def change_text(p: Proposal) -> Any:
    """启动 Ⅳ级, 提升 Ⅳ级→Ⅱ级, 调整 Ⅱ级→Ⅳ级, 终止 Ⅳ级."""
    if p.from_level is Level.NONE:
        kind = "start"
    elif p.level is Level.NONE:
        kind = "end"
    else:
        kind = "raise" if p.level.rank > p.from_level.rank else "lower"
    return text(f"response.change.{kind}", to=level_text(p.level), was=level_text(p.from_level))


async def _side_unit(uow: ResponseUnitOfWork, side: Side) -> Unit | None:
    found = await chain_unit(uow, side.kind)
    return found if found is not None and found.id is not None else None


async def _card_params(uow: ResponseUnitOfWork, p: Proposal, incident: Incident,
                       state: Any) -> dict[str, Any]:
    mine, theirs = await _side_unit(uow, p.side), await _side_unit(uow, p.side.other)
    return {"id": p.id, "incident": incident.id, "title": incident.title,
            "drill": drill(incident), "township": incident.township, "change": change_text(p),
            "side": mine.name if mine else "—", "by": p.proposed_by_name,
            "at": moment(p.proposed_at), "other": theirs.name if theirs else "—",
            "state": state}


async def card(uow: ResponseUnitOfWork, p: Proposal, incident: Incident, state: Any = "") -> None:
    """The proposal in both chats, under one edit key: buttons only on the other side's, and
    only while it is open."""
    params = await _card_params(uow, p, incident, state)
    assert p.id is not None
    for side in (p.side.other, p.side):
        to = await _side_unit(uow, side)
        if to is None:
            continue
        buttons = ((Button("response.btn.agree", Action.RESPONSE_AGREE, p.id),
                    Button("response.btn.refuse", Action.RESPONSE_REFUSE, p.id)),) \
            if p.is_open and side is p.side.other else ()
        template = "response.card" if side is p.side.other else "response.card.own"
        await uow.outbox.add(Notice(template, params, unit_id=to.id, buttons=buttons,
                                    priority=Priority.HIGH, edit_key=f"response:{p.id}",
                                    subject=f"response:{p.id}"))


def decided_state(p: Proposal) -> Any:
    assert p.decided_at is not None
    if p.superseded_by is not None:
        return text("response.state.superseded", newer=p.superseded_by, by=p.decided_by_name,
                    at=moment(p.decided_at))
    return text(f"response.state.{p.status}", by=p.decided_by_name, at=moment(p.decided_at),
                reason=p.reason)


async def refused(uow: ResponseUnitOfWork, p: Proposal, incident: Incident) -> None:
    """The reason, in the proposer's chat, naming the proposer."""
    mine, theirs = await _side_unit(uow, p.side), await _side_unit(uow, p.side.other)
    if mine is None:
        return
    await uow.outbox.add(Notice(
        "response.refused", {"id": p.id, "incident": incident.id, "title": incident.title,
                             "drill": drill(incident),
                             "change": change_text(p), "other": theirs.name if theirs else "—",
                             "by": p.decided_by_name, "reason": p.reason},
        unit_id=mine.id, priority=Priority.HIGH, subject=f"response:{p.id}",
        mentions=(Mention(p.proposed_by, p.proposed_by_name),)))


async def escalated(uow: ResponseUnitOfWork, p: Proposal, incident: Incident, to: Unit,
                    mentions: tuple[Mention, ...], waited: int) -> None:
    await uow.outbox.add(Notice(
        "response.escalated", {"id": p.id, "incident": incident.id, "title": incident.title,
                               "drill": drill(incident),
                               "change": change_text(p), "by": p.proposed_by_name,
                               "waited": waited},
        unit_id=to.id, priority=Priority.HIGH, mentions=mentions, subject=f"response:{p.id}"))


def effect_lines(response: Response, rollcall_forces: int) -> list[Any]:
    found: list[Any] = []
    if response.rollcall_id is not None:
        found.append(text("response.effect.rollcall", id=response.rollcall_id,
                          count=rollcall_forces))
    if response.daily_rollcall:
        found.append(text("response.effect.daily"))
    if response.order_remind_minutes:
        found.append(text("response.effect.remind", minutes=response.order_remind_minutes))
    if response.level is Level.NONE:
        found.append(text("response.effect.ended"))
    return found


async def announced(uow: ResponseUnitOfWork, p: Proposal, incident: Incident, response: Response,
                    forces: list[Unit], rollcall_forces: int) -> int:
    """One announcement to the forces concerned, every department, the HQ, the county
    government and both sides, written in the same transaction; returns how many."""
    bureau, brigade = await _side_unit(uow, Side.BUREAU), await _side_unit(uow, Side.BRIGADE)
    proposer, decider = (bureau, brigade) if p.side is Side.BUREAU else (brigade, bureau)
    assert p.decided_at is not None
    params = {"id": p.id, "incident": incident.id, "title": incident.title,
              "drill": drill(incident), "township": incident.township, "change": change_text(p),
              "level": level_text(response.level), "at": moment(p.decided_at),
              "proposer": proposer.name if proposer else "—", "by": p.proposed_by_name,
              "decider": decider.name if decider else "—", "confirmed_by": p.decided_by_name,
              "effects": joined(effect_lines(response, rollcall_forces))}
    to = [u for kind in ANNOUNCED_TO for u in await uow.units.list(kind)]
    to += forces
    if incident.hq_unit_id is not None:
        hq = await uow.units.get(incident.hq_unit_id)
        if hq is not None:
            to.append(hq)
    seen: set[int] = set()
    for unit in to:
        if unit.id is None or unit.id in seen or not unit.is_bound:
            continue
        seen.add(unit.id)
        await uow.outbox.add(Notice("response.announce", params, unit_id=unit.id,
                                    priority=Priority.HIGH, subject=f"response:{p.id}"))
    return len(seen)


def mark(response: Response) -> Any:
    """The incident's line on its boards."""
    if response.level is Level.NONE:
        return text("response.mark.ended", at=moment(response.since))
    return text("response.mark", level=level_text(response.level), since=moment(response.since))
