"""Which commands a person may use in a chat: the policy /help and the handlers share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.actor import Actor
from core.registry import Role, UnitKind


@dataclass(frozen=True)
class CommandPolicy:
    name: str
    allowed: Callable[[Actor, bool], bool]  # (actor, is_private_chat)


def _anyone(actor: Actor, private: bool) -> bool:
    return True


def _admin_private(actor: Actor, private: bool) -> bool:
    return actor.is_admin and private


def _group(actor: Actor, private: bool) -> bool:
    return not private


def role_in_chat(role: Role, *kinds: UnitKind) -> Callable[[Actor, bool], bool]:
    def allowed(actor: Actor, private: bool) -> bool:
        unit = actor.chat_unit
        if private or unit is None or (kinds and unit.kind not in kinds):
            return False
        return actor.has_role(role, unit)

    return allowed


COMMANDS: list[CommandPolicy] = [
    CommandPolicy("help", _anyone),
    CommandPolicy("status", _anyone),
    CommandPolicy("whoami", _anyone),
    CommandPolicy("lang", _anyone),
    CommandPolicy("bind", _group),
    CommandPolicy("invite", _admin_private),
]


def register(policy: CommandPolicy) -> None:
    """Feature modules add their commands here at import time."""
    if all(p.name != policy.name for p in COMMANDS):
        COMMANDS.append(policy)


def allowed_commands(actor: Actor, private: bool) -> list[str]:
    return [p.name for p in COMMANDS if p.allowed(actor, private)]
