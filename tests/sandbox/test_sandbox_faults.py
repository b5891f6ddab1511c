"""Fault injection through a real aiogram Bot."""

from __future__ import annotations

import time

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
    TelegramServerError,
)
from sandbox_helpers import ALICE, BOB, drain

from sandbox import Sandbox


@pytest.mark.asyncio
async def test_fail_next_counts_and_filters_by_method(sb: Sandbox, bot: Bot) -> None:
    await sb.send_message(ALICE, ALICE, "/start")
    sb.faults.fail_next(2, status=502, method="sendMessage")
    assert len(await bot.get_updates(timeout=0)) == 1  # other methods are untouched
    for _ in range(2):
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.send_message(ALICE, "x")
    await bot.send_message(ALICE, "ok")
    assert sb.stats.errors[502] == 2
    assert sb.bot_texts(ALICE) == ["ok"]


@pytest.mark.asyncio
async def test_bare_fail_next_spares_get_updates(sb: Sandbox, bot: Bot) -> None:
    await sb.send_message(ALICE, ALICE, "/start")
    sb.faults.fail_next(1)
    assert len(await bot.get_updates(timeout=0)) == 1
    with pytest.raises(TelegramServerError):
        await bot.get_me()
    assert (await bot.get_me()).id
    sb.faults.fail_next(1, method="getUpdates")
    with pytest.raises(TelegramServerError):
        await bot.get_updates(timeout=0)


@pytest.mark.asyncio
async def test_slow_next(sb: Sandbox, bot: Bot) -> None:
    sb.faults.slow_next(1, 0.3)
    begin = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - begin >= 0.3
    assert sb.faults.rules == []  # consumed: the next call is not delayed


@pytest.mark.asyncio
async def test_rate_limit_next_hits_sends_only(sb: Sandbox, bot: Bot) -> None:
    await sb.send_message(ALICE, ALICE, "/start")
    sb.faults.rate_limit_next(1, retry_after=7)
    await bot.get_me()
    with pytest.raises(TelegramRetryAfter) as err:
        await bot.send_message(ALICE, "x")
    assert err.value.retry_after == 7
    await bot.send_message(ALICE, "y")
    assert sb.stats.too_many_requests == 1
    assert sb.stats.too_many_requests_by_chat[ALICE] == 1


@pytest.mark.asyncio
async def test_kick_and_upgrade_on_next_send(sb: Sandbox, bot: Bot) -> None:
    gid = sb.create_group("G", [ALICE, BOB])
    sb.add_bot_to_group(gid, ALICE)
    await drain(bot)
    sb.faults.kick_on_next_send(gid)
    with pytest.raises(TelegramForbiddenError, match="kicked"):
        await bot.send_message(gid, "x")
    (update,) = await drain(bot)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"

    gid2 = sb.create_group("G2", [ALICE])
    sb.add_bot_to_group(gid2, ALICE)
    await drain(bot)
    sb.faults.upgrade_on_next_send(gid2)
    with pytest.raises(TelegramMigrateToChat) as err:
        await bot.send_message(gid2, "x")
    new_id = err.value.migrate_to_chat_id
    assert sb.chat(gid2)["migrated_to"] == new_id
    await bot.send_message(new_id, "moved")
    sb.faults.fail_next(5)
    sb.faults.clear()
    await bot.get_me()
