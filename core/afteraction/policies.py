"""Who may ask for an incident's after-action report (/report <incident>); /help and the use
case ask the same object."""

from __future__ import annotations

from core.policy import holders
from core.registry import Role, UnitKind

# The brigade's command centre, the bureau's leaders and duty room, the county government (the
# report is written for it), and whoever commands on site: an HQ or the fire detachment, for
# the incidents it was named to (the use case checks that it was).
ASK_REPORT = holders(
    (UnitKind.BRIGADE, Role.DISPATCHER), (UnitKind.BRIGADE, Role.COMMANDER),
    (UnitKind.BUREAU, Role.APPROVER), (UnitKind.BUREAU, Role.HEAD),
    (UnitKind.BUREAU, Role.DUTY_OFFICER),
    (UnitKind.GOVERNMENT, Role.HEAD), (UnitKind.GOVERNMENT, Role.DUTY_OFFICER),
    (UnitKind.GOVERNMENT, Role.MEMBER),
    (UnitKind.HQ, Role.COMMANDER), (UnitKind.HQ, Role.HEAD),
    (UnitKind.DETACHMENT, Role.COMMANDER), (UnitKind.DETACHMENT, Role.HEAD))
# Asked for 问题与改进 after the close: the brigade's commanders and each ordered force's head.
LESSON_ROLES_BRIGADE = frozenset({Role.COMMANDER})
LESSON_ROLES_FORCE = frozenset({Role.HEAD})
