"""Information reports with a photo, and the /report dialog: township by button or typed,
the text in reply, then a photo in reply or 跳过; 取消 ends it and files nothing. The photo
goes to the county government, the bureau and the brigade by its file_id, before the whole
text (a caption holds only 1,024 characters)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from storage.tables_reports import ReportRow
from tests.chain import Chain

ASK_TOWN = "发生在哪个乡镇"
ASK_PHOTO = "如有现场照片"
FILED = re.compile(r"信息 #(\d+)（(\S+)）已报县政府")
COPIED = ("gov", "bureau", "brigade")


async def _reports(chain: Chain) -> list[tuple[str, str, str | None]]:
    async with chain.app.uow() as uow:
        rows = await uow.session.execute(select(ReportRow.township, ReportRow.text,
                                                ReportRow.photo).order_by(ReportRow.id))
        return [(a, b, c) for a, b, c in rows.all()]


async def _count(chain: Chain) -> int:
    async with chain.app.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(ReportRow)) or 0)


async def _question(chain: Chain, code: str, contains: str) -> int:
    found = await chain.sb.wait_for(chain.chat(code), contains)
    return int(found["message_id"])


async def _filed(chain: Chain, code: str) -> int:
    found = await chain.sb.wait_for(chain.chat(code), lambda m: bool(FILED.search(m["text"])))
    match = FILED.search(str(found["text"]))
    assert match
    return int(match.group(1))


def _photo_then_copy(chain: Chain, code: str, report: int) -> tuple[dict[str, object],
                                                                     dict[str, object]]:
    """The photo message, and the text message right after it."""
    mine = [m for m in chain.sb.transcript(chain.chat(code)) if m["is_bot"]]
    at = next(i for i, m in enumerate(mine) if f"#{report} " in str(m["text"])
              and "【信息" in str(m["text"]) and not m["photo"])
    return mine[at - 1], mine[at]


async def test_dialog_by_buttons_without_a_photo(chain: Chain) -> None:
    sb = chain.sb
    member = chain.county.members("f-police")[0]
    await sb.send_message(chain.chat("f-police"), member, "/report")
    await _question(chain, "f-police", ASK_TOWN)
    await chain.press("f-police", member, "城关镇", ASK_TOWN)
    ask = await _question(chain, "f-police", "城关镇 发生了什么")
    await sb.send_message(chain.chat("f-police"), member, "城关大桥桥面出现裂缝，已封闭交通",
                          reply_to=ask)
    await _question(chain, "f-police", ASK_PHOTO)
    answer = await chain.press("f-police", member, "跳过", ASK_PHOTO)
    assert answer["text"] in ("", None)
    report = await _filed(chain, "f-police")
    await chain.settle()
    for code in COPIED:
        copy = await sb.wait_for(chain.chat(code), f"#{report} 城关镇", since=0)
        assert "城关大桥桥面出现裂缝" in copy["text"] and "附现场照片" not in copy["text"]
    assert sb.stats.calls["sendPhoto"] == 0
    assert await _reports(chain) == [("城关镇", "城关大桥桥面出现裂缝，已封闭交通", None)]


async def test_dialog_typed_township_and_a_photo_reaches_the_three_chats(chain: Chain) -> None:
    sb = chain.sb
    member = chain.county.members("dept-water")[0]
    gid = chain.chat("dept-water")
    await sb.send_message(gid, member, "/report")
    ask = await _question(chain, "dept-water", ASK_TOWN)
    await sb.send_message(gid, member, "桃源镇", reply_to=ask)  # no such township: asked again
    refused = await sb.wait_for(gid, "本县没有“桃源镇”")
    assert "河口镇" in refused["text"]
    await sb.send_message(gid, member, "河口镇", reply_to=ask)
    ask = await _question(chain, "dept-water", "河口镇 发生了什么")
    await sb.send_message(gid, member, "水" * 1001, reply_to=ask)  # too long: asked again
    await sb.wait_for(gid, "最多 1000 字")
    await sb.send_message(gid, member, "上游水库开始泄洪，河口镇低洼处进水", reply_to=ask)
    ask = await _question(chain, "dept-water", ASK_PHOTO)
    await sb.send_message(gid, member, "稍等", reply_to=ask)
    await sb.wait_for(gid, "请回复上面的问题发送一张照片")
    sent = await sb.send_photo(gid, member, reply_to=ask, filename="flood.jpg")
    file_id = sent["photo"][-1]["file_id"]
    report = await _filed(chain, "dept-water")
    await chain.settle()
    for code in COPIED:
        await sb.wait_for(chain.chat(code), f"#{report} 河口镇", since=0)
        photo, copy = _photo_then_copy(chain, code, report)
        assert photo["photo"] == "flood.jpg", (code, photo)
        assert f"#{report} 河口镇" in str(photo["caption"])
        assert "上游水库开始泄洪" in str(copy["text"]) and "附现场照片" in str(copy["text"])
    assert sb.stats.calls["sendPhoto"] == 3
    assert await _reports(chain) == [("河口镇", "上游水库开始泄洪，河口镇低洼处进水", file_id)]
    # Linking edits the copies' text; the photo is not sent again.
    await chain.press("brigade", chain.dispatcher, "立为事件", f"#{report} ")
    await sb.wait_for(chain.chat("bureau"), lambda m: f"#{report} " in m["text"]
                      and "已立为事件" in m["text"], since=0)
    await chain.settle()
    assert sb.stats.calls["sendPhoto"] == 3


async def test_a_photo_with_the_one_line_caption_and_a_long_text_arrives_whole(chain: Chain
                                                                              ) -> None:
    sb = chain.sb
    member = chain.county.members("f-health")[0]
    body = "白沙镇中学食物中毒，二十余人送医。" + "现场情况" * 245  # 1,000 characters
    assert len(body) == 997
    caption = f"/report 白沙镇 {body}"
    assert len(caption) <= 1024  # what a person may write under a photo
    await sb.send_photo(chain.chat("f-health"), member, caption, filename="school.jpg")
    report = await _filed(chain, "f-health")
    await chain.settle()
    for code in COPIED:
        await sb.wait_for(chain.chat(code), f"#{report} 白沙镇", since=0)
        photo, copy = _photo_then_copy(chain, code, report)
        assert photo["photo"] == "school.jpg"
        assert body in str(copy["text"])  # whole, longer than any caption could hold
        assert len(str(copy["text"])) > 1024
    assert [r[0] for r in await _reports(chain)] == ["白沙镇"]


async def test_a_photo_with_a_bare_report_asks_no_photo_again(chain: Chain) -> None:
    sb = chain.sb
    member = chain.county.members("f-water")[0]
    await sb.send_photo(chain.chat("f-water"), member, "/report", filename="bank.jpg")
    await _question(chain, "f-water", ASK_TOWN)
    await chain.press("f-water", member, "河口镇", ASK_TOWN)
    ask = await _question(chain, "f-water", "河口镇 发生了什么")
    await sb.send_message(chain.chat("f-water"), member, "堤防出现管涌", reply_to=ask)
    report = await _filed(chain, "f-water")
    await chain.settle()
    photo, _ = _photo_then_copy(chain, "brigade", report)
    assert photo["photo"] == "bank.jpg"
    assert not any(ASK_PHOTO in m["text"] for m in sb.transcript(chain.chat("f-water")))


async def test_cancel_and_someone_elses_buttons_file_nothing(chain: Chain) -> None:
    sb = chain.sb
    first, second = chain.county.members("f-police")[:2]
    gid = chain.chat("f-police")
    await sb.send_message(gid, first, "/report")
    ask = await _question(chain, "f-police", ASK_TOWN)
    answer = await chain.press("f-police", second, "城关镇", ASK_TOWN)
    assert "不是您正在进行的报送" in str(answer["text"])
    markup = sb.transcript(gid)[-1]["reply_markup"]
    assert isinstance(markup, dict)
    town = next(b["callback_data"] for row in markup["inline_keyboard"] for b in row
                if b["text"] == "城关镇")
    answer = await chain.press("f-police", first, "取消", ASK_TOWN)
    await sb.wait_for(gid, "已取消信息报送")
    # The buttons are gone; an old tap (a slow client) finds the dialog over.
    stale = await sb.press_callback(gid, first, ask, town)
    assert "不是您正在进行的报送" in str((await sb.wait_callback_answer(stale))["text"])
    await sb.send_message(gid, first, "/report")
    ask = await _question(chain, "f-police", ASK_TOWN)
    await sb.send_message(gid, first, "城关镇", reply_to=ask)
    ask = await _question(chain, "f-police", "城关镇 发生了什么")
    await sb.send_message(gid, first, "取消", reply_to=ask)
    await sb.wait_for(gid, "已取消信息报送")
    unbound = chain.county.make_group("f-gas")
    await sb.send_message(unbound, chain.county.members("f-gas")[0], "/report")
    await sb.wait_for(unbound, "未绑定")
    await chain.settle()
    assert await _count(chain) == 0
    for code in COPIED:
        assert "【信息" not in sb.format_transcript(chain.chat(code))


async def test_a_photo_given_in_reply_to_the_text_question_is_kept(chain: Chain) -> None:
    sb = chain.sb
    member = chain.county.members("f-police")[0]
    gid = chain.chat("f-police")
    await sb.send_message(gid, member, "/report")
    await _question(chain, "f-police", ASK_TOWN)
    await chain.press("f-police", member, "城关镇", ASK_TOWN)
    ask = await _question(chain, "f-police", "城关镇 发生了什么")
    await sb.send_photo(gid, member, reply_to=ask, filename="crack.jpg")
    await sb.wait_for(gid, "照片已收到")
    await sb.send_message(gid, member, "桥墩出现裂缝", reply_to=ask)
    report = await _filed(chain, "f-police")
    await chain.settle()
    photo, copy = _photo_then_copy(chain, "bureau", report)
    assert photo["photo"] == "crack.jpg" and "桥墩出现裂缝" in str(copy["text"])
    assert not any(ASK_PHOTO in m["text"] for m in sb.transcript(gid))
