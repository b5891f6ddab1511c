"""Telegram's limits, kept by the bot's own pacing.

Each limit is a sliding window of the times at which sends *finished*: Telegram counted a send
no later than its answer arrived, so a new send started a window after an answer can never be
over the limit, however the requests were spread in flight.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Window:
    limit: int
    span: float
    done: deque[float] = field(default_factory=deque)
    in_flight: int = 0

    def _prune(self, now: float) -> None:
        while self.done and self.done[0] <= now - self.span:
            self.done.popleft()

    def free_at(self, now: float) -> float:
        """When a new send may start (``now`` if at once)."""
        self._prune(now)
        used = len(self.done) + self.in_flight
        if used < self.limit:
            return now
        if used - self.limit >= len(self.done):
            return float("inf")  # only in-flight sends hold the window: wait for one to finish
        return self.done[used - self.limit] + self.span

    def start(self) -> None:
        self.in_flight += 1

    def finish(self, at: float) -> None:
        self.in_flight -= 1
        self.done.append(at)


class Limiter:
    def __init__(
        self,
        global_per_second: float,
        chat_per_second: float,
        group_per_minute: int,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.now = now
        self._global = _Window(max(1, int(global_per_second)), 1.0)
        self._chat_span = 1.0 / chat_per_second if chat_per_second < 1 else 1.0
        self._chat_limit = max(1, int(chat_per_second))
        self._group_limit = group_per_minute
        self._chats: dict[int, _Window] = {}
        self._groups: dict[int, _Window] = {}

    def _windows(self, chat_id: int) -> list[_Window]:
        windows = [self._chats.setdefault(chat_id, _Window(self._chat_limit, self._chat_span))]
        if chat_id < 0:
            windows.append(self._groups.setdefault(chat_id, _Window(self._group_limit, 60.0)))
        return windows

    def chat_free_at(self, chat_id: int, now: float) -> float:
        return max(w.free_at(now) for w in self._windows(chat_id))

    def global_free_at(self, now: float) -> float:
        return self._global.free_at(now)

    def start(self, chat_id: int) -> None:
        self._global.start()
        for w in self._windows(chat_id):
            w.start()

    def finish(self, chat_id: int) -> None:
        at = self.now()
        self._global.finish(at)
        for w in self._windows(chat_id):
            w.finish(at)

    def forget(self, chat_id: int) -> None:
        """A chat that moved (supergroup upgrade) or vanished holds no memory."""
        self._chats.pop(chat_id, None)
        self._groups.pop(chat_id, None)
