"""Flood limits: exact window edges on a fake clock, then through HTTP with aiogram."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiogram.exceptions import TelegramRetryAfter
from sandbox_helpers import ALICE, BOB, TOKEN, make_bot, populate

from sandbox import Sandbox
from sandbox.limits import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _send(lim: RateLimiter, chat: int, now: float, group: bool = False) -> int:
    retry = lim.check("t", chat, group, now)
    if retry == 0:
        lim.record("t", chat, group, now)
    return retry


def test_disabled_limiter_allows_everything() -> None:
    lim = RateLimiter(enabled=False, global_per_second=1)
    assert all(_send(lim, 1, 0.0) == 0 for _ in range(100))


def test_global_window_edges() -> None:
    lim = RateLimiter(enabled=True, global_per_second=30, chat_per_second=100)
    step = 1 / 30
    # Exactly at the limit, over several windows, with float-accumulated timestamps.
    t = 0.0
    for i in range(300):
        assert _send(lim, i, t) == 0, f"send {i} at {t} rejected"
        t += step
    lim2 = RateLimiter(enabled=True, global_per_second=3, chat_per_second=100)
    assert [_send(lim2, c, 0.0) for c in (1, 2, 3)] == [0, 0, 0]
    assert _send(lim2, 4, 0.999) == 1  # (t-1, t] still holds three sends
    assert _send(lim2, 4, 1.0) == 0  # the send at 0.0 left the window at exactly 1.0


def test_chat_window_and_retry_after() -> None:
    lim = RateLimiter(enabled=True, global_per_second=100, chat_per_second=1)
    assert _send(lim, 7, 10.0) == 0
    assert _send(lim, 7, 10.2) == 1
    assert _send(lim, 8, 10.2) == 0  # other chats are independent
    assert _send(lim, 7, 11.0) == 0


def test_group_minute_window_and_rejections_not_counted() -> None:
    lim = RateLimiter(enabled=True, global_per_second=100, chat_per_second=100, group_per_minute=3)
    for t in (0.0, 1.0, 2.0):
        assert _send(lim, -5, t, group=True) == 0
    assert _send(lim, -5, 2.5, group=True) == 58  # ceil(60 - 2.5)
    for t in (10.0, 30.0, 59.5):
        assert _send(lim, -5, t, group=True) >= 1  # rejected calls do not extend the window
    assert _send(lim, -5, 59.99, group=True) == 1  # under a second left still says 1
    assert _send(lim, -5, 60.0, group=True) == 0
    assert _send(lim, -5, 60.5, group=True) == 1
    assert _send(lim, -5, 61.0, group=True) == 0
    # A private chat is not a group: the minute window does not apply.
    assert all(_send(lim, 9, 61.0 + i / 100) == 0 for i in range(50))


def test_tolerance_forgives_jitter() -> None:
    lim = RateLimiter(enabled=True, chat_per_second=1, tolerance=0.05)
    assert _send(lim, 1, 0.0) == 0
    assert _send(lim, 1, 0.96) == 0
    assert _send(lim, 1, 1.5) == 1


@pytest.mark.asyncio
async def test_limits_through_aiogram_on_fake_clock() -> None:
    clock = FakeClock()
    sb = Sandbox(
        limits=True, global_per_second=30, chat_per_second=1, group_per_minute=3, clock=clock
    )
    populate(sb)
    gid = sb.create_group("G", [ALICE, BOB])
    sb.add_bot_to_group(gid, ALICE)
    await sb.start()
    bot = make_bot(sb.base_url)
    try:
        start = clock.now
        sent = []
        for i in range(3):
            clock.now = start + i  # exactly one per second per chat: allowed
            sent.append(await bot.send_message(gid, f"m{i}"))
        clock.now = start + 2.5
        with pytest.raises(TelegramRetryAfter) as err:
            await bot.send_message(gid, "too many")
        assert err.value.retry_after == 58
        clock.now = start + 60  # the first send leaves the minute window exactly now
        await bot.send_message(gid, "again")
        # Edits count too.
        clock.now = start + 60.5
        with pytest.raises(TelegramRetryAfter):
            await bot.edit_message_text("edited", chat_id=gid, message_id=sent[0].message_id)
        assert sb.stats.too_many_requests == 2
        assert sb.stats.too_many_requests_by_chat[gid] == 2
        assert len(sb.stats.sends[gid]) == 4
        assert sb.bot_texts(gid)[-1] == "again"
        assert "too many" not in sb.bot_texts(gid)
    finally:
        await bot.session.close()
        await sb.stop()


@pytest.mark.asyncio
async def test_burst_gets_429_with_real_clock() -> None:
    sb = Sandbox(limits=True, chat_per_second=1)
    populate(sb)
    await sb.start()
    bot = make_bot(sb.base_url)
    try:
        await sb.send_message(ALICE, ALICE, "/start")
        await bot.send_message(ALICE, "one")
        with pytest.raises(TelegramRetryAfter) as err:
            await bot.send_message(ALICE, "two")
        assert err.value.retry_after == 1
        assert sb.stats.errors[429] == 1
    finally:
        await bot.session.close()
        await sb.stop()


@pytest.mark.asyncio
async def test_paced_sends_with_real_clock_never_429() -> None:
    # 24 sends at a 20/s global limit, scheduled on absolute times with a 25 % margin: a 429
    # would need 250 ms of jitter, yet the window is exceeded if the limiter miscounts.
    sb = Sandbox(limits=True, global_per_second=20, chat_per_second=20)
    populate(sb)
    for uid in (ALICE, BOB):
        sb.private_chat(uid)
        sb.bot(TOKEN).started_by.add(uid)
    await sb.start()
    bot = make_bot(sb.base_url)
    try:
        begin = time.monotonic()
        for i in range(24):
            delay = begin + i * 0.0625 - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await bot.send_message(ALICE if i % 2 else BOB, f"paced {i}")
        assert sb.stats.too_many_requests == 0
    finally:
        await bot.session.close()
        await sb.stop()
