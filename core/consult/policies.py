"""Who may consult experts; /help and the use case ask the same object."""

from __future__ import annotations

from core.policy import holders
from core.registry import Role, UnitKind

# The commanders and the bureau's approvers ask; an HQ's (or the city detachment's) commanders
# only about the incident whose HQ it is (usecases.consult checks).
CONSULT = holders((UnitKind.BRIGADE, Role.COMMANDER), (UnitKind.HQ, Role.COMMANDER),
                  (UnitKind.DETACHMENT, Role.COMMANDER), (UnitKind.BUREAU, Role.APPROVER))
