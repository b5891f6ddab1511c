"""The knobs of joint responses, built from settings by the composition root."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType

from core.response.model import Effects, Level

DEFAULT_EFFECTS: Mapping[Level, Effects] = MappingProxyType({
    Level.IV: Effects(rollcall=True),
    Level.III: Effects(rollcall=True, order_remind_minutes=10),
    Level.II: Effects(rollcall=True, daily_rollcall=True, order_remind_minutes=5),
    Level.I: Effects(rollcall=True, daily_rollcall=True, order_remind_minutes=5),
})


@dataclass(frozen=True)
class ResponseConfig:
    confirm: timedelta = timedelta(seconds=300)
    effects: Mapping[Level, Effects] = field(default_factory=lambda: DEFAULT_EFFECTS)

    def of(self, level: Level) -> Effects:
        return self.effects.get(level, Effects())
