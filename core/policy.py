"""Who may do what: one object per permission, asked by /help (may this person see the command
here?) and by the use case (let them in, or say why not). Written once, so the two agree."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.actor import Actor
from core.errors import NotAllowed
from core.registry import Role, Unit, UnitKind


class Where(StrEnum):
    ANYWHERE = "anywhere"
    GROUP = "group"  # any group chat
    BOUND_GROUP = "bound_group"  # a group bound to a unit
    ADMIN_PRIVATE = "admin_private"  # an administrator, in a private chat
    HOLDERS = "holders"  # a holder of one of the roles, in a chat of the role's unit kind


@dataclass(frozen=True)
class Policy:
    where: Where
    holders: tuple[tuple[UnitKind, Role], ...] = ()

    def allows(self, actor: Actor, private: bool) -> bool:
        unit = actor.chat_unit
        match self.where:
            case Where.ANYWHERE:
                return True
            case Where.GROUP:
                return not private
            case Where.BOUND_GROUP:
                return not private and unit is not None
            case Where.ADMIN_PRIVATE:
                return private and actor.is_admin
        return (not private and unit is not None
                and any(unit.kind is kind and actor.has_role(role, unit)
                        for kind, role in self.holders))

    def require(self, actor: Actor) -> Unit:
        """The unit of the chat the holder acts from; else why not: not a known person, the
        wrong chat (naming the first role), or the chat's unit without the role."""
        assert self.where is Where.HOLDERS
        actor.require_person()
        unit = actor.chat_unit
        if unit is not None:
            roles = [role for kind, role in self.holders if unit.kind is kind]
            if any(actor.has_role(role, unit) for role in roles):
                return unit
            if roles:
                raise NotAllowed("missing_role", role=roles[0].value, unit=unit.name)
        raise NotAllowed("wrong_chat", role=self.holders[0][1].value)


def holders(*pairs: tuple[UnitKind, Role]) -> Policy:
    return Policy(Where.HOLDERS, pairs)


ANYONE = Policy(Where.ANYWHERE)
IN_GROUP = Policy(Where.GROUP)
IN_BOUND_GROUP = Policy(Where.BOUND_GROUP)
ADMIN_IN_PRIVATE = Policy(Where.ADMIN_PRIVATE)
