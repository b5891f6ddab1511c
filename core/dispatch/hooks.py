"""What other features may add when a plan's orders go out (traffic support opens lanes for
the forces' vehicles) and when an incident is closed (the after-action report and its
lessons). The dispatch chain knows only these shapes; the composition root puts the features'
hooks in DispatchConfig.after_orders and .after_close, so dispatch imports none of them. A force's
answer to its order (已接收, 已出发, 已到达) runs DispatchConfig.after_answer the same way: the
compensation record asks a social force on 已到达 how many people it sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.dispatch.model import Incident, Order, Plan
from core.dispatch.ports import DispatchUnitOfWork
from core.registry import Unit


@dataclass(frozen=True)
class OrdersIssued:
    """A plan's orders, just written; the hook runs in the same transaction."""

    plan: Plan
    incident: Incident
    issued: Sequence[tuple[Order, Unit | None]]
    at: datetime


OrdersHook = Callable[[DispatchUnitOfWork, OrdersIssued], Awaitable[None]]


@dataclass(frozen=True)
class Asked:
    """One person a question is put to, and the id of the question written down for them."""

    tg_id: int
    name: str
    prompt_id: int


@dataclass(frozen=True)
class Question:
    """What a feature wants asked in a unit's chat once an incident is closed: one message
    mentioning the people asked, answered with a reply (a ForceReply, sent by the handler after
    the commit; the questions are written down in the close's transaction)."""

    chat_id: int
    asked: tuple[Asked, ...]
    template: str
    params: dict[str, object]


# Runs in the close's transaction, after the incident is closed; returns questions to ask.
CloseHook = Callable[[DispatchUnitOfWork, Incident, datetime], Awaitable[Sequence[Question]]]


@dataclass(frozen=True)
class OrderAnswered:
    """A force's answer to its order, just written: who tapped, and where the order stands."""

    order: Order
    plan: Plan
    incident: Incident
    tg_id: int | None
    name: str
    at: datetime


# Runs in the answer's transaction, after the order moved; returns questions to ask (sent with
# a ForceReply by the handler once the transaction has committed, like a close's questions).
AnswerHook = Callable[[DispatchUnitOfWork, OrderAnswered], Awaitable[Sequence[Question]]]
