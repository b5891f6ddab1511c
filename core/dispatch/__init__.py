"""The dispatch chain: incidents, plans, the bureau's approval, orders, escalation.

Importing the package registers its commands for /help and its delivery-failure hook.
"""

from __future__ import annotations

from collections.abc import Callable

from core.actor import Actor
from core.commands import CommandPolicy, register, role_in_chat
from core.dispatch import orders as _orders  # noqa: F401  (registers the "order" failure hook)
from core.registry import Role, UnitKind

Allowed = Callable[[Actor, bool], bool]


def _any_of(*checks: Allowed) -> Allowed:
    def allowed(actor: Actor, private: bool) -> bool:
        return any(check(actor, private) for check in checks)

    return allowed


def _in_bound_group(actor: Actor, private: bool) -> bool:
    return not private and actor.chat_unit is not None


_brigade = role_in_chat(Role.DISPATCHER, UnitKind.BRIGADE)
_commander = role_in_chat(Role.COMMANDER, UnitKind.BRIGADE)
_bureau = role_in_chat(Role.APPROVER, UnitKind.BUREAU)
_head = role_in_chat(Role.HEAD, UnitKind.BUREAU)

for _name, _policy in (
    ("incident", _any_of(_brigade, _commander, _bureau, _head)),
    ("dispatch", _any_of(_brigade, role_in_chat(Role.COMMANDER, UnitKind.HQ,
                                                 UnitKind.DETACHMENT))),
    ("hq", _any_of(_bureau, _commander)),
    ("period", _bureau),
    ("reinforce", _bureau),
    ("standdown", _any_of(_brigade, _commander)),
    ("withdraw", _brigade),
    ("close", _any_of(_brigade, _commander)),
    ("log", _in_bound_group),
):
    register(CommandPolicy(_name, _policy))
