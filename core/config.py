"""The knobs of the mechanism, given to use cases by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class MechanismConfig:
    admin_tg_ids: frozenset[int] = frozenset()
    invite_ttl: timedelta = timedelta(hours=72)
    locales: tuple[str, ...] = ("zh_Hans", "en")
    connection_target: float = 0.8
