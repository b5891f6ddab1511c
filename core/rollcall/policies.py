"""Who may call the roll; /help and the use cases ask the same object."""

from __future__ import annotations

from core.policy import holders
from core.registry import Role, UnitKind

CALL_ROLL = holders((UnitKind.BRIGADE, Role.DISPATCHER), (UnitKind.BRIGADE, Role.COMMANDER),
                    (UnitKind.BRIGADE, Role.DUTY_OFFICER))
