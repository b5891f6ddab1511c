"""Information reports (信息报送, 抄报) as a feature."""

from __future__ import annotations

from core.feature import Feature
from core.reports.policies import FILE_REPORT

REPORTS = Feature(
    name="reports",
    catalog="reports",
    commands=(("report", FILE_REPORT),),
)
