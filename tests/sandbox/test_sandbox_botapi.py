"""The sandbox driven by a real aiogram Bot: every answer must parse."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramUnauthorizedError,
)
from aiogram.methods import TelegramMethod
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BufferedInputFile,
    ChatMemberAdministrator,
    ChatMemberOwner,
    ForceReply,
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
)
from sandbox_helpers import ALICE, BOB, BOT_ID, CAROL, drain, make_bot

from sandbox import ANONYMOUS_ADMIN_ID, Sandbox


def keyboard(*texts: str, data_prefix: str = "d:") -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=t, callback_data=f"{data_prefix}{t}") for t in texts]
        ]
    )


async def group_with_bot(sb: Sandbox, bot: Bot, *, supergroup: bool = False) -> int:
    gid = sb.create_group("指挥群", [ALICE, BOB], supergroup=supergroup, admins=[ALICE])
    sb.add_bot_to_group(gid, ALICE)
    await drain(bot)
    return gid


@pytest.mark.asyncio
async def test_get_me(sb: Sandbox, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name, me.is_bot) == (
        BOT_ID,
        "rescue_bot",
        "联调联战",
        True,
    )


@pytest.mark.asyncio
async def test_unknown_token_and_method(sb: Sandbox, bot: Bot) -> None:
    stranger = make_bot(sb.base_url, token="999:nope")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await stranger.get_me()
    finally:
        await stranger.session.close()

    class Bogus(TelegramMethod[bool]):
        __returning__ = bool
        __api_method__ = "noSuchMethod"

    with pytest.raises(TelegramNotFound, match="Not Found"):
        await bot(Bogus())


@pytest.mark.asyncio
async def test_private_message_offset_confirmation(sb: Sandbox, bot: Bot) -> None:
    await sb.send_message(ALICE, ALICE, "/start hello")
    await sb.send_message(ALICE, ALICE, "plain words")
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [1, 2]
    first = updates[0].message
    assert first is not None and first.from_user is not None
    assert first.chat.type == "private" and first.from_user.id == ALICE
    assert first.entities is not None and first.entities[0].type == "bot_command"
    assert (first.entities[0].offset, first.entities[0].length) == (0, 6)
    # Without an offset nothing is confirmed; with one, older updates are gone for good.
    assert len(await bot.get_updates(timeout=0)) == 2
    assert [u.update_id for u in await bot.get_updates(offset=2, timeout=0)] == [2]
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [2]
    assert await bot.get_updates(offset=3, timeout=0) == []
    assert await bot.get_updates(offset=1, timeout=0) == []
    await sb.send_message(ALICE, ALICE, "/help")
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [3]
    assert len(await bot.get_updates(limit=1, timeout=0)) == 1


@pytest.mark.asyncio
async def test_long_polling_wakes_and_times_out(sb: Sandbox, bot: Bot) -> None:
    begin = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert time.monotonic() - begin >= 0.9

    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await asyncio.sleep(0.1)
    assert not poll.done()
    begin = time.monotonic()
    await sb.send_message(ALICE, ALICE, "hi")
    updates = await asyncio.wait_for(poll, 5)
    assert time.monotonic() - begin < 2
    assert updates[0].message is not None and updates[0].message.text == "hi"


@pytest.mark.asyncio
async def test_confirming_updates_wakes_wait_delivered(sb: Sandbox, bot: Bot) -> None:
    await sb.send_message(ALICE, ALICE, "hi")
    updates = await bot.get_updates(timeout=0)
    waiting = asyncio.create_task(sb.wait_delivered(timeout=30))
    await asyncio.sleep(0.05)
    assert not waiting.done()  # fetched is not confirmed
    await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    await asyncio.wait_for(waiting, 5)  # unwoken, it would sleep out its 30 s


@pytest.mark.asyncio
async def test_newer_poll_releases_older(sb: Sandbox, bot: Bot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=20))
    await asyncio.sleep(0.1)
    newer = asyncio.create_task(bot.get_updates(timeout=20))
    assert await asyncio.wait_for(older, 5) == []
    await sb.send_message(BOB, BOB, "x")
    assert len(await asyncio.wait_for(newer, 5)) == 1


@pytest.mark.asyncio
async def test_keyboard_press_and_answer(sb: Sandbox, bot: Bot) -> None:
    gid = await group_with_bot(sb, bot)
    sent = await bot.send_message(
        gid, "<b>警情</b> 请确认", parse_mode="HTML", reply_markup=keyboard("收到", "忽略")
    )
    assert sent.reply_markup is not None and sent.chat.id == gid
    entry = sb.transcript(gid)[-1]
    assert entry["text"] == "警情 请确认" and entry["html"] == "<b>警情</b> 请确认"
    assert entry["buttons"] == [["收到", "忽略"]] and entry["is_bot"]

    cq = await sb.press_button(gid, BOB, "收到")
    (update,) = await drain(bot)
    query = update.callback_query
    assert query is not None and query.id == cq and query.data == "d:收到"
    assert query.from_user.id == BOB and query.message is not None
    assert query.message.message_id == sent.message_id

    assert await bot.answer_callback_query(cq, text="已确认", show_alert=True)
    answer = await sb.wait_callback_answer(cq, timeout=1)
    assert answer["text"] == "已确认" and answer["show_alert"] is True
    assert sb.callback_answers[cq] == answer
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(cq)

    with pytest.raises(LookupError, match="收到"):
        await sb.press_button(gid, BOB, "不存在")
    forged = await sb.press_callback(gid, BOB, sent.message_id, "forged:1")
    (update,) = await drain(bot)
    assert update.callback_query is not None and update.callback_query.id == forged
    assert update.callback_query.data == "forged:1"
    with pytest.raises(AssertionError, match="not answered"):
        await sb.wait_callback_answer(forged, timeout=0.1)

    sb.make_inaccessible(gid, sent.message_id)  # as Telegram does for an old message
    await sb.press_button(gid, BOB, "收到")
    (update,) = await drain(bot)
    assert update.callback_query is not None and update.callback_query.data == "d:收到"
    old = update.callback_query.message
    assert isinstance(old, InaccessibleMessage) and old.date == 0
    assert old.chat.id == gid and old.message_id == sent.message_id


@pytest.mark.asyncio
async def test_press_button_selection(sb: Sandbox, bot: Bot) -> None:
    await sb.send_message(ALICE, ALICE, "/start")
    first = await bot.send_message(
        ALICE, "任务一", reply_markup=keyboard("接受", data_prefix="a:")
    )
    await bot.send_message(ALICE, "任务二", reply_markup=keyboard("接受", data_prefix="b:"))
    await drain(bot)
    await sb.press_button(ALICE, ALICE, "接受")
    await sb.press_button(ALICE, ALICE, "接受", text_contains="任务一")
    await sb.press_button(ALICE, ALICE, "接受", message_id=first.message_id)
    data = [u.callback_query.data for u in await drain(bot) if u.callback_query]
    assert data == ["b:接受", "a:接受", "a:接受"]

    # The keyboard goes away when the text is edited without one.
    await bot.edit_message_text("任务一 已接受", chat_id=ALICE, message_id=first.message_id)
    with pytest.raises(LookupError):
        await sb.press_button(ALICE, ALICE, "接受", message_id=first.message_id)
    assert await bot.delete_message(ALICE, first.message_id + 1)
    with pytest.raises(LookupError):
        await sb.press_button(ALICE, ALICE, "接受")
    with pytest.raises(LookupError):
        await sb.press_callback(ALICE, ALICE, first.message_id + 1, "b:接受")
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(ALICE, first.message_id + 1)
    assert sb.bot_texts(ALICE) == ["任务一 已接受"]
    assert sb.transcript(ALICE)[-1]["deleted"] is True


@pytest.mark.asyncio
async def test_edit_errors(sb: Sandbox, bot: Bot) -> None:
    await sb.send_message(ALICE, ALICE, "/start")
    msg = await bot.send_message(
        ALICE, "<i>状态</i>", parse_mode="HTML", reply_markup=keyboard("a")
    )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "<i>状态</i>",
            chat_id=ALICE,
            message_id=msg.message_id,
            parse_mode="HTML",
            reply_markup=keyboard("a"),
        )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=ALICE, message_id=msg.message_id, reply_markup=keyboard("a")
        )
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.edit_message_text("x" * 4097, chat_id=ALICE, message_id=msg.message_id)
    # 4096 characters after entity parsing is fine, even if the markup is longer.
    edited = await bot.edit_message_text(
        "<b>" + "y" * 4096 + "</b>", chat_id=ALICE, message_id=msg.message_id, parse_mode="HTML"
    )
    assert not isinstance(edited, bool) and edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("z", chat_id=ALICE, message_id=999)
    user_msg = sb.transcript(ALICE)[0]["message_id"]
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("z", chat_id=ALICE, message_id=user_msg)
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(ALICE, "k", reply_markup=keyboard("x" * 70))
    await bot.send_message(ALICE, "k", reply_markup=keyboard("键" * 21, data_prefix="d"))  # 64 B
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(ALICE, "k", reply_markup=keyboard("键" * 21, data_prefix="dd"))
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(ALICE, "  ")
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(ALICE, "<b></b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(ALICE, "<b>unclosed", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(ALICE, "line<br>break", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(-42, "nowhere")
    entry = sb.transcript(ALICE)[1]
    assert len(sb.transcript(ALICE)) == 3
    assert entry["edits"] == 1 and entry["text"] == "y" * 4096 and entry["buttons"] == []
    assert sb.stats.errors[400] >= 10


@pytest.mark.asyncio
async def test_mentions_force_reply_and_replies(sb: Sandbox, bot: Bot) -> None:
    gid = await group_with_bot(sb, bot)
    sent = await bot.send_message(
        gid,
        f'<a href="tg://user?id={BOB}">Bob</a> 请回复人数',
        parse_mode="HTML",
        reply_markup=ForceReply(selective=True),
    )
    assert sent.entities is not None and sent.entities[0].user is not None
    assert sent.entities[0].user.first_name == "Bob"
    entry = sb.transcript(gid)[-1]
    assert entry["mentions"] == [BOB] and entry["force_reply"] is True
    await sb.send_message(gid, BOB, "12", reply_to=sent.message_id)
    (update,) = await drain(bot)  # a reply to the bot passes privacy mode
    assert update.message is not None and update.message.reply_to_message is not None
    assert update.message.reply_to_message.message_id == sent.message_id
    answer = await bot.send_message(
        gid, "收到", reply_parameters=ReplyParameters(message_id=update.message.message_id)
    )
    assert answer.reply_to_message is not None
    assert sb.transcript(gid)[-1]["reply_to"] == update.message.message_id


@pytest.mark.asyncio
async def test_privacy_mode_and_anonymous_admin(sb: Sandbox, bot: Bot) -> None:
    gid = await group_with_bot(sb, bot)
    await sb.send_message(gid, ALICE, "just chatting")
    await sb.send_message(gid, ALICE, "/report@other_bot x")
    await sb.send_message(gid, ALICE, "/bind@rescue_bot 消防一队")
    await sb.send_message(gid, ALICE, "/status", anonymous_admin=True)
    updates = await drain(bot)
    texts = [u.message.text for u in updates if u.message]
    assert texts == ["/bind@rescue_bot 消防一队", "/status"]
    bind = updates[0].message
    assert bind is not None and bind.entities is not None
    assert bind.entities[0].length == len("/bind@rescue_bot")
    anon = updates[1].message
    assert anon is not None and anon.from_user is not None and anon.sender_chat is not None
    assert anon.from_user.id == ANONYMOUS_ADMIN_ID and anon.sender_chat.id == gid
    # All of it is in the transcript, human messages included.
    assert len([e for e in sb.transcript(gid) if not e["is_bot"]]) == 5
    # An admin bot sees everything.
    sb.set_admin(gid, BOT_ID, True)
    await sb.send_message(gid, BOB, "now visible")
    assert [u.message.text for u in await drain(bot) if u.message] == ["now visible"]


@pytest.mark.asyncio
async def test_join_kick_and_forbidden(sb: Sandbox, bot: Bot) -> None:
    gid = sb.create_group("外部群", [ALICE, BOB])
    with pytest.raises(TelegramForbiddenError, match="not a member of the group chat"):
        await bot.send_message(gid, "hello")
    sb.add_bot_to_group(gid, ALICE)
    member, joined = await drain(bot)
    assert member.my_chat_member is not None
    assert member.my_chat_member.old_chat_member.status == "left"
    assert member.my_chat_member.new_chat_member.status == "member"
    assert member.my_chat_member.from_user.id == ALICE
    assert joined.message is not None and joined.message.new_chat_members is not None
    assert joined.message.new_chat_members[0].id == BOT_ID
    await bot.send_message(gid, "hello")

    sb.remove_bot_from_group(gid, BOB)
    (kicked,) = await drain(bot)
    assert kicked.my_chat_member is not None
    assert kicked.my_chat_member.new_chat_member.status == "kicked"
    with pytest.raises(TelegramForbiddenError, match="bot was kicked from the group chat"):
        await bot.send_message(gid, "still there?")

    sb.add_bot_to_group(gid, ALICE)
    await drain(bot)
    assert await bot.leave_chat(gid)
    (left,) = await drain(bot)
    assert left.my_chat_member is not None and left.my_chat_member.new_chat_member.status == "left"
    with pytest.raises(TelegramForbiddenError, match="not a member"):
        await bot.send_message(gid, "gone")


@pytest.mark.asyncio
async def test_private_chat_rules(sb: Sandbox, bot: Bot) -> None:
    with pytest.raises(TelegramForbiddenError, match="can't initiate conversation"):
        await bot.send_message(CAROL, "hi")
    await sb.send_message(CAROL, CAROL, "/start")
    await bot.send_message(CAROL, "hi")
    sb.block_bot(CAROL)
    updates = await drain(bot)
    assert updates[-1].my_chat_member is not None
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(CAROL, "hi again")
    assert sb.chat(CAROL)["type"] == "private"


@pytest.mark.asyncio
async def test_upgrade_to_supergroup(sb: Sandbox, bot: Bot) -> None:
    gid = await group_with_bot(sb, bot)
    new_id = sb.upgrade_group(gid)
    assert str(new_id).startswith("-100") and len(str(new_id)) == 14
    to_msg, from_msg = await drain(bot)
    assert to_msg.message is not None and to_msg.message.migrate_to_chat_id == new_id
    assert from_msg.message is not None and from_msg.message.migrate_from_chat_id == gid
    assert from_msg.message.chat.type == "supergroup"
    with pytest.raises(TelegramMigrateToChat) as err:
        await bot.send_message(gid, "old id")
    assert err.value.migrate_to_chat_id == new_id
    sent = await bot.send_message(new_id, "new id")
    assert sent.chat.id == new_id
    with pytest.raises(ValueError, match="upgraded"):
        await sb.send_message(gid, ALICE, "/x")


@pytest.mark.asyncio
async def test_documents_and_photos(sb: Sandbox, bot: Bot) -> None:
    gid = await group_with_bot(sb, bot, supergroup=True)
    data = "单位,人数\n消防,12\n".encode()
    doc = await bot.send_document(
        gid,
        BufferedInputFile(data, filename="report.csv"),
        caption="<b>日报</b>",
        parse_mode="HTML",
    )
    assert doc.document is not None and doc.document.file_name == "report.csv"
    assert doc.document.file_size == len(data) and doc.caption == "日报"
    entry = sb.transcript(gid)[-1]
    assert entry["document"] == "report.csv" and entry["text"] == "日报"
    assert sb.files[doc.document.file_id]["content"] == data
    again = await bot.send_document(gid, doc.document.file_id)
    assert again.document is not None and again.document.file_name == "report.csv"
    photo = await bot.send_photo(gid, BufferedInputFile(b"\x89PNG", filename="map.png"))
    assert photo.photo is not None and sb.transcript(gid)[-1]["photo"] == "map.png"
    with pytest.raises(TelegramBadRequest, match="there is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=gid, message_id=doc.message_id)
    assert sb.stats.calls["sendDocument"] == 2


@pytest.mark.asyncio
async def test_commands(sb: Sandbox, bot: Bot) -> None:
    cmds = [
        BotCommand(command="bind", description="绑定本群"),
        BotCommand(command="help", description="帮助"),
    ]
    assert await bot.set_my_commands(cmds)
    assert await bot.set_my_commands(
        cmds[:1], scope=BotCommandScopeAllGroupChats(), language_code="zh"
    )
    assert [c.command for c in await bot.get_my_commands()] == ["bind", "help"]
    got = await bot.get_my_commands(scope=BotCommandScopeAllGroupChats(), language_code="zh")
    assert [c.command for c in got] == ["bind"]
    assert sb.commands[("all_group_chats", "zh")][0]["description"] == "绑定本群"
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad-Name", description="x")])


@pytest.mark.asyncio
async def test_chat_queries(sb: Sandbox, bot: Bot) -> None:
    gid = await group_with_bot(sb, bot, supergroup=True)
    chat = await bot.get_chat(gid)
    assert chat.title == "指挥群" and chat.type == "supergroup"
    owner = await bot.get_chat_member(gid, ALICE)
    assert isinstance(owner, ChatMemberOwner)
    assert (await bot.get_chat_member(gid, BOB)).status == "member"
    assert (await bot.get_chat_member(gid, CAROL)).status == "left"
    assert (await bot.get_chat_member(gid, BOT_ID)).status == "member"
    sb.set_admin(gid, BOB)
    admins = await bot.get_chat_administrators(gid)
    assert [a.user.id for a in admins] == [ALICE, BOB]
    assert isinstance(admins[1], ChatMemberAdministrator)
    assert await bot.get_chat_member_count(gid) == 3
    assert await bot.send_chat_action(gid, "typing")
    sb.add_member(gid, CAROL)
    (joined,) = await drain(bot)
    assert joined.message is not None and joined.message.new_chat_members is not None
    sb.remove_member(gid, CAROL)
    (left,) = await drain(bot)
    assert left.message is not None and left.message.left_chat_member is not None


@pytest.mark.asyncio
async def test_webhook_conflicts_with_polling(sb: Sandbox, bot: Bot) -> None:
    assert await bot.set_webhook("https://example.org/hook")
    info = await bot.get_webhook_info()
    assert info.url == "https://example.org/hook"
    with pytest.raises(TelegramConflictError):
        await bot.get_updates(timeout=0)
    await sb.send_message(ALICE, ALICE, "/start")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == []


@pytest.mark.asyncio
async def test_wait_for(sb: Sandbox, bot: Bot) -> None:
    await sb.send_message(ALICE, ALICE, "/start")
    old = await bot.send_message(ALICE, "旧消息")

    async def reply_later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(ALICE, "欢迎使用")
        await asyncio.sleep(0.05)
        await bot.edit_message_text("旧消息 已更新", chat_id=ALICE, message_id=old.message_id)

    await sb.send_message(ALICE, ALICE, "/help")
    task = asyncio.create_task(reply_later())
    assert (await sb.wait_for(ALICE, "欢迎", timeout=5))["text"] == "欢迎使用"
    edited = await sb.wait_for(ALICE, lambda e: e["edits"] == 1, timeout=5)
    assert edited["message_id"] == old.message_id
    await task
    # "旧消息" was sent before the latest human action, so it only matches with since=0.
    with pytest.raises(AssertionError, match="transcript"):
        await sb.wait_for(ALICE, "不会出现", timeout=0.2)
    assert (await sb.wait_for(ALICE, "旧消息", since=0, timeout=1))["edits"] == 1
