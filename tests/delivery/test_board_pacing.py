"""Board edits under a steady stream of taps: a small burst, then evenly over the minute.

Virtual time only: the limiter is given the clock, and each edit finishes the moment it starts.
"""

from __future__ import annotations

import itertools

from bot.pacing import Limiter

GROUP = -100


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def edit(limiter: Limiter, clock: Clock) -> None:
    limiter.start(GROUP)
    limiter.finish(GROUP)


def test_after_a_burst_edits_are_spread_over_the_minute() -> None:
    clock = Clock()
    limiter = Limiter(30, 1, 20, now=clock)
    starts = []
    while clock.t < 120:
        if limiter.edit_free_at(GROUP, clock.t) <= clock.t:
            starts.append(clock.t)
            edit(limiter, clock)
        clock.t = round(clock.t + 0.01, 2)
    gaps = [b - a for a, b in itertools.pairwise(starts[2:])]
    assert starts[:3] == [0.0, 1.0, 2.0]  # the burst, one a second
    assert max(gaps) - min(gaps) < 0.02 and 3.5 < min(gaps) < 3.6  # then evenly
    for t in starts:  # and never more than the group's 20 in any minute
        assert sum(t <= s < t + 60 for s in starts) <= 20


def test_a_steady_stream_of_taps_is_on_the_board_within_seconds() -> None:
    """90 taps over 60 s: each edit carries every tap before it; none waits for the window."""
    clock = Clock()
    limiter = Limiter(30, 1, 20, now=clock)
    taps = [i * 60 / 90 for i in range(90)]
    shown: dict[int, float] = {}
    while len(shown) < len(taps):
        waiting = [i for i, at in enumerate(taps) if at <= clock.t and i not in shown]
        if waiting and limiter.edit_free_at(GROUP, clock.t) <= clock.t:
            edit(limiter, clock)
            shown.update((i, clock.t) for i in waiting)
        clock.t = round(clock.t + 0.01, 2)
    lags = sorted(shown[i] - at for i, at in enumerate(taps))
    assert lags[-1] < 4.0


def test_private_chats_and_first_posts_are_not_held_back() -> None:
    clock = Clock()
    limiter = Limiter(30, 1, 20, now=clock)
    for _ in range(5):
        limiter.start(42)
        limiter.finish(42)
        clock.t += 1
    assert limiter.edit_free_at(42, clock.t) == limiter.chat_free_at(42, clock.t) == clock.t


def test_routine_sends_leave_room_in_the_second_for_urgent_ones() -> None:
    """The delivery worker starts a routine notice only while URGENT_HEADROOM of the second's
    global slots stay free; an urgent notice may take them."""
    from bot.delivery import URGENT_HEADROOM

    clock = Clock()
    limiter = Limiter(30, 1, 20, now=clock)
    for chat in range(30 - URGENT_HEADROOM):
        limiter.start(chat)
        limiter.finish(chat)
    assert limiter.global_free_at(clock.t, URGENT_HEADROOM) > clock.t  # routine waits
    assert limiter.global_free_at(clock.t) == clock.t  # an order goes now
    clock.t += 1.0
    assert limiter.global_free_at(clock.t, URGENT_HEADROOM) == clock.t
    tiny = Limiter(1, 1, 20, now=clock)  # a limit of one leaves nothing to keep back
    assert tiny.global_free_at(clock.t, URGENT_HEADROOM) == clock.t
