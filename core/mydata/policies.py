"""Who sees a force's data, who updates it, who asks which forces' data is stale; /help and the
use cases ask the same objects."""

from __future__ import annotations

from core.policy import IN_BOUND_GROUP, holders
from core.registry import Role, UnitKind

# Anyone in a force's group sees its data; a department's group sees its forces' with a code.
SHOW_DATA = IN_BOUND_GROUP
# The force's head and duty officers keep its data.
UPDATE_DATA = holders((UnitKind.FORCE, Role.HEAD), (UnitKind.FORCE, Role.DUTY_OFFICER))
# The brigade and the bureau see every force; a department its own forces.
LIST_STALE = holders(
    (UnitKind.BRIGADE, Role.DISPATCHER), (UnitKind.BRIGADE, Role.COMMANDER),
    (UnitKind.BRIGADE, Role.HEAD), (UnitKind.BUREAU, Role.APPROVER),
    (UnitKind.BUREAU, Role.HEAD), (UnitKind.BUREAU, Role.DUTY_OFFICER),
    (UnitKind.DEPARTMENT, Role.HEAD), (UnitKind.DEPARTMENT, Role.APPROVER))
