"""The middleware that gives every handler its unit of work, actor, texts and services.

It also marks the inbox row handled in the same transaction as the handler's work, and turns
the mechanism's refusals into one clear answer in the chat's language.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypedDict

from aiogram import BaseMiddleware, Bot
from aiogram.types import Chat, Message, TelegramObject, Update, User

from bot.i18n import Texts, Translator
from bot.settings import Settings
from core.actor import Actor
from core.clock import Clock
from core.config import MechanismConfig
from core.errors import DomainError
from core.ports import UnitOfWork

log = logging.getLogger(__name__)
ANONYMOUS_ADMIN_ID = 1087968824


class HandlerData(TypedDict, total=False):
    """What handlers may ask for by name."""

    bot: Bot
    uow: UnitOfWork
    actor: Actor
    t: Texts
    clock: Clock
    config: MechanismConfig
    settings: Settings
    translator: Translator


def _parts(update: Update) -> tuple[User | None, Chat | None, Message | None]:
    if update.message:
        m = update.message
        return m.from_user, m.chat, m
    if update.callback_query:
        cq = update.callback_query
        message = cq.message if isinstance(cq.message, Message) else None
        # A tap on an old message carries an InaccessibleMessage: no text, but its chat.
        return cq.from_user, cq.message.chat if cq.message else None, message
    if update.my_chat_member:
        return update.my_chat_member.from_user, update.my_chat_member.chat, None
    if update.edited_message:
        return update.edited_message.from_user, update.edited_message.chat, None
    return None, None, None


async def identify(uow: UnitOfWork, update: Update, config: MechanismConfig) -> Actor | None:
    user, chat, message = _parts(update)
    if chat is None:
        return None
    anonymous = bool(
        (message is not None and message.sender_chat is not None)
        or (user is not None and user.id == ANONYMOUS_ADMIN_ID)
    )
    tg_id = None if anonymous or user is None else user.id
    person = await uow.people.by_tg_id(tg_id) if tg_id else None
    grants = await uow.people.grants_of(person.id) if person and person.id else []
    return Actor(
        tg_id=tg_id,
        chat_id=chat.id,
        person=person,
        chat_unit=await uow.units.by_chat(chat.id),
        grants=tuple(grants),
        is_settings_admin=tg_id in config.admin_tg_ids if tg_id else False,
        anonymous=anonymous,
        display_name=person.name if person else (user.full_name if user else ""),
    )


class ContextMiddleware(BaseMiddleware):
    def __init__(
        self, uow: Callable[[], Any], translator: Translator, clock: Clock,
        config: MechanismConfig, settings: Settings,
    ) -> None:
        self.uow, self.translator, self.clock = uow, translator, clock
        self.config, self.settings = config, settings

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        inbox_id: int | None = data.pop("inbox_update_id", None)
        async with self.uow() as uow:
            if inbox_id is not None:
                await uow.inbox.mark_handled(inbox_id, self.clock.now())
            actor = await identify(uow, event, self.config)
            locale = await uow.chats.locale(actor.chat_id) if actor else None
            t = self.translator.for_locale(locale)
            data.update(uow=uow, actor=actor, t=t, clock=self.clock, config=self.config,
                        settings=self.settings, translator=self.translator)
            try:
                result = await handler(event, data)
                await uow.commit()
                return result
            except DomainError as e:
                await uow.rollback()
                await self._mark(inbox_id)
                await refuse(event, t, e)
            except Exception:
                log.exception("update %s failed", event.update_id)
                await uow.rollback()
                await self._mark(inbox_id)
                await refuse(event, t, DomainError("internal"))
        return None

    async def _mark(self, inbox_id: int | None) -> None:
        if inbox_id is None:
            return
        async with self.uow() as uow:
            await uow.inbox.mark_handled(inbox_id, self.clock.now())
            await uow.commit()


def error_text(t: Texts, error: DomainError) -> str:
    params = {k: v for k, v in error.params.items()}
    if "role" in params:
        params["role"] = {"_t": f"role.{params['role']}"}
    return t(f"error.{error.code}", **params)


async def refuse(update: Update, t: Texts, error: DomainError) -> None:
    text = error_text(t, error)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text[:200], show_alert=True)
        elif update.message is not None:
            await update.message.reply(text, parse_mode="HTML")
    except Exception:  # the refusal itself could not be said; the log keeps it
        log.exception("could not tell the user: %s", error.code)
