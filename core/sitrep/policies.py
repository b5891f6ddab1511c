"""Who may post a situation update: the bureau's approvers and head, the brigade's commanders
and dispatchers, an HQ's commanders, and the departments that share assessments (natural
resources, water, meteorology: seed §3c-1), marked with their unit. /help and the use case
ask the same object."""

from __future__ import annotations

from dataclasses import dataclass

from core.actor import Actor
from core.errors import NotAllowed
from core.policy import Policy, Where
from core.registry import Role, Unit, UnitKind

# The registry's `sector` of the departments whose assessments join the rolling assessment.
ASSESSING_SECTORS = frozenset({"natural_resources", "water", "meteorology"})


@dataclass(frozen=True)
class SectorPolicy(Policy):
    """Holders as in Policy; a department's holders count only in one of ``sectors``."""

    sectors: frozenset[str] = frozenset()

    def _counts(self, unit: Unit | None) -> bool:
        return unit is None or unit.kind is not UnitKind.DEPARTMENT \
            or unit.sector in self.sectors

    def allows(self, actor: Actor, private: bool) -> bool:
        return super().allows(actor, private) and self._counts(actor.chat_unit)

    def require(self, actor: Actor) -> Unit:
        actor.require_person()
        if not self._counts(actor.chat_unit):
            raise NotAllowed("wrong_chat", role=self.holders[0][1].value)
        return super().require(actor)


POST_SITREP = SectorPolicy(
    Where.HOLDERS,
    ((UnitKind.BUREAU, Role.APPROVER), (UnitKind.BUREAU, Role.HEAD),
     (UnitKind.BRIGADE, Role.COMMANDER), (UnitKind.BRIGADE, Role.DISPATCHER),
     (UnitKind.HQ, Role.COMMANDER), (UnitKind.DETACHMENT, Role.COMMANDER),
     (UnitKind.DEPARTMENT, Role.HEAD), (UnitKind.DEPARTMENT, Role.WARNING_ISSUER)),
    ASSESSING_SECTORS,
)
