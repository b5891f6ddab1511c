"""Early warnings (预警): issue, confirm, remind, report, upgrade, cancel."""

from core.commands import CommandPolicy, register, role_in_chat
from core.registry import Role, UnitKind

_ISSUER = role_in_chat(Role.WARNING_ISSUER, UnitKind.BRIGADE, UnitKind.DEPARTMENT)
for _name in ("warn", "warn_upgrade", "warn_cancel"):
    register(CommandPolicy(_name, _ISSUER))
register(CommandPolicy("warnings", lambda actor, private: actor.chat_unit is not None))
