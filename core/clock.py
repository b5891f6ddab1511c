"""Time as a port, so that deadlines can be tested without waiting."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ControllableClock:
    """A clock tests and the demo move forward at will.

    With ``ticking`` it also runs at real speed between jumps, so retries and pacing that wait
    a second still see that second pass; without, it moves only when told to.
    """

    def __init__(self, start: datetime | None = None, *, ticking: bool = True) -> None:
        self._start = start or datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
        self._offset = timedelta()
        self._ticking = ticking
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        elapsed = timedelta(seconds=time.monotonic() - self._t0) if self._ticking else timedelta()
        return self._start + elapsed + self._offset

    def advance(self, delta: timedelta | float) -> datetime:
        self._offset += delta if isinstance(delta, timedelta) else timedelta(seconds=delta)
        return self.now()

    def set(self, moment: datetime) -> None:
        self._offset += moment - self.now()
