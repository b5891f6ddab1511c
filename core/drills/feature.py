"""Drills and spot-checks as a feature."""

from __future__ import annotations

from core.drills.policies import OPEN_DRILL, READ_MUSTER, SPOTCHECK
from core.feature import Feature

DRILLS = Feature(
    name="drills",
    catalog="drills",
    commands=(("drill", OPEN_DRILL), ("spotcheck", SPOTCHECK), ("muster", READ_MUSTER)),
)
