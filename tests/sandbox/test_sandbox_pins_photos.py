"""Pinning (only an administrator allowed to pin, in a group), a person's photo with a
caption, and sendPhoto by a file_id the sandbox knows."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import ChatMemberAdministrator
from sandbox_helpers import ALICE, BOB, BOT_ID, drain

from sandbox import Sandbox

NO_RIGHTS = "not enough rights to manage pinned messages in the chat"


async def _group(sb: Sandbox, bot: Bot) -> int:
    gid = sb.create_group("指挥群", [ALICE, BOB], admins=[ALICE])
    sb.add_bot_to_group(gid, ALICE)
    await drain(bot)
    return gid


async def test_pinning_needs_an_admin_allowed_to_pin(sb: Sandbox, bot: Bot) -> None:
    gid = await _group(sb, bot)
    first = await bot.send_message(gid, "第1次研判")
    with pytest.raises(TelegramBadRequest, match=NO_RIGHTS):
        await bot.pin_chat_message(gid, first.message_id, disable_notification=True)
    sb.set_admin(gid, BOT_ID, can_pin_messages=False)
    member = await bot.get_chat_member(gid, BOT_ID)
    assert isinstance(member, ChatMemberAdministrator) and member.can_pin_messages is False
    with pytest.raises(TelegramBadRequest, match=NO_RIGHTS):
        await bot.pin_chat_message(gid, first.message_id)
    assert sb.pinned(gid) == [] and sb.chat(gid)["pinned_message_id"] is None
    sb.set_admin(gid, BOT_ID)
    member = await bot.get_chat_member(gid, BOT_ID)
    assert isinstance(member, ChatMemberAdministrator) and member.can_pin_messages is True
    assert await bot.pin_chat_message(gid, first.message_id, disable_notification=True)
    second = await bot.send_message(gid, "第2次研判")
    await bot.pin_chat_message(gid, second.message_id)
    assert sb.pinned(gid) == [first.message_id, second.message_id]
    assert sb.chat(gid)["pinned_message_id"] == second.message_id
    await bot.unpin_chat_message(gid, message_id=first.message_id)
    assert sb.pinned(gid) == [second.message_id]
    with pytest.raises(TelegramBadRequest, match="message to pin not found"):
        await bot.pin_chat_message(gid, 999)
    # A private chat needs no rights.
    await sb.send_message(ALICE, ALICE, "/start")
    mine = await bot.send_message(ALICE, "hi")
    assert await bot.pin_chat_message(ALICE, mine.message_id)


async def test_a_persons_photo_and_sending_it_again_by_file_id(sb: Sandbox, bot: Bot) -> None:
    gid = await _group(sb, bot)
    await sb.send_photo(gid, BOB, "just a picture")  # privacy mode: not for the bot
    sent = await sb.send_photo(gid, ALICE, "/report 城关镇 桥面裂缝", filename="bridge.jpg")
    [update] = await drain(bot)
    message = update.message
    assert message is not None and message.photo and message.caption == "/report 城关镇 桥面裂缝"
    assert message.caption_entities and message.caption_entities[0].type == "bot_command"
    file_id = message.photo[-1].file_id
    assert file_id == sent["photo"][-1]["file_id"] and file_id in sb.files
    again = await bot.send_photo(gid, file_id, caption="【信息抄报】#1 城关镇")
    assert again.photo and again.caption == "【信息抄报】#1 城关镇"
    entry = sb.transcript(gid)[-1]
    assert entry["photo"] == "bridge.jpg" and entry["caption"] == "【信息抄报】#1 城关镇"
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_photo(gid, "AgACmadeup")
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_photo(gid, file_id, caption="长" * 1025)
    with pytest.raises(ValueError, match="1024"):
        await sb.send_photo(gid, ALICE, "长" * 1025)
