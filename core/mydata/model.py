"""A force's data as its own group keeps it: one change to it, parsed from /update or the dialog,
and what it was before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Field(StrEnum):
    EQUIPMENT = "equipment"
    MATERIALS = "materials"
    CAPABILITY = "capability"
    ON_DUTY = "on_duty"  # people available today
    INSURANCE = "insurance_until"  # a person's accident insurance runs to
    HEALTH_CHECK = "health_check_until"  # a person's health check is valid to


# The words a person types for each field, Chinese first; English works in any chat.
FIELD_WORDS = {
    "装备": Field.EQUIPMENT, "equipment": Field.EQUIPMENT,
    "物资": Field.MATERIALS, "materials": Field.MATERIALS, "material": Field.MATERIALS,
    "能力": Field.CAPABILITY, "capability": Field.CAPABILITY,
    "在岗人数": Field.ON_DUTY, "在岗": Field.ON_DUTY, "on_duty": Field.ON_DUTY,
    "保险": Field.INSURANCE, "insurance": Field.INSURANCE,
    "体检": Field.HEALTH_CHECK, "health_check": Field.HEALTH_CHECK,
}


@dataclass(frozen=True)
class Change:
    """One change: ``name`` is the item, capability or person (a name or a Telegram id; '' for
    the count on duty); ``count`` the
    new count (None for a capability); ``add`` whether a capability is added or removed;
    ``unit`` a material's unit of count (袋, 米), kept when not given."""

    field: Field
    name: str = ""
    count: int | None = None
    add: bool = True
    unit: str = ""
    until: date | None = None  # a person's new insurance or health-check date


PERSON_FIELDS = (Field.INSURANCE, Field.HEALTH_CHECK)


@dataclass(frozen=True)
class Expiry:
    """A person's insurance or health check running out (or run out) soon."""

    unit_code: str
    unit_name: str
    tg_id: int
    person: str
    field: Field
    until: date
    days_left: int
