"""A response level (应急响应) started together (同时启动): one side proposes, the other side
agrees, and only then the level starts. The bureau and the brigade are the two sides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

from core.registry import UnitKind


class Level(IntEnum):
    """Ⅳ is the lowest level, Ⅰ the highest; NONE is no response (what 终止 proposes)."""

    NONE = 0
    I = 1  # noqa: E741  the level's own name
    II = 2
    III = 3
    IV = 4

    @property
    def rank(self) -> int:
        """How grave: 0 for none, 1 for Ⅳ ... 4 for Ⅰ."""
        return 0 if self is Level.NONE else 5 - self.value

    @property
    def county_wide(self) -> bool:
        """Ⅱ and Ⅰ concern the whole county; Ⅳ and Ⅲ the incident's township."""
        return self in (Level.I, Level.II)


class Side(StrEnum):
    BUREAU = "bureau"
    BRIGADE = "brigade"

    @property
    def other(self) -> Side:
        return Side.BRIGADE if self is Side.BUREAU else Side.BUREAU

    @property
    def kind(self) -> UnitKind:
        return UnitKind(self.value)


class Status(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"  # the level started (changed, ended) at that moment
    REFUSED = "refused"  # 暂不启动, with a reason
    SUPERSEDED = "superseded"  # a newer proposal on the same incident took its place


@dataclass
class Proposal:
    incident_id: int
    level: Level  # the level proposed; NONE ends the response
    from_level: Level  # the level in force when it was proposed
    side: Side
    proposed_by: int
    proposed_by_name: str
    proposed_at: datetime
    due_at: datetime  # not decided by then: the other side's leaders are called, once
    status: Status = Status.PROPOSED
    decided_by: int | None = None
    decided_by_name: str = ""
    decided_at: datetime | None = None
    reason: str = ""
    escalated_at: datetime | None = None
    superseded_by: int | None = None
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status is Status.PROPOSED


@dataclass(frozen=True)
class Effects:
    """What a level sets going when it starts (configurable per level)."""

    rollcall: bool = False  # an ad hoc roll-call of the forces concerned
    daily_rollcall: bool = False  # the roll-call schedule runs daily while the level lasts
    order_remind_minutes: int = 0  # 0: none


@dataclass
class Response:
    """The level in force on an incident (NONE once ended); the history is in the proposals."""

    incident_id: int
    level: Level
    since: datetime
    proposal_id: int
    daily_rollcall: bool = False
    order_remind_minutes: int = 0
    rollcall_id: int | None = None
