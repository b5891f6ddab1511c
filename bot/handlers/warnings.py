"""/warn, /warn_upgrade, /warn_cancel, /warnings and the Received (已收到) button."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ActionCallback
from bot.dialogs import warning as dialog
from bot.features import BotFeature
from bot.i18n import Texts
from bot.replies import Outbound
from bot.views.warnings import issued_text, records_text
from core.actor import Actor
from core.clock import Clock
from core.notices import Action, text
from core.warnings.config import WarningConfig
from core.warnings.confirm import confirm_warning
from core.warnings.feature import WARNINGS
from core.warnings.ports import WarningUnitOfWork
from core.warnings.records import warning_records
from core.warnings.request import parse_cancel, parse_upgrade, parse_warn_line
from core.warnings.usecases import cancel_warning, issue_warning, issuer_unit, upgrade_warning
from scheduler.rollcall_schedule import warning_step


async def warn(message: Message, command: CommandObject, uow: WarningUnitOfWork, actor: Actor,
               t: Texts, clock: Clock, warning_config: WarningConfig, state: FSMContext,
               out: Outbound) -> None:
    issuer_unit(actor)  # refuse before asking anything
    if not command.args:
        await dialog.start(message, t, state, out)
        return
    issued = await issue_warning(uow, actor, parse_warn_line(command.args), clock,
                                 warning_config)
    out.reply(message, issued_text(t, issued))


async def upgrade(message: Message, command: CommandObject, uow: WarningUnitOfWork,
                  actor: Actor, t: Texts, clock: Clock, warning_config: WarningConfig,
                  out: Outbound) -> None:
    issuer_unit(actor)
    warning_id, level = parse_upgrade(command.args or "")
    w = await upgrade_warning(uow, actor, warning_id, level, clock, warning_config)
    out.reply(message, t("warnings.upgraded_done", id=w.id,
                          level=text(f"warnings.level.{w.level}")))


async def cancel(message: Message, command: CommandObject, uow: WarningUnitOfWork,
                 actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    issuer_unit(actor)
    w = await cancel_warning(uow, actor, parse_cancel(command.args or ""), clock)
    out.reply(message, t("warnings.cancelled_done", id=w.id))


async def confirm(query: CallbackQuery, callback_data: ActionCallback, uow: WarningUnitOfWork,
                  actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    await confirm_warning(uow, actor, callback_data.ref, clock)
    out.toast(t("warnings.toast.confirmed"))


async def upgrade_button(query: CallbackQuery, callback_data: ActionCallback,
                         uow: WarningUnitOfWork, actor: Actor, t: Texts, clock: Clock,
                         warning_config: WarningConfig, out: Outbound) -> None:
    w = await upgrade_warning(uow, actor, callback_data.ref, None, clock,
                              warning_config)
    out.toast(t("warnings.upgraded_done", id=w.id,
                         level=text(f"warnings.level.{w.level}")))


async def cancel_button(query: CallbackQuery, callback_data: ActionCallback,
                        uow: WarningUnitOfWork, actor: Actor, t: Texts, clock: Clock,
                        out: Outbound) -> None:
    w = await cancel_warning(uow, actor, callback_data.ref, clock)
    out.toast(t("warnings.cancelled_done", id=w.id))


async def records(message: Message, command: CommandObject, uow: WarningUnitOfWork,
                  actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    overseen, issued = await warning_records(uow, actor, clock, (command.args or "").strip())
    out.say(message.chat.id, records_text(t, overseen, issued))


def make_router() -> Router:
    router = Router(name="warnings")
    router.message.register(warn, Command("warn"))
    router.message.register(upgrade, Command("warn_upgrade"))
    router.message.register(cancel, Command("warn_cancel"))
    router.message.register(records, Command("warnings"))
    router.callback_query.register(
        confirm, ActionCallback.filter(F.action == Action.WARNING_CONFIRM))
    router.callback_query.register(
        upgrade_button, ActionCallback.filter(F.action == Action.WARNING_UPGRADE))
    router.callback_query.register(
        cancel_button, ActionCallback.filter(F.action == Action.WARNING_CANCEL))
    router.include_router(dialog.make_router())
    return router


FEATURE = BotFeature(WARNINGS, lambda: (make_router(),),
                     lambda c: (warning_step(c.warnings),))
