"""The month's figures from deployments, and the month argument, without the bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.compensation.model import Deployment
from core.compensation.usecases import month_bounds, parse_month, totals
from core.dispatch.config import SHANGHAI
from core.errors import DomainError

T = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def _d(order: int, unit: int, hours: float, people: int | None, *, closed: float | None = None,
       stood: bool = True) -> Deployment:
    return Deployment(order, unit, f"force {unit}", f"f-{unit}", 1, "fire", T,
                      T + timedelta(hours=hours) if stood else None,
                      T + timedelta(hours=closed) if closed is not None else None, people)


def test_totals_per_force_end_at_the_earlier_of_stand_down_and_close() -> None:
    now = T + timedelta(hours=10)
    found = totals([_d(1, 7, 2.5, 12), _d(2, 7, 3, None, closed=1),
                    _d(3, 8, 0, 4, stood=False)], now)
    assert [(f.unit_id, f.deployments, f.hours, f.person_hours, f.unreported, f.ongoing)
            for f in found] == [(8, 1, 10.0, 40.0, 0, 1), (7, 2, 3.5, 30.0, 1, 0)]


@pytest.mark.parametrize("raw, month", [("2026-11", "2026-11"), (" 2026-1 ", "2026-01")])
def test_a_month_as_written(raw: str, month: str) -> None:
    assert parse_month(raw) == month


@pytest.mark.parametrize("raw", ["", "2026-13", "2026-00", "11-2026", "２０２６-11", "2026-1１",
                                 "1999-12", "2026-11-01", "2026/11"])
def test_anything_else_is_refused(raw: str) -> None:
    with pytest.raises(DomainError) as e:
        parse_month(raw)
    assert e.value.code == "compensation_month"


def test_the_month_runs_in_county_time() -> None:
    start, end = month_bounds("2026-12", SHANGHAI)
    assert start.isoformat() == "2026-12-01T00:00:00+08:00"
    assert end.isoformat() == "2027-01-01T00:00:00+08:00"
