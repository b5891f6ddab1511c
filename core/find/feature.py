"""Resource search (/find) as a feature."""

from __future__ import annotations

from core.feature import Feature
from core.find.policies import FIND

FIND_FEATURE = Feature(name="find", catalog="find", commands=(("find", FIND),))
