"""Duty roll-calls (值班调度) as a feature."""

from __future__ import annotations

from core.feature import Feature
from core.policy import IN_BOUND_GROUP
from core.rollcall.policies import CALL_ROLL

ROLLCALLS = Feature(
    name="rollcalls",
    catalog="alerts",
    commands=(("rollcall", CALL_ROLL), ("sensitive", CALL_ROLL), ("duty", IN_BOUND_GROUP)),
)
