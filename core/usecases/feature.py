"""The county itself as a feature: its units and people, chats bound to them, languages."""

from __future__ import annotations

from core.feature import Feature
from core.policy import ADMIN_IN_PRIVATE, ANYONE, IN_GROUP

COUNTY = Feature(
    name="county",
    catalog="core",
    commands=(("help", ANYONE), ("status", ANYONE), ("whoami", ANYONE), ("lang", ANYONE),
              ("bind", IN_GROUP), ("invite", ADMIN_IN_PRIVATE)),
)
