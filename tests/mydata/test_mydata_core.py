"""The rules of a force's data without adapters: the one-line forms, staleness, expiries, and
the registry file's two people dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from core.errors import DomainError
from core.mydata.model import Change, Field
from core.mydata.usecases import expiries, is_stale, parse_update
from core.registry import Member, Person, Unit, UnitKind
from core.registry_file import RegistryFileError, parse_registry
from tests.conftest import COUNTY


@pytest.mark.parametrize(("line", "change"), [
    ("装备 冲锋舟 3", Change(Field.EQUIPMENT, "冲锋舟", 3)),
    ("装备 GNSS 接收机 4", Change(Field.EQUIPMENT, "GNSS 接收机", 4)),
    ("物资 沙袋 500 袋", Change(Field.MATERIALS, "沙袋", 500, unit="袋")),
    ("物资 沙袋 500", Change(Field.MATERIALS, "沙袋", 500)),
    ("能力 +水域救援", Change(Field.CAPABILITY, "水域救援")),
    ("能力 -高空救援", Change(Field.CAPABILITY, "高空救援", add=False)),
    ("在岗人数 12", Change(Field.ON_DUTY, count=12)),
    ("equipment boat 0", Change(Field.EQUIPMENT, "boat", 0)),
    ("装备 冲锋舟 ３", Change(Field.EQUIPMENT, "冲锋舟", 3)),  # a full-width digit
    ("保险 秦磊 2027-06-30", Change(Field.INSURANCE, "秦磊", until=date(2027, 6, 30))),
    ("体检 300504 2027-01-01", Change(Field.HEALTH_CHECK, "300504", until=date(2027, 1, 1))),
])
def test_one_line_forms(line: str, change: Change) -> None:
    assert parse_update(line) == change


@pytest.mark.parametrize(("line", "code"), [
    ("", "usage"), ("装备", "usage"), ("装备 冲锋舟", "usage"),
    ("装备 冲锋舟 -1", "mydata_bad_count"),
    ("装备 冲锋舟 1e3", "mydata_bad_count"), ("装备 冲锋舟 ²", "mydata_bad_count"),
    ("装备 冲锋舟 " + "9" * 11, "mydata_bad_count"), ("在岗人数 1 2", "usage"),
    ("能力 水域救援", "usage"), ("能力 +", "usage"), ("保险 秦磊 2027/06/30", "mydata_bad_date"),
    ("装备 " + "舟" * 33 + " 1", "too_long"), ("x" * 5000, "too_long"), ("飞船 1", "usage"),
])
def test_bad_forms_are_refused(line: str, code: str) -> None:
    with pytest.raises(DomainError) as e:
        parse_update(line)
    assert e.value.code == code


def test_staleness() -> None:
    force = Unit("f", UnitKind.FORCE, "F", data_updated=date(2026, 1, 1))
    assert is_stale(force, date(2026, 4, 1), 90) is False  # 90 days: not older than 90
    assert is_stale(force, date(2026, 4, 2), 90) == 91
    assert is_stale(Unit("g", UnitKind.FORCE, "G"), date(2026, 4, 2), 90) is None


def test_expiries_within_thirty_days() -> None:
    force = Unit("f", UnitKind.FORCE, "F")
    people = [Member(Person(1, "A", insurance_until=date(2026, 5, 1))),
              Member(Person(2, "B", health_check_until=date(2026, 5, 2))),
              Member(Person(3, "C", insurance_until=date(2026, 3, 1)))]
    found = expiries(force, people, date(2026, 4, 1), 30)
    assert [(e.person, e.field, e.days_left) for e in found] == [
        ("C", Field.INSURANCE, -31), ("A", Field.INSURANCE, 30)]


def _file(**person: Any) -> dict[str, Any]:
    """The example county with the dates given to f-police's first person."""
    raw: dict[str, Any] = yaml.safe_load(COUNTY.read_text(encoding="utf-8"))
    force = next(u for u in raw["units"] if u["code"] == "f-police")
    force["people"][0].update(person)
    return raw


def test_registry_file_people_dates() -> None:
    found = parse_registry(_file(insurance_until="2027-06-30",
                                 health_check_until=date(2027, 1, 2)))
    force = next(u for u in found.units if u.code == "f-police")
    person = force.people[0]
    assert (person.insurance_until, person.health_check_until) == (
        date(2027, 6, 30), date(2027, 1, 2))
    assert next(u for u in found.units if u.code == "f-water").people[0].insurance_until is None
    for bad in ("明年六月", "2027-02-30", 20270630):
        with pytest.raises(RegistryFileError) as e:
            parse_registry(_file(insurance_until=bad))
        assert [p.field for p in e.value.problems] == ["insurance_until"], bad
