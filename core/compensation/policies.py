"""Who may see the compensation figures: the bureau's approvers and its head, in its chat (the
bureau pays; the figures name forces and people counts)."""

from __future__ import annotations

from core.policy import holders
from core.registry import Role, UnitKind

SEE_COMPENSATION = holders((UnitKind.BUREAU, Role.HEAD), (UnitKind.BUREAU, Role.APPROVER))
