"""Who a warning or a roll-call reaches: `all`, `category:a,b`, `sector:x`, `township:y`,
`force:code1,code2`. The same words in the one-line command, the dialog and the records."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import DomainError
from core.limits import within
from core.registry import ForceCategory, Unit

KINDS = ("all", "category", "sector", "township", "force")


@dataclass(frozen=True)
class TargetSpec:
    kind: str
    values: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.kind if self.kind == "all" else f"{self.kind}:{','.join(self.values)}"

    def matches(self, unit: Unit) -> bool:
        if not unit.is_force:
            return False
        if self.kind == "all":
            return True
        field = {
            "category": unit.category.value if unit.category else "",
            "sector": unit.sector,
            "township": unit.township,
            "force": unit.code,
        }[self.kind]
        return field in self.values


def parse_targets(raw: str) -> TargetSpec:
    """`category:government,enterprise` -> TargetSpec; refuses what it cannot read."""
    raw = within("targets", raw.strip().replace("：", ":").replace("，", ","))
    if raw.lower() in ("all", "全部", "全县"):
        return TargetSpec("all")
    kind, _, rest = raw.partition(":")
    kind = kind.strip().lower()
    values = tuple(v.strip() for v in rest.split(",") if v.strip())
    if kind not in KINDS[1:] or not values:
        raise DomainError("bad_targets", value=raw)
    if kind == "category":
        known = {c.value for c in ForceCategory}
        bad = [v for v in values if v not in known]
        if bad:
            raise DomainError("bad_targets", value=raw)
    return TargetSpec(kind, values)


def select_forces(spec: TargetSpec, units: list[Unit]) -> tuple[list[Unit], list[Unit]]:
    """(bound forces that match, matching forces without a chat: they cannot be reached)."""
    matching = [u for u in units if spec.matches(u)]
    return [u for u in matching if u.is_bound], [u for u in matching if not u.is_bound]
