"""What the response use cases need from storage. A response belongs to an incident of the
dispatch chain and may open a roll-call, so its unit of work is theirs with the responses added."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.dispatch.ports import DispatchUnitOfWork
from core.response.model import Proposal, Response, Status
from core.rollcall.ports import RollCallUnitOfWork


class ResponseRepo(Protocol):
    async def add(self, proposal: Proposal) -> Proposal: ...
    async def get(self, proposal_id: int) -> Proposal | None: ...
    async def open_for(self, incident_id: int) -> list[Proposal]: ...

    async def decide(self, proposal: Proposal, status: Status) -> bool:
        """Write the decision (status, who, when, reason, superseded_by) if the proposal is
        still open; False if another decision came first."""
        ...

    async def due(self, now: datetime) -> list[Proposal]:
        """Open proposals past their confirmation time and not yet escalated."""
        ...

    async def claim_escalation(self, proposal_id: int, at: datetime) -> bool: ...
    async def current(self, incident_id: int) -> Response | None: ...
    async def put_current(self, response: Response) -> None: ...

    async def reminding(self) -> list[Response]:
        """Levels in force on open incidents with an order reminder interval."""
        ...

    async def reminded(self, order_ids: list[int]) -> dict[int, datetime]:
        """When each of these orders was last reminded at a level's interval."""
        ...

    async def claim_reminder(self, order_id: int, last: datetime | None, at: datetime) -> bool:
        """Record a reminder if none was recorded since ``last``; False if one was."""
        ...

    async def daily_rollcall_at(self) -> bool:
        """Whether a level in force on an open incident asks for daily roll-calls."""
        ...


class ResponseUnitOfWork(DispatchUnitOfWork, RollCallUnitOfWork, Protocol):
    @property
    def responses(self) -> ResponseRepo: ...
