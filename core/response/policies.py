"""Who may propose a response level and who may answer a proposal: the bureau's leaders and the
brigade's commanders, each for their own side. /help and the use cases ask the same objects."""

from __future__ import annotations

from core.policy import Policy, holders
from core.registry import Role, UnitKind
from core.response.model import Side

BUREAU_SIDE = holders((UnitKind.BUREAU, Role.APPROVER), (UnitKind.BUREAU, Role.HEAD))
BRIGADE_SIDE = holders((UnitKind.BRIGADE, Role.COMMANDER))
PROPOSE = holders(*BUREAU_SIDE.holders, *BRIGADE_SIDE.holders)
SIDES: dict[Side, Policy] = {Side.BUREAU: BUREAU_SIDE, Side.BRIGADE: BRIGADE_SIDE}
# The other side's leaders, called when a proposal waits too long.
LEADERS = {Side.BUREAU: frozenset({Role.HEAD, Role.APPROVER}),
           Side.BRIGADE: frozenset({Role.COMMANDER})}
