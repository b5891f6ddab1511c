"""A force's own data (/mydata, /update) and its freshness (/stale) as a feature."""

from __future__ import annotations

from core.feature import Feature
from core.mydata.policies import LIST_STALE, SHOW_DATA, UPDATE_DATA

MYDATA = Feature(
    name="mydata",
    catalog="mydata",
    commands=(("mydata", SHOW_DATA), ("update", UPDATE_DATA), ("stale", LIST_STALE)),
)
