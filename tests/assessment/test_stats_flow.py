"""/stats in the chats: the county for the brigade, bureau and county government, a
department's forces, a force itself; a text and a chart photo; refusals say why."""

from __future__ import annotations

from datetime import timedelta

from core.clock import ControllableClock
from tests.assessment.helpers import png_size, sent_file, write_november
from tests.chain import Chain

PHOTO = "stats-2026-11.png"


def _name(chain: Chain, code: str) -> str:
    return chain.county.unit(code).name


async def test_the_brigade_sees_the_county_with_a_chart(chain: Chain) -> None:
    await write_november(chain.app)
    reply = await chain.say("brigade", chain.dispatcher, "/stats")
    text = str(reply["text"])
    assert "【考核统计】2026-11" in text
    assert "接入比例" in text and "目标 80.0%" in text, text
    assert "政府力量" in text and "准时率最低" in text
    photo = await chain.sb.wait_for(chain.chat("brigade"), lambda m: m["photo"] == PHOTO)
    assert "各力量点名准时率" in str(photo["caption"])
    width, height = png_size(sent_file(chain.sb, PHOTO))
    assert width == 800 and 250 <= height <= 5000


async def test_a_force_sees_itself_only(chain: Chain) -> None:
    await write_november(chain.app)
    police = chain.county.members("f-police")[0]
    own = str((await chain.say("f-police", police, "/stats 2026-11"))["text"])
    assert _name(chain, "f-police") in own and "点名准时 2/2（100.0%）" in own, own
    assert "T1 内收到 100.0%" in own and "收到中位 2.0 分" in own and "到达中位 20.0 分" in own
    assert "抽查 1/1" in own and "接入比例" not in own
    assert _name(chain, "f-water") not in own
    for line in ("/stats f-water", "/stats 2026-11 f-health"):
        refused = str((await chain.say("f-police", police, line))["text"])
        assert "只能查看本力量" in refused, (line, refused)
        assert _name(chain, "f-water") not in refused and "准时" not in refused
    same = str((await chain.say("f-police", police, "/stats f-police"))["text"])
    assert "点名准时 2/2" in same


async def test_drill_figures_are_asked_for_apart(chain: Chain) -> None:
    await write_november(chain.app)
    police = chain.county.members("f-police")[0]
    drill = str((await chain.say("f-police", police, "/stats drill"))["text"])
    assert "【演练】" in drill and "点名准时 0/1" in drill and "未应答 1" in drill, drill
    assert "T1 内收到 100.0%" in drill  # the drill incident's order, not the real one's


async def test_a_department_sees_its_forces(chain: Chain) -> None:
    await write_november(chain.app)
    head = chain.county.members("dept-water")[0]
    text = str((await chain.say("dept-water", head, "/stats"))["text"])
    assert _name(chain, "f-water") in text and "点名准时 1/2（50.0%）" in text, text
    assert "迟到 1" in text and _name(chain, "f-police") not in text
    refused = str((await chain.say("dept-water", head, "/stats f-police"))["text"])
    assert "不是" in refused and "主管的力量" in refused, refused


async def test_refusals_are_answers(chain: Chain) -> None:
    brigade = chain.dispatcher
    for line, says in (("/stats 2026-13", "不是有效的时间段"),
                       ("/stats 1999", "不是有效的时间段"),
                       ("/stats a b c d", "用法"),
                       ("/stats " + "x" * 5000, "用法"),
                       ("/stats nosuch", "nosuch")):
        reply = str((await chain.say("brigade", brigade, line))["text"])
        assert says in reply, (line, reply)
    await chain.settle()
    assert not [f for f in chain.sb.files.values() if f["filename"].startswith("stats-")]


async def test_a_roll_call_answered_in_the_chat_counts(chain: Chain,
                                                      clock: ControllableClock) -> None:
    sb = chain.sb
    await sb.send_message(chain.chat("brigade"), chain.dispatcher, "/rollcall force:f-police")
    await sb.wait_for(chain.chat("f-police"), "【值班点名】")
    duty = chain.county.members("f-police")[0]
    cq = await sb.press_button(chain.chat("f-police"), duty, "在岗")
    await sb.wait_callback_answer(cq)
    police = chain.county.members("f-police")[0]
    # Until its deadline the roll-call is not counted; after, it is.
    before = str((await chain.say("f-police", police, "/stats"))["text"])
    assert "点名准时 0/0" in before, before
    clock.advance(timedelta(minutes=11))
    after = str((await chain.say("f-police", police, "/stats"))["text"])
    assert "点名准时 1/1（100.0%）" in after, after
