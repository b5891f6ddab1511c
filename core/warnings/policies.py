"""Who may issue warnings; /help and the use cases ask the same object."""

from __future__ import annotations

from core.policy import holders
from core.registry import Role, UnitKind

ISSUE_WARNING = holders((UnitKind.BRIGADE, Role.WARNING_ISSUER),
                        (UnitKind.DEPARTMENT, Role.WARNING_ISSUER))
