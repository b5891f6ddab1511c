"""`python -m bench.fanout --chats 10,100,500`: one notice to N group chats, through the sandbox
with Telegram's limits on, for our bot and its peers, side by side in one run.

For each N and implementation it prints the elapsed seconds, the lower bound the limits set,
their ratio, the 429s received, and how many chats got nothing (lost) or more than one copy
(duplicated), and for ours when its first send left; then the commit-to-first-send latency on
an idle bot and with 2,000 routine notices pending; the last line is one JSON object with every
figure. ``--only ours`` leaves the peers out.

``--processes 1,2,3 --chats 500``: instead, that many real bot processes on one PostgreSQL and
one Redis (``--database-url``, ``--redis-url``; by default RESCUEBOT_TEST_POSTGRES and
RESCUEBOT_TEST_REDIS), sharing the chats through claims and Telegram's limits through Redis;
one row per count of processes, against the same one-token bound.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable

from bench.ours import commit_to_send_latency, ours
from bench.peers import aiogram_plain, aiogram_retry, ptb_rate_limiter
from bench.world import Run

IMPLEMENTATIONS: list[Callable[[int], Awaitable[Run]]] = [
    ours, aiogram_plain, aiogram_retry, ptb_rate_limiter,
]


def row(run: Run) -> str:
    ratio = f"{run.ratio:.3f}" if run.ratio is not None else "  -  "
    return (f"{run.chats:>5} {run.name:<36} {run.elapsed:>8.2f} {run.lower_bound:>6.1f} "
            f"{ratio:>6} {run.too_many_requests:>5} {run.lost:>5} {run.duplicated:>5}")


async def main(chats: list[int], only: set[str] | None = None) -> dict[str, object]:
    print(f"{'chats':>5} {'implementation':<36} {'elapsed':>8} {'bound':>6} {'ratio':>6} "
          f"{'429s':>5} {'lost':>5} {'dup':>5}", flush=True)
    runs = []
    for n in chats:
        for implementation in IMPLEMENTATIONS:
            if only and implementation.__name__ not in only:
                continue
            run = await implementation(n)
            runs.append(run)
            print(row(run), flush=True)
    latency = await commit_to_send_latency()
    print(f"commit -> first send on an idle bot: median {latency['median_ms']} ms, "
          f"p99 {latency['p99_ms']} ms ({latency['samples']} samples)", flush=True)
    busy = await commit_to_send_latency(pending=2000)
    print(f"commit -> first send with {busy['pending']} notices pending: median "
          f"{busy['median_ms']} ms, p99 {busy['p99_ms']} ms ({busy['samples']} samples)")
    return {
        "runs": [dict(vars(r), lower_bound=r.lower_bound, ratio=r.ratio) for r in runs],
        "commit_to_first_send": latency,
        "commit_to_first_send_pending": busy,
    }


async def main_processes(counts: list[int], chats: list[int], database_url: str,
                         redis_url: str) -> dict[str, object]:
    from bench.processes import run_processes

    print(f"{'chats':>5} {'implementation':<36} {'elapsed':>8} {'bound':>6} {'ratio':>6} "
          f"{'429s':>5} {'lost':>5} {'dup':>5}", flush=True)
    runs = []
    for n in chats:
        for count in counts:
            run = await run_processes(count, n, database_url, redis_url)
            runs.append(run)
            print(row(run), flush=True)
    return {"runs": [dict(vars(r), lower_bound=r.lower_bound, ratio=r.ratio) for r in runs]}


def cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout")
    parser.add_argument("--chats", default="10,100,500",
                        help="comma-separated numbers of group chats")
    parser.add_argument("--only", default="",
                        help="comma-separated implementations to run (ours, aiogram_plain, "
                             "aiogram_retry, ptb_rate_limiter); all by default")
    parser.add_argument("--processes", default="",
                        help="comma-separated numbers of bot processes sharing one PostgreSQL "
                             "and one Redis (e.g. 1,2,3); the peers are left out then")
    parser.add_argument("--database-url", default=os.environ.get("RESCUEBOT_TEST_POSTGRES", ""),
                        help="PostgreSQL for --processes (emptied!); default "
                             "RESCUEBOT_TEST_POSTGRES")
    parser.add_argument("--redis-url", default=os.environ.get("RESCUEBOT_TEST_REDIS", ""),
                        help="Redis for --processes; default RESCUEBOT_TEST_REDIS")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("aiogram").setLevel(logging.CRITICAL)
    if args.processes:
        if not args.database_url.startswith("postgresql") or not args.redis_url:
            parser.error("--processes needs --database-url (PostgreSQL) and --redis-url")
        figures = asyncio.run(main_processes(
            [int(n) for n in args.processes.split(",")], [int(n) for n in args.chats.split(",")],
            args.database_url, args.redis_url))
        print(json.dumps(figures, ensure_ascii=False))
        return
    only = {name for name in args.only.split(",") if name} or None
    figures = asyncio.run(main([int(n) for n in args.chats.split(",")], only))
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    cli()
