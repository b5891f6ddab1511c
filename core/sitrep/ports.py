"""What the situation updates need from storage. They belong to an incident of the dispatch
chain, so their unit of work is the dispatch chain's with the updates added."""

from __future__ import annotations

from typing import Protocol

from core.dispatch.ports import DispatchUnitOfWork
from core.sitrep.model import Sitrep


class SitrepRepo(Protocol):
    async def next_number(self, incident_id: int) -> int:
        """The incident's next number, taken atomically: of two updates posted at the same
        moment each gets its own."""
        ...

    async def add(self, sitrep: Sitrep) -> Sitrep: ...
    async def for_incident(self, incident_id: int) -> list[Sitrep]: ...


class SitrepUnitOfWork(DispatchUnitOfWork, Protocol):
    @property
    def sitreps(self) -> SitrepRepo: ...
