"""When scheduled roll-calls fall due: the latest cron fire time within the grace period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.rollcall_schedule import last_slot

ZONE = ZoneInfo("Asia/Shanghai")
GRACE = timedelta(minutes=120)


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_monthly_slot_is_due_only_within_grace() -> None:
    assert last_slot("0 9 1 * *", ZONE, utc(2026, 11, 1, 0, 59), GRACE) is None  # 08:59 local
    slot = last_slot("0 9 1 * *", ZONE, utc(2026, 11, 1, 1, 0), GRACE)
    assert slot == utc(2026, 11, 1, 1, 0)
    assert last_slot("0 9 1 * *", ZONE, utc(2026, 11, 1, 2, 59), GRACE) == slot
    assert last_slot("0 9 1 * *", ZONE, utc(2026, 11, 1, 3, 1), GRACE) is None
    # The test clock's start (2 Nov 09:00 local) is a day after the slot: nothing runs.
    assert last_slot("0 9 1 * *", ZONE, utc(2026, 11, 2, 1, 0), GRACE) is None


def test_daily_slot_and_the_latest_of_several() -> None:
    assert last_slot("0 9 * * *", ZONE, utc(2026, 7, 3, 2, 0), GRACE) == utc(2026, 7, 3, 1, 0)
    assert last_slot("*/30 * * * *", ZONE, utc(2026, 7, 3, 2, 10), GRACE) == utc(2026, 7, 3, 2, 0)
