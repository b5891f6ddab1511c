"""Who answers a traffic-support request: anyone the registry lists in that department (head,
duty officer or member, any role), from the department's own chat. The request is addressed to
the department, not to a role: whoever is on duty there has the answer."""

from __future__ import annotations

from core.actor import Actor
from core.answers import from_own_chat
from core.errors import NotAllowed
from core.registry import Unit


def require_member(actor: Actor, department: Unit) -> None:
    actor.require_person()
    assert department.id is not None
    from_own_chat(actor, department.id, NotAllowed("traffic_wrong_chat", unit=department.name))
    if not any(g.unit_id == department.id for g in actor.grants):
        raise NotAllowed("traffic_not_member", unit=department.name)
