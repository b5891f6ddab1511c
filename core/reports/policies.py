"""Who may file a report and who may link one to an incident; /help and the use cases ask the
same objects."""

from __future__ import annotations

from core.policy import IN_BOUND_GROUP, holders
from core.registry import Role, UnitKind

# Any bound unit reports: a department, a township, a force, the HQ, the chain itself.
FILE_REPORT = IN_BOUND_GROUP
# The bureau's duty room and the brigade's command centre act on the copies they receive.
LINK_REPORT = holders((UnitKind.BUREAU, Role.APPROVER), (UnitKind.BUREAU, Role.HEAD),
                      (UnitKind.BRIGADE, Role.DISPATCHER), (UnitKind.BRIGADE, Role.COMMANDER))
