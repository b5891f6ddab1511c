"""The registry: units (forces and the offices of the chain of command), people and roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class UnitKind(StrEnum):
    BUREAU = "bureau"
    BRIGADE = "brigade"
    DEPARTMENT = "department"
    GOVERNMENT = "government"
    UPPER_LEVEL = "upper_level"
    DETACHMENT = "detachment"
    HQ = "hq"
    FORCE = "force"


class ForceCategory(StrEnum):
    GOVERNMENT = "government"
    ENTERPRISE = "enterprise"
    SOCIAL = "social"
    EXPERT = "expert"


class Role(StrEnum):
    APPROVER = "approver"
    DISPATCHER = "dispatcher"
    COMMANDER = "commander"
    WARNING_ISSUER = "warning_issuer"
    HEAD = "head"
    DUTY_OFFICER = "duty_officer"
    MEMBER = "member"
    ADMIN = "admin"


@dataclass(frozen=True)
class Item:
    """A piece of equipment or a stock of material a force keeps."""

    name: str
    count: int
    unit: str = ""


@dataclass
class Unit:
    code: str
    kind: UnitKind
    name: str
    id: int | None = None
    category: ForceCategory | None = None
    sector: str = ""
    township: str = ""
    department_id: int | None = None
    capabilities: tuple[str, ...] = ()
    equipment: tuple[Item, ...] = ()
    materials: tuple[Item, ...] = ()
    data_updated: date | None = None
    # People available today, as the force last said (/update 在岗人数), and on which day.
    on_duty: int | None = None
    on_duty_on: date | None = None
    chat_id: int | None = None
    bound_at: datetime | None = None

    @property
    def is_force(self) -> bool:
        return self.kind is UnitKind.FORCE

    @property
    def is_bound(self) -> bool:
        return self.chat_id is not None


@dataclass
class Person:
    tg_id: int
    name: str
    phone: str = ""
    id: int | None = None
    # Optional: when the person's accident insurance and health check run out.
    insurance_until: date | None = None
    health_check_until: date | None = None


@dataclass(frozen=True)
class Grant:
    """One role of one person in one unit."""

    person_id: int
    unit_id: int
    role: Role


@dataclass
class Member:
    """A person as seen from a unit: who they are and what they may do there."""

    person: Person
    roles: frozenset[Role] = field(default_factory=frozenset)
