"""A fresh sandbox with N group chats, the same for every implementation measured."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field

from sandbox import Sandbox

TOKEN = "7100001:BENCH"
MEMBER = 1
TEXT = "【出动指令】测试：请立即出动 dispatch order (benchmark)"


@dataclass
class Run:
    name: str
    chats: int
    elapsed: float
    too_many_requests: int
    lost: int
    duplicated: int
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def lower_bound(self) -> float:
        return lower_bound(self.chats)

    @property
    def ratio(self) -> float | None:
        return round(self.elapsed / self.lower_bound, 3) if self.lower_bound else None


def lower_bound(chats: int, per_second: int = 30) -> float:
    """The least time Telegram's limits allow: 30 sends in any second, so N sends need the
    windows of ceil(N/30) seconds, the last starting at (ceil(N/30) - 1) s."""
    return float(max(0, math.ceil(chats / per_second) - 1))


async def sandbox_with_groups(chats: int) -> tuple[Sandbox, list[int]]:
    sb = Sandbox(limits=True)
    await sb.start()
    sb.create_bot(TOKEN, "bench_bot", "bench")
    sb.add_user(MEMBER, "member")
    groups = []
    for i in range(chats):
        gid = sb.create_group(f"force {i}", [MEMBER])
        sb.add_bot_to_group(gid, by_user=MEMBER)
        groups.append(gid)
    # The bot joined these groups long ago: its join updates are not part of the measurement.
    sb.bot(TOKEN).updates.clear()
    return sb, groups


def outcome(sb: Sandbox, groups: list[int], name: str, started: float) -> Run:
    copies = {g: sum(TEXT in t for t in sb.bot_texts(g)) for g in groups}
    last = max((max(sb.stats.sends[g]) for g in groups if sb.stats.sends.get(g)), default=started)
    return Run(
        name=name,
        chats=len(groups),
        elapsed=round(last - started, 3),
        too_many_requests=sb.stats.too_many_requests,
        lost=sum(1 for n in copies.values() if n == 0),
        duplicated=sum(n - 1 for n in copies.values() if n > 1),
    )


async def settle(sb: Sandbox, groups: list[int], within: float) -> None:
    """Wait until every chat has the text, or the time is up (the rest count as lost)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if all(any(TEXT in t for t in sb.bot_texts(g)) for g in groups):
            return
        await asyncio.sleep(0.05)
