"""Demo scene: an early warning and a duty roll-call, with simulated people.

Some answer at once, one only after a reminder or after the deadline, one stays silent.
"""

from __future__ import annotations

from datetime import timedelta

from demo.scenes.stage import Stage

ISSUER = 400032  # 唐晓燕, chief forecaster of the meteorology department
WARNED = ("f-town-hekou", "f-hazchem", "f-mfs-hekou", "f-expert-hazchem")  # 河口镇
CALLED = ("f-town-shiqiao", "f-transport", "f-airfield", "f-machinery", "f-mfs-industrial")
UNITS = ("brigade", "dept-meteo", *WARNED, *CALLED)
REMIND = timedelta(minutes=5, seconds=1)  # a red warning's reminder interval, and a moment


async def _confirm(stage: Stage, code: str, contains_key: str) -> None:
    who = stage.county.person(code, "duty_officer")
    await stage.tap(code, who, "warnings.btn.confirm", stage.marker(contains_key))


async def warning_scene(stage: Stage) -> None:
    t = stage.t
    stage.scene("demo.scene.warning")
    await stage.say("dept-meteo", ISSUER, t("demo.warning.command"))
    wid = await stage.number("dept-meteo", "warnings.issued")
    await stage.pause(2)
    for code in WARNED[:2]:  # the prompt ones
        await _confirm(stage, code, "warnings.card")
        await stage.pause(1)
    await stage.say("dept-meteo", ISSUER, f"/warn_upgrade {wid} red")
    await stage.wait("dept-meteo", "warnings.upgraded_done")
    await stage.pause(3)
    mark = await stage.later(REMIND, "demo.later.reminder")
    await stage.wait(WARNED[2], "warnings.reminder", since=mark)
    await _confirm(stage, WARNED[2], "warnings.reminder")  # late, after a reminder
    for _ in range(2):  # WARNED[3] stays silent until the brigade is told
        await stage.pause(2)
        # Each reminder is waited for: two jumps in one sweep would bring only one reminder.
        mark = await stage.later(REMIND, "demo.later.reminder_again")
        await stage.wait(WARNED[3], "warnings.reminder", since=mark)
    await stage.wait("brigade", "warnings.silent_report", since=mark)
    await stage.pause(2)


async def rollcall_scene(stage: Stage) -> None:
    stage.scene("demo.scene.rollcall")
    head = stage.county.person("brigade", "head")
    await stage.say("brigade", stage.county.person("brigade", "dispatcher"),
                    "/rollcall township:石桥镇")
    await stage.number("brigade", "rollcall.opened")
    await stage.pause(2)
    for code in CALLED[:3]:
        await stage.tap(code, stage.county.person(code, "duty_officer"), "rollcall.btn.on_duty",
                        stage.marker("rollcall.call"))
        await stage.pause(1)
    mark = await stage.later(timedelta(minutes=10, seconds=1), "demo.later.deadline")
    await stage.wait("brigade", "rollcall.summary", since=mark)
    await stage.pause(2)
    late = CALLED[3]  # CALLED[4] stays silent
    await stage.tap(late, stage.county.person(late, "duty_officer"), "rollcall.btn.on_duty",
                    stage.marker("rollcall.call"))
    await stage.pause(3)
    await stage.say("brigade", head, "/duty")
    await stage.wait("brigade", "duty.records.title")
    await stage.say("brigade", head, "/warnings")
    await stage.wait("brigade", "warnings.records.title")
    await stage.pause(2)


async def play(stage: Stage) -> None:
    await warning_scene(stage)
    await rollcall_scene(stage)
