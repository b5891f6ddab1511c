"""The peers: plain aiogram loops and python-telegram-bot's AIORateLimiter."""

from __future__ import annotations

import asyncio
import contextlib
import time

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter

from bench.world import TEXT, TOKEN, Run, outcome, sandbox_with_groups


def aiogram_bot(base_url: str) -> Bot:
    return Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))


async def aiogram_plain(chats: int) -> Run:
    """What a first bot does: send in a loop; a 429 raises and that message is lost."""
    sb, groups = await sandbox_with_groups(chats)
    bot = aiogram_bot(sb.base_url)
    started = time.monotonic()
    for gid in groups:
        with contextlib.suppress(TelegramRetryAfter):
            await bot.send_message(gid, TEXT)
    run = outcome(sb, groups, "aiogram plain loop", started)
    await bot.session.close()
    await sb.stop()
    return run


async def aiogram_retry(chats: int) -> Run:
    """The usual fix: on RetryAfter, sleep as told and send again."""
    sb, groups = await sandbox_with_groups(chats)
    bot = aiogram_bot(sb.base_url)
    started = time.monotonic()
    for gid in groups:
        while True:
            try:
                await bot.send_message(gid, TEXT)
                break
            except TelegramRetryAfter as e:
                await asyncio.sleep(e.retry_after)
    run = outcome(sb, groups, "aiogram retry loop", started)
    await bot.session.close()
    await sb.stop()
    return run


async def ptb_rate_limiter(chats: int) -> Run:
    """python-telegram-bot's AIORateLimiter (aiolimiter windows), all sends at once."""
    from telegram.error import RetryAfter
    from telegram.ext import AIORateLimiter, ExtBot
    from telegram.request import HTTPXRequest

    sb, groups = await sandbox_with_groups(chats)
    bot = ExtBot(TOKEN, base_url=f"{sb.base_url}/bot",
                 request=HTTPXRequest(connection_pool_size=64),
                 rate_limiter=AIORateLimiter(max_retries=5))
    await bot.initialize()
    started = time.monotonic()
    results = await asyncio.gather(*(bot.send_message(g, TEXT) for g in groups),
                                   return_exceptions=True)
    failures = [r for r in results if isinstance(r, Exception)]
    run = outcome(sb, groups, "python-telegram-bot AIORateLimiter", started)
    run.extra["exceptions"] = len(failures)
    run.extra["retry_after_raised"] = sum(isinstance(r, RetryAfter) for r in failures)
    await bot.shutdown()
    await sb.stop()
    return run
