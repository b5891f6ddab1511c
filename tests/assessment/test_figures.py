"""The assessment's arithmetic and its parsing, without adapters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.assessment.figures import OrderRows, RollCallRows, WarningRows, assess
from core.assessment.model import Period
from core.assessment.usecases import parse_request
from core.errors import DomainError
from core.registry import ForceCategory, Unit, UnitKind
from tests.assessment.sample import DRILL, EXPECTED, november

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
NOV = Period(2026, 11)


def forces() -> list[Unit]:
    return [Unit("police", UnitKind.FORCE, "特警", id=1, category=ForceCategory.GOVERNMENT,
                 chat_id=-1, bound_at=datetime(2026, 1, 1, tzinfo=UTC),
                 data_updated=date(2026, 11, 10)),
            Unit("water", UnitKind.FORCE, "水务", id=2, category=ForceCategory.ENTERPRISE,
                 chat_id=-2, bound_at=datetime(2026, 12, 1, 1, tzinfo=UTC)),
            Unit("health", UnitKind.FORCE, "卫健", id=3, category=ForceCategory.SOCIAL)]


def rows() -> tuple[RollCallRows, WarningRows, OrderRows]:
    s = november(1, 2, 3, 9)
    calls = [(rc, a) for rc, answers in s.rollcalls for a in answers]
    warned = [(w, t) for w, targets in s.warnings for t in targets]
    orders = [(o, inc.is_drill) for inc, _, os in s.incidents for o in os]
    return calls, warned, orders


def test_each_force_real_figures_drills_and_spot_checks_apart() -> None:
    a = assess(forces(), *rows(), NOV, ZONE, NOW)
    for f in a.forces:
        want = EXPECTED[f.unit.code]
        got = {k: getattr(f, k) for k in want}
        assert got == want, f.unit.code
    police, water, health = a.forces
    assert police.on_time_rate == 100.0 and water.on_time_rate == 50.0
    assert police.t1_rate == 100.0 and health.unable == 1
    # Freshness as of the day the figures are read (before the month's end): 10 days.
    assert police.data_age_days == 10 and health.data_age_days is None
    # Bound only after November ended: not connected in November.
    assert [f.bound for f in a.forces] == [True, False, False]
    assert a.total.connection_rate == pytest.approx(100 / 3)
    assert not a.total.connection_met
    weakest = a.weakest()
    assert weakest is not None and weakest.unit.code in ("health", "water")  # both 50%
    assert set(a.categories) == {ForceCategory.GOVERNMENT, ForceCategory.ENTERPRISE,
                                 ForceCategory.SOCIAL}
    assert a.total.calls == 6 and a.total.on_time == 4 and a.total.missed == 1


def test_drill_figures_are_only_the_drills() -> None:
    a = assess(forces(), *rows(), NOV, ZONE, NOW, drill=True)
    for f in a.forces:
        calls, on_time, orders = DRILL.get(f.unit.code, (0, 0, 0))
        assert (f.calls, f.on_time, f.orders, f.warnings, f.spotchecks) == (
            calls, on_time, orders, 0, 0), f.unit.code


def test_a_roll_call_still_open_counts_no_miss_yet() -> None:
    calls, warned, orders = rows()
    early = calls[0][0].opened_at  # the first November roll-call has just opened
    a = assess(forces(), calls, warned, orders, NOV, ZONE, early)
    assert a.total.calls == 0


def test_a_year_has_its_months() -> None:
    a = assess(forces(), *rows(), Period(2026), ZONE, NOW)
    assert [p.label for p, _ in a.by_month] == [f"2026-{m:02d}" for m in range(1, 12)]
    october = dict((p.label, g) for p, g in a.by_month)["2026-10"]
    assert (october.calls, october.missed) == (1, 1)
    assert a.total.calls == 7


@pytest.mark.parametrize(("args", "period", "code", "drill"), [
    ("", "2026-11", "", False),
    ("2026", "2026", "", False),
    ("2026-3 F-Police", "2026-03", "f-police", False),
    ("drill 2025-12", "2025-12", "", True),
    ("演练", "2026-11", "", True),
])
def test_stats_arguments(args: str, period: str, code: str, drill: bool) -> None:
    found = parse_request(args, NOV)
    assert (found.period.label, found.code, found.drill) == (period, code, drill)


@pytest.mark.parametrize("args", ["2026-13", "1999", "2026 2025", "a b c d", "x" * 5000,
                                  "a b"])
def test_bad_stats_arguments_are_refused(args: str) -> None:
    with pytest.raises(DomainError):
        parse_request(args, NOV)


def test_period_bounds_are_the_county_days() -> None:
    start, end = Period(2026, 12).bounds(ZONE)
    assert start == datetime(2026, 11, 30, 16, tzinfo=UTC)
    assert end == datetime(2026, 12, 31, 16, tzinfo=UTC)
    assert Period(2026, 1).previous_month().label == "2025-12"
