"""Assessment (考核, seed §5): the figures of each force and of the county over a month or a
year, as plain data. Real and drill figures are never mixed: an assessment is one or the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.registry import ForceCategory, Unit

CONNECTION_TARGET = 0.8  # seed §5: at least 80% of forces connected (接入比例)


@dataclass(frozen=True)
class Period:
    """A calendar month or year in the county's time zone: [starts_at, ends_at)."""

    year: int
    month: int | None = None  # None: the whole year

    @property
    def label(self) -> str:
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def next_first_day(self) -> date:
        if self.month is None or self.month == 12:
            return date(self.year + 1, 1, 1)
        return date(self.year, self.month + 1, 1)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        return (datetime.combine(self.first_day, time(), zone),
                datetime.combine(self.next_first_day, time(), zone))

    def months(self) -> list[Period]:
        """The months of a year (a month: itself)."""
        if self.month is not None:
            return [self]
        return [Period(self.year, m) for m in range(1, 13)]

    def previous_month(self) -> Period:
        """The month before this one (a month period)."""
        assert self.month is not None
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    @staticmethod
    def month_of(moment: datetime, zone: ZoneInfo) -> Period:
        local = moment.astimezone(zone)
        return Period(local.year, local.month)


def rate(part: int, whole: int) -> float | None:
    """A percentage, or None when there was nothing to count (shown as "—", never as 0%)."""
    return 100.0 * part / whole if whole else None


def pct(value: float | None) -> str:
    """A rate as people read it in a table or a paragraph; "—" when nothing was counted."""
    return "—" if value is None else f"{value:.1f}%"


def minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


class Rates:
    """The rates a force's figures and a group's sums share; "—" (None) when nothing counted."""

    calls: int
    on_time: int
    late: int
    spotchecks: int
    spotchecks_passed: int
    warnings: int
    confirmed: int
    orders: int
    within_t1: int

    @property
    def missed(self) -> int:
        return self.calls - self.on_time - self.late

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.calls)

    @property
    def confirmed_rate(self) -> float | None:
        return rate(self.confirmed, self.warnings)

    @property
    def t1_rate(self) -> float | None:
        return rate(self.within_t1, self.orders)

    @property
    def spotcheck_rate(self) -> float | None:
        return rate(self.spotchecks_passed, self.spotchecks)


@dataclass
class ForceFigures(Rates):
    """One force over one period."""

    unit: Unit
    # duty roll-calls (monthly, special-period and ad-hoc ones; spot-checks apart)
    calls: int = 0
    on_time: int = 0
    late: int = 0
    # unannounced inspections (/spotcheck): answered on time is passed
    spotchecks: int = 0
    spotchecks_passed: int = 0
    # warnings received and confirmed
    warnings: int = 0
    confirmed: int = 0
    confirm_median_s: float | None = None
    # dispatch orders
    orders: int = 0
    within_t1: int = 0
    received_median_s: float | None = None
    on_scene_median_s: float | None = None
    unable: int = 0
    # the registry
    data_age_days: int | None = None
    bound: bool = False



@dataclass
class GroupFigures(Rates):
    """Several forces together (a category, or the county): sums, and rates of the sums."""

    forces: int = 0
    bound: int = 0
    calls: int = 0
    on_time: int = 0
    late: int = 0
    spotchecks: int = 0
    spotchecks_passed: int = 0
    warnings: int = 0
    confirmed: int = 0
    orders: int = 0
    within_t1: int = 0
    unable: int = 0
    stale: int = 0  # forces whose registry data is older than a year, or undated

    @property
    def connection_rate(self) -> float | None:
        return rate(self.bound, self.forces)

    @property
    def connection_met(self) -> bool:
        return self.forces > 0 and self.bound >= CONNECTION_TARGET * self.forces


@dataclass
class Assessment:
    period: Period
    drill: bool
    forces: list[ForceFigures]
    # County level (the brigade, bureau, county government see it): whole county and per
    # category; a department or a force sees the sum of what it sees under ``total``.
    total: GroupFigures
    categories: dict[ForceCategory, GroupFigures] = field(default_factory=dict)
    # A year's assessment: the county's figures month by month (empty for a month).
    by_month: list[tuple[Period, GroupFigures]] = field(default_factory=list)
    county_wide: bool = False
    made_at: datetime | None = None

    def ranked(self) -> list[ForceFigures]:
        """Forces with roll-calls, weakest on-time rate first (ties by name)."""
        counted = [f for f in self.forces if f.calls]
        return sorted(counted, key=lambda f: (f.on_time_rate or 0.0, f.unit.name))

    def weakest(self) -> ForceFigures | None:
        ranked = self.ranked()
        return ranked[0] if ranked else None


STALE_AFTER = timedelta(days=365)
