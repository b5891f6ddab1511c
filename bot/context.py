"""The middleware that gives every handler its unit of work, actor, texts and services.

It marks the inbox row handled in the same transaction as the handler's work (only the first
to mark it handles it), commits, and only then speaks: the tap is answered, the handler's
answers go to the courier, a refusal is said in the chat's language. Nothing here awaits
Telegram while a transaction is open.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from aiogram import BaseMiddleware, Bot
from aiogram.types import Chat, Message, TelegramObject, Update, User

from bot.configs import Configs
from bot.i18n import Texts, Translator
from bot.identities import Identities, Sender
from bot.render import safe_params
from bot.replies import Courier, Outbound
from bot.settings import Settings
from core.actor import Actor
from core.afteraction.model import AfterActionConfig
from core.assessment.config import AssessConfig
from core.clock import Clock
from core.config import MechanismConfig
from core.county import CountyUnitOfWork, CountyUow
from core.dispatch.config import DispatchConfig
from core.errors import DomainError
from core.feature import Feature
from core.notices import text
from core.ports import UnitOfWork
from core.response.config import ResponseConfig
from core.rollcall.config import RollCallConfig
from core.warnings.config import WarningConfig
from storage.db import is_transient
from storage.retry import retrying

log = logging.getLogger(__name__)
ANONYMOUS_ADMIN_ID = 1087968824


UowFactory = CountyUow


class HandlerData(TypedDict, total=False):
    """What handlers may ask for by name."""

    bot: Bot
    uow: CountyUnitOfWork
    uows: UowFactory  # for work after the commit (recording what was sent)
    actor: Actor | None  # None for an update without a chat
    t: Texts
    out: Outbound
    clock: Clock
    config: MechanismConfig
    settings: Settings
    translator: Translator
    features: tuple[Feature, ...]  # what /help lists
    dispatch_config: DispatchConfig
    warning_config: WarningConfig
    rollcall_config: RollCallConfig
    response_config: ResponseConfig
    after_action_config: AfterActionConfig
    assess_config: AssessConfig


def _parts(update: Update) -> tuple[User | None, Chat | None, Message | None]:
    if update.message:
        m = update.message
        return m.from_user, m.chat, m
    if update.callback_query:
        cq = update.callback_query
        # An old message comes as InaccessibleMessage: no text, but still its chat.
        chat = cq.message.chat if cq.message is not None else None
        message = cq.message if isinstance(cq.message, Message) else None
        return cq.from_user, chat, message
    if update.my_chat_member:
        return update.my_chat_member.from_user, update.my_chat_member.chat, None
    if update.edited_message:
        return update.edited_message.from_user, update.edited_message.chat, None
    return None, None, None


async def identify(uow: UnitOfWork, update: Update, config: MechanismConfig,
                   identities: Identities) -> tuple[Actor | None, str | None]:
    """The actor, and the chat's language."""
    user, chat, message = _parts(update)
    if chat is None:
        return None, None
    anonymous = bool(
        (message is not None and message.sender_chat is not None)
        or (user is not None and user.id == ANONYMOUS_ADMIN_ID)
    )
    tg_id = None if anonymous or user is None else user.id
    kept = await identities.snapshot(uow)
    sender = await identities.sender(uow, tg_id, kept) if tg_id else Sender(None)
    where = await identities.chat(uow, chat.id, kept)
    person = sender.person
    actor = Actor(
        tg_id=tg_id,
        chat_id=chat.id,
        person=person,
        chat_unit=where.unit,
        grants=sender.grants,
        is_settings_admin=tg_id in config.admin_tg_ids if tg_id else False,
        anonymous=anonymous,
        display_name=person.name if person else (user.full_name if user else ""),
    )
    return actor, where.locale


@dataclass
class Outcome:
    handled: bool  # False: another process (or an earlier run) handled this update already
    t: Texts | None = None
    refusal: DomainError | None = None


class ContextMiddleware(BaseMiddleware):
    def __init__(
        self, uow: UowFactory, translator: Translator, clock: Clock,
        configs: Configs, settings: Settings, courier: Courier,
        features: tuple[Feature, ...],
    ) -> None:
        self.uow, self.translator, self.clock = uow, translator, clock
        self.configs, self.config = configs, configs.mechanism
        self.settings, self.courier, self.features = settings, courier, features
        self.identities = Identities()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        inbox_id: int | None = data.pop("inbox_update_id", None)
        out = Outbound()

        async def attempt() -> Outcome:
            out.clear()
            return await self._handle(handler, event, dict(data), inbox_id, out)

        outcome = await retrying(f"update {event.update_id}", attempt)
        if outcome.handled:
            await self._speak(event, outcome, out)
        return None

    async def _handle(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                      event: Update, data: dict[str, Any], inbox_id: int | None,
                      out: Outbound) -> Outcome:
        async with self.uow() as uow:
            if inbox_id is not None and not await uow.inbox.mark_handled(inbox_id,
                                                                         self.clock.now()):
                return Outcome(handled=False)
            actor, locale = await identify(uow, event, self.config, self.identities)
            t = self.translator.for_locale(locale)
            out.t = t
            context: HandlerData = {
                "uow": uow, "uows": self.uow, "actor": actor, "t": t, "out": out,
                "clock": self.clock, "config": self.config, "settings": self.settings,
                "translator": self.translator, "features": self.features,
                "dispatch_config": self.configs.dispatch,
                "warning_config": self.configs.warnings,
                "rollcall_config": self.configs.rollcall,
                "response_config": self.configs.response,
                "after_action_config": self.configs.after_action,
                "assess_config": self.configs.assess}
            data.update(context)
            try:
                await handler(event, data)
                await uow.commit()
                return Outcome(True, t)
            except DomainError as e:
                await uow.rollback()
                refusal = e
            except Exception as e:
                await uow.rollback()
                if is_transient(e):
                    raise
                log.exception("update %s failed", event.update_id)
                refusal = DomainError("internal")
        await self._mark(inbox_id)
        return Outcome(True, t, refusal)

    async def _mark(self, inbox_id: int | None) -> None:
        if inbox_id is None:
            return
        async with self.uow() as uow:
            await uow.inbox.mark_handled(inbox_id, self.clock.now())
            await uow.commit()

    async def _speak(self, update: Update, outcome: Outcome, out: Outbound) -> None:
        """After the commit: answer the tap first (the person is waiting), then the messages."""
        assert outcome.t is not None
        query = update.callback_query
        if outcome.refusal is not None:
            text = error_text(outcome.t, outcome.refusal)
            if query is not None:
                out.toast(text, alert=True)
            elif update.message is not None:
                out.items = []
                out.reply(update.message, text)
        if query is not None:
            self.courier.answer(query, out.toast_text or "", out.alert)
        self.courier.post(out.items)


def error_text(t: Texts, error: DomainError) -> str:
    # A refusal quotes what the person typed only shortened: no argument makes it too long.
    params = safe_params(dict(error.params))
    if "role" in params:
        params["role"] = text(f"role.{params['role']}")
    return t(f"error.{error.code}", **params)
