"""A clock that moves only when told: the figures are checked to the minute (2.5 h, 30
person-hours), which real seconds passing between taps would blur."""

from __future__ import annotations

import pytest

from core.clock import ControllableClock


@pytest.fixture
def clock() -> ControllableClock:
    return ControllableClock(ticking=False)
