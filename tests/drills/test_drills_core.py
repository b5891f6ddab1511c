"""Core rules of drills and spot-checks, without adapters: parsing, the seeded draw, the
muster figures, the marks on roll-call messages, and which roll-calls count as duty."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from core.dispatch.choices import _last_rollcall_answers
from core.dispatch.model import Level, Order, OrderStatus
from core.dispatch.muster import muster
from core.drills.draw import draw, new_seed
from core.drills.usecases import parse_drill, parse_spotcheck
from core.errors import DomainError
from core.notices import text
from core.registry import ForceCategory, Unit, UnitKind
from core.rollcall import notices
from core.rollcall.model import Answer, RollCall, RollCallKind
from core.warnings.targets import TargetSpec

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def force(i: int) -> Unit:
    return Unit(f"f-{i:03d}", UnitKind.FORCE, f"力量{i}", id=i, chat_id=-i,
                category=ForceCategory.GOVERNMENT, township="城关镇")


def test_drill_line_reads_level_township_scenario_and_roll_call_targets() -> None:
    line = parse_drill("城关镇 防汛 应急演练 force:f-a,f-b")
    assert (line.level, line.township, line.scenario) == (Level.GENERAL, "城关镇", "防汛 应急演练")
    assert line.targets == TargetSpec("force", ("f-a", "f-b"))
    line = parse_drill("较大 石桥镇 森林火灾演练")
    assert (line.level, line.targets) == (Level.LARGER, None)
    assert parse_drill("城关镇 演练 all").targets == TargetSpec("all")
    # Two words only: the second is the scenario even if it looks like a scope.
    assert parse_drill("城关镇 all").scenario == "all"


@pytest.mark.parametrize("args", ["", "城关镇", "一般", "一般 城关镇", "城关镇 x" + "y" * 5000,
                                  "城关镇 演练 galaxy:far"])
def test_bad_drill_lines_are_refused(args: str) -> None:
    with pytest.raises(DomainError):
        parse_drill(args)


def test_spotcheck_line() -> None:
    assert parse_spotcheck("3") == parse_spotcheck(" 3 all ")
    line = parse_spotcheck("2 township:城关镇")
    assert (line.n, line.departments, line.targets) == (2, False, TargetSpec("township",
                                                                             ("城关镇",)))
    assert parse_spotcheck("部门 4").departments


@pytest.mark.parametrize("args", ["", "0", "-1", "x", "1.5", "２", "9" * 5000, "dept",
                                  "dept 2 all", "2 all more", "100000"])
def test_bad_spotcheck_lines_are_refused(args: str) -> None:
    with pytest.raises(DomainError):
        parse_spotcheck(args)


def test_the_draw_is_reproducible_from_its_seed_whatever_the_order_of_units() -> None:
    units = [force(i) for i in range(1, 41)]
    seed = new_seed()
    first = [u.code for u in draw(units, 7, seed)]
    assert [u.code for u in draw(list(reversed(units)), 7, seed)] == first
    assert len(set(first)) == 7
    # Different seeds draw differently (over many seeds, not all the same).
    assert len({tuple(u.code for u in draw(units, 7, s)) for s in range(20)}) > 1
    assert sorted(u.code for u in draw(units[:3], 10, seed)) == ["f-001", "f-002", "f-003"]


def _order(unit_id: int, issued: datetime, **steps: timedelta) -> Order:
    o = Order(1, unit_id, "task", issued, issued + timedelta(minutes=3),
              issued + timedelta(minutes=10), id=unit_id)
    for status, after in steps.items():
        o.move(OrderStatus(status), 1, "x", issued + after)
    return o


def test_muster_minutes_per_force_first_order_counts() -> None:
    a = _order(1, T0, received=timedelta(seconds=90), en_route=timedelta(minutes=4),
               on_scene=timedelta(minutes=20))
    b = _order(2, T0, en_route=timedelta(minutes=2))  # went without tapping 收到
    c = _order(3, T0)
    d = _order(4, T0, unable=timedelta(minutes=1))
    later = _order(1, T0 + timedelta(hours=1), received=timedelta(minutes=9))
    rows = muster([(later, "A"), (a, "A"), (b, "B"), (c, "C"), (d, "D")])
    assert [(r.force, r.received, r.en_route, r.on_scene, r.unable) for r in rows] == [
        ("A", 1.5, 4.0, 20.0, False), ("B", 2.0, 2.0, None, False),
        ("C", None, None, None, False), ("D", None, None, None, True)]
    assert muster([]) == []


def _rc(kind: RollCallKind) -> RollCall:
    return RollCall(kind, "all", T0, T0 + timedelta(minutes=5), id=7)


@pytest.mark.parametrize(("kind", "mark", "duty"), [
    (RollCallKind.SCHEDULED, "", True), (RollCallKind.ADHOC, "", True),
    (RollCallKind.DRILL, "rollcall.mark.drill", False),
    (RollCallKind.SPOTCHECK, "rollcall.mark.spotcheck", False)])
def test_drill_and_spotcheck_roll_calls_are_marked_and_not_duty(
        kind: RollCallKind, mark: str, duty: bool) -> None:
    rc = _rc(kind)
    assert rc.counts_as_duty is duty
    for notice in (notices.card(rc, 3), notices.called_out(rc, 3, [])):
        assert notice.params["mark"] == (text(mark) if mark else ""), notice.params


class _RollCalls:
    def __init__(self, rows: list[tuple[RollCall, Answer]]) -> None:
        self.rows = rows

    async def answers_since(self, since: datetime) -> list[tuple[RollCall, Answer]]:
        return self.rows


class _Uow:
    def __init__(self, rows: list[tuple[RollCall, Answer]]) -> None:
        self.rollcalls = _RollCalls(rows)


async def test_the_dispatchers_last_roll_call_answer_ignores_drills() -> None:
    """The dispatch dialog shows each force's last roll-call answer: a drill's says nothing
    of real duty; a spot-check's does."""
    rows = [(_rc(RollCallKind.ADHOC), Answer(7, 1, answered_at=T0)),
            (_rc(RollCallKind.DRILL), Answer(7, 1)),
            (_rc(RollCallKind.DRILL), Answer(7, 2, answered_at=T0)),
            (_rc(RollCallKind.SPOTCHECK), Answer(7, 3))]
    found = await _last_rollcall_answers(cast(Any, _Uow(rows)), T0)
    assert found == {1: (T0, False), 3: (None, True)}
