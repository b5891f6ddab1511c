"""The bot added to or removed from a group, and groups upgraded to supergroups."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import IS_MEMBER, IS_NOT_MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated, Message

from bot.i18n import Texts
from bot.replies import Outbound
from core.actor import Actor
from core.clock import Clock
from core.config import MechanismConfig
from core.ports import UnitOfWork
from core.usecases.binding import chat_lost, chat_migrated


async def added(event: ChatMemberUpdated, uow: UnitOfWork, t: Texts, out: Outbound) -> None:
    if event.chat.type == "private":
        return
    unit = await uow.units.by_chat(event.chat.id)
    if unit is not None:
        out.say(event.chat.id, t("group.added_bound", unit=unit.name))
    else:
        out.say(event.chat.id, t("group.added_unbound"))


async def removed(event: ChatMemberUpdated, uow: UnitOfWork, actor: Actor, clock: Clock,
                  config: MechanismConfig) -> None:
    reason = "kicked" if event.new_chat_member.status == "kicked" else "left"
    if event.chat.type == "private":
        reason = "blocked"
    await chat_lost(uow, event.chat.id, actor, reason, clock, config)


async def migrated_to(message: Message, uow: UnitOfWork, clock: Clock) -> None:
    assert message.migrate_to_chat_id is not None
    await chat_migrated(uow, message.chat.id, message.migrate_to_chat_id, clock)


async def migrated_from(message: Message, uow: UnitOfWork, clock: Clock) -> None:
    assert message.migrate_from_chat_id is not None
    await chat_migrated(uow, message.migrate_from_chat_id, message.chat.id, clock)


def make_router() -> Router:
    router = Router(name="membership")
    router.my_chat_member.register(added, ChatMemberUpdatedFilter(IS_NOT_MEMBER >> IS_MEMBER))
    router.my_chat_member.register(removed, ChatMemberUpdatedFilter(IS_MEMBER >> IS_NOT_MEMBER))
    router.message.register(migrated_to, F.migrate_to_chat_id)
    router.message.register(migrated_from, F.migrate_from_chat_id)
    return router
