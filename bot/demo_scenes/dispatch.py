"""Demo scene: the dispatch chain, from an incident to every force on scene.

A dispatcher drafts a plan, the bureau approves it, the forces answer: two at once, one only
after the order is sent again at T1, one cannot go and says why. Then stand-down, close, /log.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.world import SandboxCounty
from core.clock import ControllableClock

Pause = Callable[[float], Awaitable[None]]
PROMPT = ("f-town-chengguan", "f-police")
SLOW, UNABLE = "f-health", "f-water"
FORCES = (*PROMPT, SLOW, UNABLE)
# A busy group may wait up to a minute: Telegram allows it 20 messages a minute.
WAIT = 90


async def _number(county: SandboxCounty, chat: int, contains: str) -> str:
    found = re.search(r"#(\d+)", (await county.sb.wait_for(chat, contains, timeout=WAIT))["text"])
    assert found
    return found.group(1)


async def _tap(county: SandboxCounty, code: str, who: int, label: str, contains: str) -> None:
    chat = county.chats[code]
    await county.sb.wait_for(chat, contains, timeout=WAIT, since=0)
    cq = await county.sb.press_button(chat, who, label, text_contains=contains)
    # The bot answers a tap only after the answer is committed: the scene moves on from there.
    await county.sb.wait_callback_answer(cq, timeout=WAIT)


async def _answer(county: SandboxCounty, code: str, pause: Pause) -> None:
    who = county.members(code)[-1]
    for label in ("收到", "已出发", "已到达"):
        await _tap(county, code, who, label, "出动指令")
        await pause(1)


async def play(county: SandboxCounty, clock: ControllableClock, pause: Pause) -> None:
    print("\n=== 场景：调度链 scene: the dispatch chain ===\n", flush=True)
    sb, brigade, bureau = county.sb, county.chats["brigade"], county.chats["bureau"]
    dispatcher = county.person("brigade", "dispatcher")
    await sb.send_message(brigade, dispatcher, "/incident 一般 城关镇 城关镇老街民房火灾")
    incident = await _number(county, brigade, "已登记事件")
    await pause(2)
    await sb.send_message(brigade, dispatcher, f"/dispatch {incident} {','.join(FORCES)} "
                          "赶赴城关镇老街，协助疏散群众、现场警戒和伤员救治")
    plan = await _number(county, brigade, "已提交")
    await pause(2)
    await _tap(county, "bureau", county.person("bureau", "approver"), "批准", f"调用方案 #{plan} ")
    await pause(3)
    for code in PROMPT:
        await _answer(county, code, pause)
    who = county.members(UNABLE)[-1]
    await _tap(county, UNABLE, who, "无法出动", "出动指令")
    question = await sb.wait_for(county.chats[UNABLE], "无法出动的原因", timeout=WAIT)
    await pause(1)
    await sb.send_message(county.chats[UNABLE], who, "冲锋舟在水库值守，无法抽调",
                          reply_to=question["message_id"])
    # Only once the reason is recorded may the clock jump: else this force would be reminded too.
    await sb.wait_for(county.chats[UNABLE], "已记录：无法出动", timeout=WAIT)
    await pause(2)
    print("\n--- 3 分钟过去 three minutes pass: 未确认的力量被再次提醒 ---\n", flush=True)
    clock.advance(timedelta(minutes=3, seconds=5))
    await sb.wait_for(county.chats[SLOW], "再次提醒", timeout=WAIT, since=0)
    await pause(2)
    await _answer(county, SLOW, pause)
    await pause(2)
    await sb.send_message(brigade, dispatcher, f"/standdown {plan}")
    await pause(2)
    await sb.send_message(brigade, dispatcher, f"/close {incident}")
    await sb.wait_for(bureau, "【事件总结】", timeout=WAIT, since=0)
    await pause(2)
    await sb.send_message(brigade, dispatcher, f"/log {incident}")
    await sb.wait_for(brigade, "时间线", timeout=WAIT)
    await pause(1)
