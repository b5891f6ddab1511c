"""Who may act in the dispatch chain; /help and the use cases ask the same objects."""

from __future__ import annotations

from core.policy import holders
from core.registry import Role, UnitKind

_BRIGADE_DISPATCHER = (UnitKind.BRIGADE, Role.DISPATCHER)
_BRIGADE_COMMANDER = (UnitKind.BRIGADE, Role.COMMANDER)
_BUREAU_APPROVER = (UnitKind.BUREAU, Role.APPROVER)

OPEN_INCIDENT = holders(_BRIGADE_DISPATCHER, _BRIGADE_COMMANDER, _BUREAU_APPROVER,
                        (UnitKind.BUREAU, Role.HEAD))
# An HQ's commanders dispatch only for the incident whose HQ it is (plans.require_dispatcher).
DISPATCH = holders(_BRIGADE_DISPATCHER, (UnitKind.HQ, Role.COMMANDER),
                   (UnitKind.DETACHMENT, Role.COMMANDER))
NAME_HQ = holders(_BUREAU_APPROVER, _BRIGADE_COMMANDER)
DECLARE_PERIOD = holders(_BUREAU_APPROVER)
REQUEST_REINFORCEMENT = holders(_BUREAU_APPROVER)
STAND_DOWN = holders(_BRIGADE_DISPATCHER, _BRIGADE_COMMANDER)
WITHDRAW = holders(_BRIGADE_DISPATCHER)
CLOSE = holders(_BRIGADE_DISPATCHER, _BRIGADE_COMMANDER)
# Buttons, not commands:
DECIDE_PLAN = holders(_BUREAU_APPROVER)
DECIDE_REINFORCEMENT = holders((UnitKind.UPPER_LEVEL, Role.APPROVER))
