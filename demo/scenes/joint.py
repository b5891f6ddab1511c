"""Demo scene: a joint response (联合响应), from a township's report to the incident's close.

The township reports (信息报送) and the bureau and the brigade get the copy at once; the brigade
opens an incident from it; the brigade proposes a level Ⅳ response and the bureau agrees, so it
starts together; a plan is approved and public security gets the traffic-support notice and
arranges the lanes; an expert is consulted and advises; the brigade posts a situation update,
pinned in its group; the forces arrive; the incident is closed.
"""

from __future__ import annotations

from demo.scenes.stage import Stage

TOWNSHIP_UNIT = "f-town-hekou"  # 河口镇's own emergency team reports
FORCES = ("f-town-hekou", "f-hazchem")
EXPERT = "f-expert-hazchem"
TRAFFIC = "dept-police"
UNITS = ("bureau", "brigade", "gov", TRAFFIC, "dept-transport", EXPERT, *FORCES)


async def _arrive(stage: Stage, code: str) -> None:
    who = stage.county.members(code)[-1]
    for key in ("dispatch.btn.received", "dispatch.btn.en_route", "dispatch.btn.on_scene"):
        await stage.tap(code, who, key, stage.marker("dispatch.order"))
        await stage.pause(1)


async def _incident_from_report(stage: Stage) -> str:
    reporter = stage.county.person(TOWNSHIP_UNIT, "duty_officer")
    await stage.say(TOWNSHIP_UNIT, reporter, stage.t("demo.joint.report"))
    await stage.wait(TOWNSHIP_UNIT, "reports.filed")
    await stage.pause(2)
    commander = stage.county.person("brigade", "commander")
    await stage.tap("brigade", commander, "reports.btn.open", stage.marker("reports.copy"))
    return await stage.number("brigade", "dispatch.incident.report")


async def _respond_together(stage: Stage, incident: str) -> None:
    commander = stage.county.person("brigade", "commander")
    await stage.say("brigade", commander, f"/respond {incident} Ⅳ")
    await stage.wait("brigade", "response.proposed")
    await stage.pause(2)
    await stage.tap("bureau", stage.county.person("bureau", "approver"), "response.btn.agree",
                    stage.marker("response.card"))
    await stage.wait(FORCES[0], "response.announce")


async def _plan_with_traffic(stage: Stage, incident: str) -> None:
    dispatcher = stage.county.person("brigade", "dispatcher")
    await stage.say("brigade", dispatcher,
                    f"/dispatch {incident} {','.join(FORCES)} {stage.t('demo.joint.task')}")
    await stage.wait("brigade", "dispatch.plan.submitted")
    # The dispatch scene's card is in the same group: tap this plan's, by its first line.
    card = await stage.wait("bureau", "dispatch.plan.card")
    await stage.pause(2)
    await stage.tap("bureau", stage.county.person("bureau", "approver"), "dispatch.btn.approve",
                    card["text"].split("\n", 1)[0])
    await stage.wait(TRAFFIC, "traffic.request")
    await stage.pause(2)
    await stage.tap(TRAFFIC, stage.county.members(TRAFFIC)[-1], "traffic.btn.arranged",
                    stage.marker("traffic.request"))


async def _consult(stage: Stage, incident: str) -> None:
    commander = stage.county.person("brigade", "commander")
    await stage.say("brigade", commander,
                    f"/consult {incident} {EXPERT} {stage.t('demo.joint.question')}")
    await stage.wait(EXPERT, "consult.request")
    await stage.pause(2)
    expert = stage.county.members(EXPERT)[0]
    await stage.tap(EXPERT, expert, "consult.btn.accept", stage.marker("consult.request"))
    question = await stage.wait(EXPERT, "consult.ask_advice")
    await stage.pause(2)
    await stage.say(EXPERT, expert, stage.t("demo.joint.advice"),
                    reply_to=question["message_id"])
    await stage.wait("brigade", "consult.advice")


async def play(stage: Stage) -> None:
    stage.scene("demo.scene.joint")
    # The brigade's group lets the bot pin, so the latest situation update stays on top there.
    sb = stage.county.sb
    sb.set_admin(stage.chat("brigade"), sb.bot().id)
    incident = await _incident_from_report(stage)
    await stage.pause(2)
    await _respond_together(stage, incident)
    await stage.pause(2)
    await _plan_with_traffic(stage, incident)
    await stage.pause(2)
    await _consult(stage, incident)
    await stage.pause(2)
    commander = stage.county.person("brigade", "commander")
    await stage.say("brigade", commander,
                    f"/sitrep {incident} {stage.t('demo.joint.sitrep')}")
    await stage.wait("brigade", "sitrep.update")
    await stage.pause(2)
    for code in FORCES:
        await _arrive(stage, code)
    await stage.pause(2)
    dispatcher = stage.county.person("brigade", "dispatcher")
    await stage.say("brigade", dispatcher, f"/close {incident}")
    await stage.wait("brigade", "dispatch.incident.closed")
