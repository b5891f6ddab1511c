"""Demo scene: the dispatch chain, from an incident to every force on scene.

A dispatcher drafts a plan, the bureau approves it, the forces answer: two at once, one only
after the order is sent again at T1, one cannot go and says why, one stays silent until the
brigade and bureau are told at T2. Then stand-down, close, /log.
"""

from __future__ import annotations

from datetime import timedelta

from demo.scenes.stage import Stage

PROMPT = ("f-town-chengguan", "f-police")
SLOW, UNABLE, SILENT = "f-health", "f-water", "f-mfs-oldtown"
FORCES = (*PROMPT, SLOW, UNABLE, SILENT)
# Units whose chats the scene needs bound: the chain, and each force's supervising department.
UNITS = ("bureau", "brigade", "gov", "dept-gov-office", "dept-police", "dept-health",
         "dept-water", "dept-housing", *FORCES)
ORDER = "dispatch.order"


async def _answer(stage: Stage, code: str) -> None:
    who = stage.county.members(code)[-1]
    for key in ("dispatch.btn.received", "dispatch.btn.en_route", "dispatch.btn.on_scene"):
        await stage.tap(code, who, key, stage.marker(ORDER))
        await stage.pause(1)


async def _unable(stage: Stage) -> None:
    who = stage.county.members(UNABLE)[-1]
    await stage.tap(UNABLE, who, "dispatch.btn.unable", stage.marker(ORDER))
    question = await stage.wait(UNABLE, "dispatch.ask.unable")
    await stage.pause(1)
    await stage.say(UNABLE, who, stage.t("demo.dispatch.unable_reason"),
                    reply_to=question["message_id"])
    # Only once the reason is recorded may the clock jump: else this force would be reminded.
    await stage.wait(UNABLE, "dispatch.done.unable")


async def play(stage: Stage) -> None:
    t = stage.t
    stage.scene("demo.scene.dispatch")
    dispatcher = stage.county.person("brigade", "dispatcher")
    await stage.say("brigade", dispatcher, t("demo.dispatch.incident"))
    incident = await stage.number("brigade", "dispatch.incident.opened")
    await stage.pause(2)
    await stage.say("brigade", dispatcher,
                    f"/dispatch {incident} {','.join(FORCES)} {t('demo.dispatch.task')}")
    plan = await stage.number("brigade", "dispatch.plan.submitted")
    await stage.pause(2)
    await stage.tap("bureau", stage.county.person("bureau", "approver"), "dispatch.btn.approve",
                    stage.marker("dispatch.plan.card"))
    await stage.pause(3)
    for code in PROMPT:
        await _answer(stage, code)
    await _unable(stage)
    await stage.pause(2)

    mark = await stage.later(timedelta(minutes=3, seconds=5), "demo.later.t1")
    await stage.wait(SLOW, "dispatch.order.resend", since=mark)
    await stage.wait(SILENT, "dispatch.order.resend", since=mark)
    await stage.pause(2)
    await _answer(stage, SLOW)
    await stage.pause(2)

    mark = await stage.later(timedelta(minutes=7), "demo.later.t2")
    await stage.wait("brigade", "dispatch.silent", since=mark)
    await stage.wait("bureau", "dispatch.silent", since=mark)
    await stage.pause(2)

    await stage.say("brigade", dispatcher, f"/standdown {plan}")
    await stage.wait("brigade", "dispatch.standdown.result")
    await stage.pause(2)
    await stage.say("brigade", dispatcher, f"/close {incident}")
    await stage.wait("brigade", "dispatch.incident.closed")
    await stage.wait("bureau", "dispatch.summary", since=0)
    await stage.pause(2)
    await stage.say("brigade", dispatcher, f"/log {incident}")
    await stage.wait("brigade", "dispatch.log.title")
    await stage.pause(1)
