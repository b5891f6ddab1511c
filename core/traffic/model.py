"""Traffic support (交通运输保障, seed §4(二)): when a plan's orders go out, public security and
transport open lanes for the forces' vehicles. One request per plan and department; its state
is what that department last answered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.registry import Item, Unit


class TrafficState(StrEnum):
    PENDING = "pending"
    ARRANGED = "arranged"  # 已安排
    NEEDS = "needs"  # 需协调, with what is needed


@dataclass
class TrafficRequest:
    plan_id: int
    incident_id: int
    department_id: int
    sent_at: datetime
    state: TrafficState = TrafficState.PENDING
    by: int | None = None
    by_name: str = ""
    at: datetime | None = None
    need: str = ""
    revision: int = 0  # moves with every answer, so of two answers read together one wins
    # The forces and their vehicles as sent, so an edited request shows the same list.
    forces: tuple[ForceVehicles, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class ForceVehicles:
    force: str
    vehicles: tuple[Item, ...] = ()

    @property
    def count(self) -> int:
        return sum(i.count for i in self.vehicles)


@dataclass(frozen=True)
class TrafficConfig:
    """Which departments open the lanes (registry sector) and which equipment is a vehicle
    (an item whose name contains one of the words, case-insensitive)."""

    sectors: frozenset[str] = frozenset({"police", "public_security", "transport"})
    vehicle_words: tuple[str, ...] = (
        "车", "艇", "舟", "船", "挖掘机", "推土机", "装载机",
        "vehicle", "truck", "boat", "ambulance", "excavator", "bulldozer", "loader", "crane")

    def is_vehicle(self, item: Item) -> bool:
        name = item.name.lower()
        return any(word.lower() in name for word in self.vehicle_words)

    def vehicles(self, force: Unit) -> tuple[Item, ...]:
        return tuple(i for i in force.equipment if i.count > 0 and self.is_vehicle(i))

    def departments(self, units: Iterable[Unit]) -> list[Unit]:
        return [u for u in units if u.id is not None and u.sector.lower() in self.sectors]
