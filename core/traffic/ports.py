"""What traffic support needs from storage: its requests, on top of the dispatch chain."""

from __future__ import annotations

from typing import Protocol

from core.dispatch.ports import DispatchUnitOfWork
from core.traffic.model import TrafficRequest


class TrafficRepo(Protocol):
    async def add(self, request: TrafficRequest) -> TrafficRequest: ...
    async def get(self, request_id: int) -> TrafficRequest | None: ...
    async def for_incident(self, incident_id: int) -> list[TrafficRequest]: ...

    async def answer(self, request: TrafficRequest, expected_revision: int) -> bool:
        """Write the answer if nobody answered since ``expected_revision`` was read."""
        ...


class TrafficUnitOfWork(DispatchUnitOfWork, Protocol):
    @property
    def traffic(self) -> TrafficRepo: ...
