"""/start, /help, /status, /whoami, /invite, /bind, /lang."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot.features import BotFeature
from bot.handlers import membership, registry_upload
from bot.i18n import Texts, Translator
from bot.replies import Outbound
from bot.views.registry import help_text, status_text
from bot.views.whoami import whoami_text
from core.actor import Actor
from core.clock import Clock
from core.config import MechanismConfig
from core.errors import DomainError
from core.feature import Feature, allowed_commands
from core.notices import text
from core.ports import UnitOfWork
from core.usecases.binding import bind_chat, create_invite
from core.usecases.chat_prefs import set_language
from core.usecases.feature import COUNTY
from core.usecases.status import status
from core.usecases.whoami import whoami


def _private(message: Message) -> bool:
    return message.chat.type == "private"


async def start(message: Message, actor: Actor, t: Texts, out: Outbound,
                features: tuple[Feature, ...]) -> None:
    private = _private(message)
    key = "start.private" if private else "start.group"
    listed = allowed_commands(features, actor, private)
    out.say(message.chat.id, t(key) + "\n\n" + help_text(t, listed))


async def help_(message: Message, actor: Actor, t: Texts, out: Outbound,
                features: tuple[Feature, ...]) -> None:
    out.say(message.chat.id, help_text(t, allowed_commands(features, actor, _private(message))))


async def status_(message: Message, uow: UnitOfWork, actor: Actor, t: Texts,
                  config: MechanismConfig, out: Outbound) -> None:
    view = await status(uow, actor, config)
    out.say(message.chat.id, status_text(t, view, private=_private(message)))


async def whoami_(message: Message, uow: UnitOfWork, actor: Actor, t: Texts,
                  out: Outbound) -> None:
    out.say(message.chat.id, whoami_text(t, await whoami(uow, actor)))


async def invite(message: Message, command: CommandObject, uow: UnitOfWork, actor: Actor,
                 t: Texts, clock: Clock, config: MechanismConfig,
                 translator: Translator, out: Outbound) -> None:
    actor.require_admin()
    if not _private(message):
        raise DomainError("invite_in_private")
    if not command.args:
        raise DomainError("usage", usage=text("usage.invite"))
    code, unit = await create_invite(uow, actor, command.args, clock, config)
    out.say(message.chat.id, t("invite.created", unit=unit.name, code=code.code,
                           expires=translator.moment(code.expires_at)))


async def bind(message: Message, command: CommandObject, uow: UnitOfWork, actor: Actor,
               t: Texts, clock: Clock, config: MechanismConfig, out: Outbound) -> None:
    if not command.args:
        raise DomainError("usage", usage=text("usage.bind"))
    is_group = message.chat.type in ("group", "supergroup")
    result = await bind_chat(uow, actor, command.args, is_group, clock, config)
    out.say(message.chat.id, t("bind.done", unit=result.unit.name, code=result.unit.code))


async def lang(message: Message, command: CommandObject, uow: UnitOfWork, actor: Actor,
               clock: Clock, config: MechanismConfig, translator: Translator,
               out: Outbound) -> None:
    if not command.args:
        raise DomainError("usage", usage="/lang zh | /lang en")
    locale = await set_language(uow, actor, command.args, clock, config)
    out.say(message.chat.id, translator(locale, "lang.set"))


def make_router() -> Router:
    router = Router(name="registry")
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    router.message.register(status_, Command("status"))
    router.message.register(whoami_, Command("whoami"))
    router.message.register(invite, Command("invite"))
    router.message.register(bind, Command("bind"))
    router.message.register(lang, Command("lang"))
    return router


def _routers() -> tuple[Router, ...]:
    return (membership.make_router(), make_router(), registry_upload.make_router())


FEATURE = BotFeature(COUNTY, _routers)
