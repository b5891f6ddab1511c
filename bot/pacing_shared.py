"""Telegram's limits shared by every process of one token, kept in Redis.

Telegram counts a token's sends, not a process's: two processes each pacing itself at 30/s
send 60/s together and meet 429s. So when ``REDIS_URL`` is set, the windows live in Redis and
one Lua script checks and takes a slot in all of a send's windows at once (30/s overall, 1/s
per chat, 20/min per group, and the gentler spacing of a group's board edits): a script runs
atomically, so two processes asking at the same instant can never both take the last slot.
Without ``REDIS_URL`` the process keeps its own windows (``bot.pacing.LocalPacer``), right for
one process.

Why Redis rather than one pacing owner (a process elected to hand out slots to the others):
an owner is a second leader election, a network protocol of our own between the processes and
a single point whose death stalls every send until the next election; Redis is already there
for dialog state, a slot costs one round trip (well under a millisecond here, against
Telegram's 33 ms between sends at full speed), and a process that dies holds nothing but the
few slots it had in flight, which age out on their own.

The windows are sorted sets of slots, scored by when the send finished (Telegram counted a
send no later than its answer arrived, as in ``bot.pacing``); a slot still in flight is scored
``IN_FLIGHT_HOLD`` seconds ahead, so it counts as used until it finishes, or, if its process
died, until then. Time is Redis's own clock (``TIME``), one clock for every process, unless a
clock is given (tests). Keys carry a hash of the token, never the token, and expire when idle.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from bot.pacing import Reservation

IN_FLIGHT_HOLD = 10.0  # a send this long without an answer counts as finished then
IDLE_KEYS_MS = 120_000  # a window unused this long is dropped (longer than any window)

# KEYS: overall, chat, group ("" for a private chat).
# ARGV: now ("" = Redis time), member, keep, overall limit, chat limit, chat span, group limit,
#       edit (0/1), edit burst, edit gap, in-flight hold, idle ms, peek (1: the overall
#       window only, nothing taken).
# Returns {taken 0/1, seconds to wait (string), the overall window is full 0/1, now (string)}.
_TAKE = """
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local function check(key, limit, span)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - span)
  local used = redis.call('ZCARD', key)
  if used < limit then return 0 end
  local oldest = redis.call('ZRANGE', key, used - limit, used - limit, 'WITHSCORES')
  local at = tonumber(oldest[2])
  if at > now then return 0.05 end
  return at + span - now
end
local keep = tonumber(ARGV[3])
local glimit = tonumber(ARGV[4])
local usable = glimit - math.max(0, math.min(keep, glimit - 1))
local wait = check(KEYS[1], usable, 1.0)
if wait > 0 then return {0, tostring(wait), 1, tostring(now)} end
if ARGV[13] == '1' then return {1, '0', 0, tostring(now)} end
wait = check(KEYS[2], tonumber(ARGV[5]), tonumber(ARGV[6]))
local glim = tonumber(ARGV[7])
if KEYS[3] ~= '' then
  wait = math.max(wait, check(KEYS[3], glim, 60.0))
  if ARGV[8] == '1' and wait <= 0 then
    local used = redis.call('ZCARD', KEYS[3])
    if used >= tonumber(ARGV[9]) then
      local last = redis.call('ZREVRANGEBYSCORE', KEYS[3], now, '-inf', 'WITHSCORES',
                              'LIMIT', 0, 1)
      if last[2] then wait = math.max(wait, tonumber(last[2]) + tonumber(ARGV[10]) - now) end
    end
  end
end
if wait > 0 then return {0, tostring(wait), 0, tostring(now)} end
local hold = now + tonumber(ARGV[11])
for i = 1, #KEYS do
  if KEYS[i] ~= '' then
    redis.call('ZADD', KEYS[i], hold, ARGV[2])
    redis.call('PEXPIRE', KEYS[i], ARGV[12])
  end
end
return {1, '0', 0, tostring(now)}
"""

# KEYS as above; ARGV: now ("" = Redis time), member, finished (1) or cancelled (0), idle ms.
_END = """
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
for i = 1, #KEYS do
  if KEYS[i] ~= '' then
    if ARGV[3] == '1' then
      redis.call('ZADD', KEYS[i], 'XX', now, ARGV[2])
    else
      redis.call('ZREM', KEYS[i], ARGV[2])
    end
    redis.call('PEXPIRE', KEYS[i], ARGV[4])
  end
end
return 1
"""


class SharedPacer:
    """The ``Pacer`` of ``bot.pacing`` over windows in Redis, shared by every process of the
    token. ``clock`` replaces Redis's time (tests)."""

    def __init__(
        self,
        redis: Any,
        token: str,
        global_per_second: float,
        chat_per_second: float,
        group_per_minute: int,
        clock: Callable[[], float] | None = None,
        edit_burst: int = 3,
    ) -> None:
        self.redis = redis
        self.clock = clock
        digest = hashlib.sha256(token.encode()).hexdigest()[:16]
        self.prefix = f"rescuebot:pace:{digest}:"
        self.global_limit = max(1, int(global_per_second))
        self.chat_span = 1.0 / chat_per_second if chat_per_second < 1 else 1.0
        self.chat_limit = max(1, int(chat_per_second))
        self.group_limit = group_per_minute
        self.edit_burst = max(1, min(edit_burst, group_per_minute - 1))
        self.edit_gap = 60.0 / max(1, group_per_minute - self.edit_burst)
        self._take = redis.register_script(_TAKE)
        self._end = redis.register_script(_END)

    @classmethod
    def from_url(cls, url: str, token: str, global_per_second: float, chat_per_second: float,
                 group_per_minute: int) -> SharedPacer:
        from redis.asyncio import Redis

        return cls(Redis.from_url(url), token, global_per_second, chat_per_second,
                   group_per_minute)

    def _now(self) -> str:
        return repr(self.clock()) if self.clock is not None else ""

    def _keys(self, chat_id: int) -> list[str]:
        group = f"{self.prefix}m:{chat_id}" if chat_id < 0 else ""
        return [f"{self.prefix}g", f"{self.prefix}c:{chat_id}", group]

    async def global_wait(self, now: float) -> float:
        """The worker's quick look before ordering its queue: the overall window alone."""
        _, wait, overall = await self._ask(0, False, 0, peek=True)
        return wait if overall else 0.0

    async def _ask(self, chat_id: int, edit: bool, keep: int,
                   peek: bool = False) -> tuple[str | None, float, bool]:
        member = uuid.uuid4().hex
        keys = self._keys(chat_id)
        taken, wait, overall, _now = await self._take(keys=keys, args=[
            self._now(), member, keep, self.global_limit, self.chat_limit, self.chat_span,
            self.group_limit, "1" if edit else "0", self.edit_burst, self.edit_gap,
            IN_FLIGHT_HOLD, IDLE_KEYS_MS, "1" if peek else "0",
        ])
        if peek:
            return None, float(wait), bool(int(overall))
        return (member if int(taken) else None), float(wait), bool(int(overall))

    async def try_take(self, chat_id: int, edit: bool, keep: int, now: float
                       ) -> tuple[Reservation | None, float, bool]:
        member, wait, overall = await self._ask(chat_id, edit, keep)
        if member is None:
            return None, wait, overall
        return Reservation(chat_id, member=member), 0.0, False

    async def acquire(self, chat_id: int) -> Reservation:
        while True:
            member, wait, _ = await self._ask(chat_id, False, 0)
            if member is not None:
                return Reservation(chat_id, used=True, member=member)
            await asyncio.sleep(min(max(wait, 0.005), 0.05))

    async def finish(self, token: Reservation) -> None:
        await self._end(keys=self._keys(token.chat_id),
                        args=[self._now(), token.member, "1", IDLE_KEYS_MS])

    async def cancel(self, token: Reservation) -> None:
        await self._end(keys=self._keys(token.chat_id),
                        args=[self._now(), token.member, "0", IDLE_KEYS_MS])

    def forget(self, chat_id: int) -> None:
        """Nothing to drop here: a moved chat's windows expire in Redis when idle."""

    async def close(self) -> None:
        await self.redis.aclose()
