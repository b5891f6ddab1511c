"""Rolling assessment (滚动研判) as a feature."""

from __future__ import annotations

from core.feature import Feature
from core.sitrep.policies import POST_SITREP

SITREP = Feature(
    name="sitrep",
    catalog="sitrep",
    commands=(("sitrep", POST_SITREP),),
)
