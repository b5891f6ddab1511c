"""The HTTP control API, a full aiogram Dispatcher loop, and `python -m sandbox`."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiogram import Dispatcher, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sandbox_helpers import ALICE, BOB, TOKEN, make_bot

from sandbox import Sandbox, SandboxClient

ROOT = Path(__file__).resolve().parents[2]


def build_router() -> Router:
    router = Router()

    @router.message(Command("bind"))
    async def bind(message: Message, command: CommandObject) -> None:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="确认", callback_data="ok")]]
        )
        await message.answer(f"绑定 <b>{command.args}</b>？", reply_markup=markup)

    @router.callback_query(F.data == "ok")
    async def confirm(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.edit_text("已绑定")
        await query.answer("完成")

    return router


@pytest_asyncio.fixture
async def running_bot(sb: Sandbox) -> AsyncIterator[Dispatcher]:
    from aiogram.client.default import DefaultBotProperties

    bot = make_bot(sb.base_url)
    bot.default = DefaultBotProperties(parse_mode="HTML")
    dp = Dispatcher()
    dp.include_router(build_router())
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    yield dp
    await dp.stop_polling()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)
    await bot.session.close()


@pytest.mark.asyncio
async def test_dispatcher_round_trip_via_control_client(
    sb: Sandbox, running_bot: Dispatcher
) -> None:
    async with SandboxClient(sb.base_url) as client:
        gid = await client.create_group("联调群", [ALICE, BOB], admins=[ALICE])
        await client.add_bot_to_group(gid, ALICE)
        await client.send_message(gid, ALICE, "/bind@rescue_bot 消防一队")
        asked = await client.wait_for(gid, "绑定 消防一队", timeout=5)
        assert asked["buttons"] == [["确认"]] and asked["html"] == "绑定 <b>消防一队</b>？"
        cq = await client.press_button(gid, BOB, "确认")
        assert (await client.wait_callback_answer(cq, timeout=5))["text"] == "完成"
        done = await client.wait_for(gid, "已绑定", timeout=5)
        assert done["edits"] == 1 and done["buttons"] == []
        assert await client.bot_texts(gid) == ["已绑定"]
        transcript = await client.transcript(gid)
        assert [e["is_bot"] for e in transcript] == [False, False, True]
        stats = await client.stats()
        assert stats["calls"]["editMessageText"] == 1
        assert (await client.chat(gid))["bot_status"]


@pytest.mark.asyncio
async def test_control_client_errors_faults_and_reset(sb: Sandbox) -> None:
    async with SandboxClient(sb.base_url) as client:
        await client.add_user(4242, "Dora", username="dora")
        with pytest.raises(LookupError, match="does not exist"):
            await client.create_group("x", [5555])
        await client.send_message(4242, 4242, "/start")
        with pytest.raises(LookupError, match="no callback button"):
            await client.press_button(4242, 4242, "nope")
        with pytest.raises(AssertionError, match="no bot message"):
            await client.wait_for(ALICE, "x", timeout=0.1)
        with pytest.raises(ValueError):
            await client.upgrade_group(4242)  # a private chat
        await client.faults.fail_next(3, status=500, method="sendMessage")
        assert (await client.faults.describe())["rules"][0]["remaining"] == 3
        await client.faults.clear()
        assert (await client.faults.describe())["rules"] == []
        limits = await client.set_limits(enabled=True, chat_per_second=2)
        assert limits["chat_per_second"] == 2 and sb.limiter.enabled
        await client.reset()
        assert sb.users == {} and sb.default_token == TOKEN
        with pytest.raises(LookupError):
            await client.transcript(ALICE)
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"{sb.base_url}/control/nope", json={}) as resp,
        ):
            assert resp.status == 404


@pytest.mark.asyncio
async def test_standalone_process() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sandbox",
        "--port",
        "0",
        "--token",
        TOKEN,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 20)
        url = line.decode().strip()
        assert url.startswith("http://127.0.0.1:")
        async with SandboxClient(url) as client:
            await client.add_user(ALICE, "Alice")
            await client.send_message(ALICE, ALICE, "/start")
        bot = make_bot(url)
        try:
            updates = await bot.get_updates(timeout=0)
            assert updates[0].message is not None and updates[0].message.text == "/start"
            assert (await bot.get_me()).first_name == "联调联战"
        finally:
            await bot.session.close()
    finally:
        proc.terminate()
        assert await asyncio.wait_for(proc.wait(), 10) == 0
