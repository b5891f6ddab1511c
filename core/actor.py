"""Who is acting, from which chat, with which roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import NotAllowed
from core.registry import Grant, Person, Role, Unit, UnitKind


@dataclass
class Actor:
    tg_id: int | None
    chat_id: int
    person: Person | None = None
    chat_unit: Unit | None = None
    grants: tuple[Grant, ...] = ()
    is_settings_admin: bool = False
    anonymous: bool = field(default=False)
    display_name: str = ""

    @property
    def is_admin(self) -> bool:
        if self.anonymous:
            return False
        return self.is_settings_admin or any(g.role is Role.ADMIN for g in self.grants)

    def has_role(self, role: Role, unit: Unit | None = None) -> bool:
        if self.anonymous:
            return False
        return any(
            g.role is role and (unit is None or g.unit_id == unit.id) for g in self.grants
        )

    def require_person(self) -> None:
        if self.anonymous:
            raise NotAllowed("anonymous_admin")
        if self.tg_id is None:
            raise NotAllowed("unknown_sender")

    def require_admin(self) -> None:
        self.require_person()
        if not self.is_admin:
            raise NotAllowed("not_admin")

    def require_role_in_chat(self, role: Role, *kinds: UnitKind) -> Unit:
        """The actor must act from a chat of a unit of these kinds, holding the role there."""
        self.require_person()
        unit = self.chat_unit
        if unit is None or (kinds and unit.kind not in kinds):
            raise NotAllowed("wrong_chat", role=role.value)
        if not self.has_role(role, unit):
            raise NotAllowed("missing_role", role=role.value, unit=unit.name)
        return unit
