"""Joint assessment and a response started together (灾情联合研判、应急响应同时启动)."""

from __future__ import annotations

from core.feature import Feature
from core.response.policies import PROPOSE

RESPONSES = Feature(
    name="response",
    catalog="response",
    commands=(("respond", PROPOSE),),
)
