"""Telegram's flood limits, as sliding windows over accepted calls."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

# Float sums such as t0 + 30 * (1 / 30) land a few ulps off the window edge; a bot pacing
# exactly at the limit must not be punished for that.
_EPSILON = 1e-9


@dataclass
class _Window:
    limit: int
    seconds: float
    stamps: deque[float] = field(default_factory=deque)

    def retry_after(self, now: float, tolerance: float) -> float:
        """0 when a call at ``now`` fits, else seconds until it would."""
        stamps = self.stamps
        horizon = now - self.seconds + tolerance + _EPSILON
        while stamps and stamps[0] <= horizon:
            stamps.popleft()
        if len(stamps) < self.limit:
            return 0.0
        freeing = stamps[len(stamps) - self.limit]
        return max(freeing + self.seconds - now - tolerance, 0.0)


class RateLimiter:
    """Counts accepted send/edit calls per bot token.

    A call at ``t`` is allowed when fewer than N accepted calls lie in ``(t - window, t]``
    for each of: all chats (per second), its chat (per second), its group (per minute).
    """

    def __init__(
        self,
        *,
        enabled: bool = False,
        global_per_second: int = 30,
        chat_per_second: int = 1,
        group_per_minute: int = 20,
        tolerance: float = 0.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        import time

        self.enabled = enabled
        self.global_per_second = global_per_second
        self.chat_per_second = chat_per_second
        self.group_per_minute = group_per_minute
        self.tolerance = tolerance
        self.clock: Callable[[], float] = clock or time.monotonic
        self._windows: dict[tuple[str, int | None, str], _Window] = {}

    def _window(self, token: str, chat_id: int | None, kind: str) -> _Window:
        key = (token, chat_id, kind)
        window = self._windows.get(key)
        if window is None:
            if kind == "global":
                window = _Window(self.global_per_second, 1.0)
            elif kind == "chat":
                window = _Window(self.chat_per_second, 1.0)
            else:
                window = _Window(self.group_per_minute, 60.0)
            self._windows[key] = window
        return window

    def _relevant(self, token: str, chat_id: int, is_group: bool) -> list[_Window]:
        windows = [self._window(token, None, "global"), self._window(token, chat_id, "chat")]
        if is_group:
            windows.append(self._window(token, chat_id, "group"))
        return windows

    def check(self, token: str, chat_id: int, is_group: bool, now: float) -> int:
        """Return 0 if the call may proceed, else Telegram's ``retry_after`` (>= 1)."""
        if not self.enabled:
            return 0
        wait = max(
            w.retry_after(now, self.tolerance) for w in self._relevant(token, chat_id, is_group)
        )
        if wait <= 0:
            return 0
        return max(1, math.ceil(wait))

    def record(self, token: str, chat_id: int, is_group: bool, now: float) -> None:
        if not self.enabled:
            return
        for window in self._relevant(token, chat_id, is_group):
            window.stamps.append(now)

    def reset(self) -> None:
        self._windows.clear()
