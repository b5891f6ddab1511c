"""Who may search the forces: anyone the registry lists in the brigade, the bureau, the HQ or a
department, from that unit's chat."""

from __future__ import annotations

from core.policy import holders
from core.registry import Role, UnitKind

_KINDS = (UnitKind.BRIGADE, UnitKind.BUREAU, UnitKind.HQ, UnitKind.DEPARTMENT)
_ROLES = (Role.HEAD, Role.APPROVER, Role.DISPATCHER, Role.COMMANDER, Role.DUTY_OFFICER,
          Role.MEMBER)
FIND = holders(*((kind, role) for kind in _KINDS for role in _ROLES))
