"""Two shared limiters on one Redis (two bot processes of one token) never exceed Telegram's
windows together: 30/s overall, 1/s per chat, 20/min per group.

A fake clock drives both (Redis's own clock is replaced), so the check is window arithmetic
over the granted slots, not timing. Needs RESCUEBOT_TEST_REDIS (e.g. redis://127.0.0.1:6379/1).
"""

from __future__ import annotations

import os
import random
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator

import pytest

from bot.pacing_shared import SharedPacer

REDIS = os.environ.get("RESCUEBOT_TEST_REDIS", "")
pytestmark = pytest.mark.skipif(
    not REDIS, reason="RESCUEBOT_TEST_REDIS is unset: the shared limiter needs a Redis")


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def pair() -> AsyncIterator[tuple[SharedPacer, SharedPacer, FakeTime]]:
    from redis.asyncio import Redis

    time = FakeTime()
    token = f"test-{uuid.uuid4().hex}"  # windows of their own, whatever else uses the Redis
    a = SharedPacer(Redis.from_url(REDIS), token, 30, 1, 20, clock=time)
    b = SharedPacer(Redis.from_url(REDIS), token, 30, 1, 20, clock=time)
    yield a, b, time
    keys = [k async for k in a.redis.scan_iter(match=f"{a.prefix}*")]
    if keys:
        await a.redis.delete(*keys)
    await a.close()
    await b.close()


def most_in_window(times: list[float], span: float) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while times[start] <= t - span:
            start += 1
        best = max(best, end - start + 1)
    return best


async def test_two_limiters_keep_the_tokens_windows_together(
        pair: tuple[SharedPacer, SharedPacer, FakeTime]) -> None:
    a, b, time = pair
    rng = random.Random(14)
    chats = [-(1000 + i) for i in range(40)] + [2000 + i for i in range(40)]  # groups, people
    sent: dict[int, list[float]] = defaultdict(list)
    overall: list[float] = []
    for _step in range(2800):  # 70 s of fake time in 25 ms steps
        time.now += 0.025
        for pacer in (a, b) if rng.random() < 0.5 else (b, a):
            for _ in range(2):  # each process tries a few chats each step, as the worker does
                chat = rng.choice(chats[:8] if rng.random() < 0.5 else chats)
                token, wait, _full = await pacer.try_take(chat, rng.random() < 0.2, 0, 0.0)
                if token is None:
                    assert wait > 0
                    continue
                # Finished a little later (the answer's round trip), or never used.
                time.now += 0.001
                if rng.random() < 0.05:
                    await pacer.cancel(token)
                    continue
                await pacer.finish(token)
                sent[chat].append(time.now)
                overall.append(time.now)
    assert most_in_window(overall, 1.0) <= 30
    for chat, times in sent.items():
        assert most_in_window(times, 1.0) <= 1, chat
        if chat < 0:
            assert most_in_window(times, 60.0) <= 20, chat
    # And the windows are used, not merely respected: the overall limit is the bottleneck.
    assert len(overall) >= 0.8 * 30 * 70


async def test_an_urgent_send_finds_the_kept_headroom(
        pair: tuple[SharedPacer, SharedPacer, FakeTime]) -> None:
    a, b, _time = pair
    granted = 0
    for i in range(40):  # routine sends keep 3 of the second's 30 slots free
        token, _, _ = await (a if i % 2 else b).try_take(5000 + i, False, 3, 0.0)
        granted += token is not None
    assert granted == 27
    token, _, _ = await a.try_take(6000, False, 0, 0.0)  # an order
    assert token is not None
    assert await b.global_wait(0.0) == 0.0  # two urgent slots are still free
