"""Per-chat preferences: the language a chat reads."""

from __future__ import annotations

from core.actor import Actor
from core.clock import Clock
from core.config import MechanismConfig
from core.errors import DomainError
from core.ports import UnitOfWork
from core.usecases.common import audit

ALIASES = {"zh": "zh_Hans", "zh_hans": "zh_Hans", "zh-hans": "zh_Hans", "cn": "zh_Hans",
           "中文": "zh_Hans", "en": "en", "english": "en"}


def normalize_locale(raw: str, config: MechanismConfig) -> str:
    locale = ALIASES.get(raw.strip().lower(), raw.strip())
    if locale not in config.locales:
        raise DomainError("unknown_language", value=raw, allowed="zh, en")
    return locale


async def set_language(
    uow: UnitOfWork, actor: Actor, raw: str, clock: Clock, config: MechanismConfig
) -> str:
    actor.require_person()
    locale = normalize_locale(raw, config)
    await uow.chats.set_locale(actor.chat_id, locale)
    await audit(uow, actor, "chat.language", f"chat:{actor.chat_id}", clock.now(), locale=locale)
    return locale
