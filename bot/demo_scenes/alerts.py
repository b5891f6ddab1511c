"""Demo scene: an early warning and a duty roll-call, with simulated people.

Some answer at once, one only after a reminder or after the deadline, one stays silent.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.world import SandboxCounty
from core.clock import ControllableClock

Pause = Callable[[float], Awaitable[None]]
ISSUER = 400032  # 唐晓燕, chief forecaster of the meteorology department
WARNED = ("f-town-hekou", "f-hazchem", "f-mfs-hekou", "f-expert-hazchem")  # 河口镇
CALLED = ("f-town-shiqiao", "f-transport", "f-airfield", "f-machinery", "f-mfs-industrial")
# A busy group may wait up to a minute: Telegram allows it 20 messages a minute.
WAIT = 90


async def tap(county: SandboxCounty, code: str, label: str, contains: str) -> None:
    chat = county.chats[code]
    await county.sb.wait_for(chat, contains, timeout=WAIT, since=0)
    cq = await county.sb.press_button(chat, county.person(code, "duty_officer"), label,
                                      text_contains=contains)
    # The bot answers a tap only after the answer is committed; before that the clock must not
    # jump, or a prompt force would be reminded as if it were silent.
    await county.sb.wait_callback_answer(cq, timeout=WAIT)


async def warning_scene(county: SandboxCounty, clock: ControllableClock, pause: Pause) -> None:
    print("\n=== 场景：早期预警 scene: an early warning ===\n", flush=True)
    meteo, sb = county.chats["dept-meteo"], county.sb
    await sb.send_message(meteo, ISSUER, "/warn yellow 暴雨 township:河口镇 12 "
                          "预计今夜河口镇有大暴雨，局地特大暴雨，请做好山洪、地质灾害防范。")
    found = re.search(r"#(\d+)", (await sb.wait_for(meteo, "已发布", timeout=WAIT))["text"])
    assert found
    wid = found.group(1)
    await pause(2)
    for code in WARNED[:2]:  # the prompt ones
        await tap(county, code, "已收到", f"#{wid}")
        await pause(1)
    await sb.send_message(meteo, ISSUER, f"/warn_upgrade {wid} red")
    await sb.wait_for(meteo, "已升级", timeout=WAIT)
    await pause(3)
    print("\n--- 5 分钟后 five minutes later ---\n", flush=True)
    clock.advance(timedelta(minutes=5, seconds=1))
    await tap(county, WARNED[2], "已收到", "第 1 次提醒")  # late, after a reminder
    for _ in range(2):
        await pause(2)
        print("\n--- 又过 5 分钟 five more minutes ---\n", flush=True)
        clock.advance(timedelta(minutes=5, seconds=1))
    await sb.wait_for(county.chats["brigade"], "仍未确认", timeout=WAIT, since=0)
    await pause(2)


async def rollcall_scene(county: SandboxCounty, clock: ControllableClock, pause: Pause) -> None:
    print("\n=== 场景：值班点名 scene: a duty roll-call ===\n", flush=True)
    brigade, sb = county.chats["brigade"], county.sb
    await sb.send_message(brigade, county.person("brigade", "dispatcher"),
                          "/rollcall township:石桥镇")
    found = re.search(r"#(\d+)", (await sb.wait_for(brigade, "临时点名", timeout=WAIT))["text"])
    assert found
    call = f"【值班点名】#{found.group(1)}"
    await pause(2)
    for code in CALLED[:3]:
        await tap(county, code, "在岗", call)
        await pause(1)
    print("\n--- 10 分钟后：截止 ten minutes later: the deadline ---\n", flush=True)
    clock.advance(timedelta(minutes=10, seconds=1))
    await sb.wait_for(brigade, "点名结果", timeout=WAIT, since=0)
    await pause(2)
    await tap(county, CALLED[3], "在岗", call)  # late; CALLED[4] stays silent
    await pause(3)
    await sb.send_message(brigade, county.person("brigade", "head"), "/duty")
    await sb.wait_for(brigade, "值班点名记录", timeout=WAIT)
    await sb.send_message(brigade, county.person("brigade", "head"), "/warnings")
    await sb.wait_for(brigade, "预警确认记录", timeout=WAIT)
    await pause(2)


async def play(county: SandboxCounty, clock: ControllableClock, pause: Pause) -> None:
    await warning_scene(county, clock, pause)
    await rollcall_scene(county, clock, pause)
