"""Who may open a drill and who may spot-check duty; /help and the use cases ask the same
objects."""

from __future__ import annotations

from core.policy import IN_BOUND_GROUP, holders
from core.registry import Role, UnitKind

# The bureau and the brigade organise drills (§3b-3): their approvers and commanders.
OPEN_DRILL = holders((UnitKind.BUREAU, Role.APPROVER), (UnitKind.BRIGADE, Role.COMMANDER))
# The brigade inspects duty without notice (§5(三)): those who call the roll.
SPOTCHECK = holders((UnitKind.BRIGADE, Role.DISPATCHER), (UnitKind.BRIGADE, Role.COMMANDER),
                    (UnitKind.BRIGADE, Role.DUTY_OFFICER))
# Muster figures are read like an incident's timeline (/log): in any bound group.
READ_MUSTER = IN_BOUND_GROUP
