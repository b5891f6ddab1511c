"""Compensation of social forces as a feature: /compensation YYYY-MM."""

from __future__ import annotations

from core.compensation.policies import SEE_COMPENSATION
from core.feature import Feature

COMPENSATION = Feature(name="compensation", catalog="compensation",
                       commands=(("compensation", SEE_COMPENSATION),))
