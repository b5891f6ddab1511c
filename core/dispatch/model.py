"""Incidents, dispatch plans and orders as state machines; pure data and rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.errors import Conflict
from core.notices import text


class Level(StrEnum):
    GENERAL = "general"
    LARGER = "larger"
    MAJOR = "major"
    ESPECIALLY_MAJOR = "especially_major"


LEVEL_WORDS = {
    "general": Level.GENERAL, "一般": Level.GENERAL,
    "larger": Level.LARGER, "较大": Level.LARGER,
    "major": Level.MAJOR, "重大": Level.MAJOR,
    "especially_major": Level.ESPECIALLY_MAJOR, "特别重大": Level.ESPECIALLY_MAJOR,
}
DRILL_WORDS = frozenset({"drill", "演练"})


class PlanStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    AWAITING_CONCURRENCE = "awaiting_concurrence"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    RETURNED = "returned"


class OrderStatus(StrEnum):
    ISSUED = "issued"
    RECEIVED = "received"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    STOOD_DOWN = "stood_down"
    UNABLE = "unable"


# Which states a force may move to from each state; skipping ahead is allowed because a force
# that is already on its way may tap "en route" first. Unable is final: a force that cannot go
# is not out, so a stand-down has nothing to call back and must not bury its answer.
ORDER_MOVES: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.ISSUED: frozenset({OrderStatus.RECEIVED, OrderStatus.EN_ROUTE,
                                   OrderStatus.ON_SCENE, OrderStatus.UNABLE,
                                   OrderStatus.STOOD_DOWN}),
    OrderStatus.RECEIVED: frozenset({OrderStatus.EN_ROUTE, OrderStatus.ON_SCENE,
                                     OrderStatus.UNABLE, OrderStatus.STOOD_DOWN}),
    OrderStatus.EN_ROUTE: frozenset({OrderStatus.ON_SCENE, OrderStatus.STOOD_DOWN}),
    OrderStatus.ON_SCENE: frozenset({OrderStatus.STOOD_DOWN}),
    OrderStatus.STOOD_DOWN: frozenset(),
    OrderStatus.UNABLE: frozenset(),
}
# A force in one of these may be on its way, so a stand-down tells it (a silent one too).
OUT = frozenset({OrderStatus.ISSUED, OrderStatus.RECEIVED, OrderStatus.EN_ROUTE,
                 OrderStatus.ON_SCENE})
ANSWERS = (OrderStatus.RECEIVED, OrderStatus.EN_ROUTE, OrderStatus.ON_SCENE)


@dataclass
class Incident:
    title: str
    kind: str
    township: str
    level: Level
    opened_at: datetime
    opened_by: int
    opened_by_name: str
    is_drill: bool = False
    hq_unit_id: int | None = None
    closed_at: datetime | None = None
    closed_by: int | None = None
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def needs_hq(self) -> bool:
        return self.level is not Level.GENERAL


@dataclass(frozen=True)
class PlanForce:
    """A force chosen for a plan, with the task its order will carry."""

    unit_id: int
    task: str


@dataclass
class Plan:
    incident_id: int
    dispatcher_tg_id: int
    dispatcher_name: str
    task: str
    created_at: datetime
    rendezvous: str = ""
    status: PlanStatus = PlanStatus.DRAFT
    special: bool = False
    decided_by: int | None = None
    decided_by_name: str = ""
    decided_at: datetime | None = None
    reason: str = ""
    remind_due_at: datetime | None = None
    reminded_at: datetime | None = None
    deputies_due_at: datetime | None = None
    deputies_at: datetime | None = None
    reinforcement_id: int | None = None
    forces: tuple[PlanForce, ...] = ()
    id: int | None = None

    @property
    def decided(self) -> bool:
        return self.status not in (PlanStatus.DRAFT, PlanStatus.AWAITING_APPROVAL)


@dataclass
class Order:
    plan_id: int
    unit_id: int
    task: str
    issued_at: datetime
    t1_due_at: datetime
    t2_due_at: datetime
    status: OrderStatus = OrderStatus.ISSUED
    received_at: datetime | None = None
    en_route_at: datetime | None = None
    on_scene_at: datetime | None = None
    unable_at: datetime | None = None
    stood_down_at: datetime | None = None
    escalated_t1_at: datetime | None = None
    escalated_t2_at: datetime | None = None
    reason: str = ""
    # step -> [tg id, name]: who pressed each button
    by: dict[str, list[object]] = field(default_factory=dict)
    id: int | None = None

    def at(self, status: OrderStatus) -> datetime | None:
        if status is OrderStatus.ISSUED:
            return self.issued_at
        found: datetime | None = getattr(self, f"{status.value}_at", None)
        return found

    def move(self, to: OrderStatus, tg_id: int | None, name: str, now: datetime) -> OrderStatus:
        """Change state, stamping when and who; refuses a move the machine does not allow."""
        if to not in ORDER_MOVES[self.status]:
            raise self.refusal()
        before = self.status
        self.status = to
        setattr(self, f"{to.value}_at", now)
        self.by[to.value] = [tg_id, name]
        return before

    def refusal(self) -> Conflict:
        who = self.by.get(self.status.value, [None, ""])
        return Conflict("order_state", state=text(f"dispatch.order.state.{self.status}"),
                        by=who[1] or "—", at=self.at(self.status) or self.issued_at)

    @property
    def silent(self) -> bool:
        return self.status is OrderStatus.ISSUED

    @property
    def is_out(self) -> bool:
        return self.status in OUT

    def last_answer(self) -> OrderStatus | None:
        """The furthest step the force itself reported, whatever came after it."""
        found = [s for s in ANSWERS if self.at(s) is not None]
        return found[-1] if found else None

    def who(self, status: OrderStatus) -> str:
        entry = self.by.get(status.value) if self.by else None
        return str(entry[1]) if entry and entry[1] else ""


class ConcurrenceStatus(StrEnum):
    PENDING = "pending"
    AGREED = "agreed"
    REFUSED = "refused"


@dataclass
class Concurrence:
    plan_id: int
    department_id: int
    status: ConcurrenceStatus = ConcurrenceStatus.PENDING
    by: int | None = None
    by_name: str = ""
    at: datetime | None = None
    reason: str = ""
    id: int | None = None


@dataclass
class Period:
    title: str
    starts_at: datetime
    ends_at: datetime
    declared_by: int
    id: int | None = None


class ReinforcementStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass
class Reinforcement:
    incident_id: int
    need: str
    requested_by: int
    requested_by_name: str
    requested_at: datetime
    status: ReinforcementStatus = ReinforcementStatus.PENDING
    decided_by: int | None = None
    decided_by_name: str = ""
    decided_at: datetime | None = None
    reason: str = ""
    id: int | None = None


class PromptKind(StrEnum):
    """What a reason question asks for; the value is stored with the question."""

    REJECT = "reject"
    UNABLE = "unable"
    DISSENT = "dissent"
    REINFORCE_REJECT = "reinforce_reject"
    TRAFFIC_NEED = "traffic_need"  # what traffic support needs coordinated (core/traffic)
    CONSULT_DECLINE = "consult_decline"  # why an expert cannot attend (core/consult)
    RESPONSE_REFUSE = "response_no"  # 暂不启动 a response level (core.response)
    LESSONS = "lessons"  # 问题与改进 after an incident is closed (core/afteraction)
    COMP_PEOPLE = "comp_people"  # how many people a social force sent (core/compensation)


@dataclass
class Prompt:
    """A question asked with a ForceReply; the answer is the reply to this message (its id is
    None until Telegram has taken the question)."""

    chat_id: int
    message_id: int | None
    kind: PromptKind
    ref: int
    tg_id: int
    created_at: datetime
    id: int | None = None
