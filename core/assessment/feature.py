"""Assessment (考核) as a feature: /stats, the yearly workbook and the monthly document."""

from __future__ import annotations

from core.assessment.policies import SEE_STATS
from core.feature import Feature

ASSESSMENT = Feature(
    name="assessment",
    catalog="assessment",
    commands=(("stats", SEE_STATS),),
)
