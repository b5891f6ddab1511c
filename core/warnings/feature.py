"""Early warnings (预警) as a feature."""

from __future__ import annotations

from core.feature import Feature
from core.policy import IN_BOUND_GROUP
from core.warnings.policies import ISSUE_WARNING

WARNINGS = Feature(
    name="warnings",
    catalog="alerts",
    commands=(("warn", ISSUE_WARNING), ("warn_upgrade", ISSUE_WARNING),
              ("warn_cancel", ISSUE_WARNING), ("warnings", IN_BOUND_GROUP)),
)
