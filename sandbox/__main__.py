"""``python -m sandbox --port 8081``: run the sandbox standalone, controlled over HTTP."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from .server import Sandbox


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--limits", action="store_true", help="enforce Telegram flood limits")
    parser.add_argument("--global-per-second", type=int, default=30)
    parser.add_argument("--chat-per-second", type=int, default=1)
    parser.add_argument("--group-per-minute", type=int, default=20)
    parser.add_argument(
        "--limit-tolerance",
        type=float,
        default=0.0,
        help="seconds of arrival jitter forgiven at window edges (default: exact)",
    )
    parser.add_argument("--token", help="pre-create a bot with this token")
    parser.add_argument("--username", default="rescue_bot")
    parser.add_argument("--first-name", default="联调联战")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args()


async def _run(args: argparse.Namespace) -> None:
    sb = Sandbox(
        limits=args.limits,
        global_per_second=args.global_per_second,
        chat_per_second=args.chat_per_second,
        group_per_minute=args.group_per_minute,
        limit_tolerance=args.limit_tolerance,
    )
    if args.token:
        sb.create_bot(token=args.token, username=args.username, first_name=args.first_name)
    url = await sb.start(host=args.host, port=args.port)
    # The URL on stdout is the interface for scripts that spawn us; keep it one bare line.
    print(url, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await sb.stop()


def main() -> None:
    args = _parse()
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    asyncio.run(_run(args))


if __name__ == "__main__":
    main()
