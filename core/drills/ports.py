"""A drill is an incident of the dispatch chain with a roll-call; a spot-check is a roll-call.
No storage of their own: the roll-call keeps the seed and the drill's incident."""

from __future__ import annotations

from typing import Protocol

from core.dispatch.ports import DispatchUnitOfWork
from core.rollcall.ports import RollCallUnitOfWork


class DrillUnitOfWork(DispatchUnitOfWork, RollCallUnitOfWork, Protocol):
    pass
