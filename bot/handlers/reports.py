"""/report, and the 关联事件 / 立为事件 buttons on the bureau's and the brigade's copies."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ActionCallback, ReportLinkCallback
from bot.dialogs import report as dialog
from bot.features import BotFeature
from bot.i18n import Texts
from bot.replies import Outbound
from bot.views.reports import choices_markup, choices_text
from core.actor import Actor
from core.clock import Clock
from core.notices import Action
from core.reports.feature import REPORTS
from core.reports.ports import ReportUnitOfWork
from core.reports.usecases import file_report, link_choices, link_report, open_from_report


async def report(message: Message, command: CommandObject, uow: ReportUnitOfWork,
                 actor: Actor, t: Texts, clock: Clock, state: FSMContext,
                 out: Outbound) -> None:
    """The one-line form, perhaps as a photo's caption; bare, the dialog (keeping a photo
    it came with)."""
    photo = message.photo[-1].file_id if message.photo else ""
    if not (command.args or "").strip():
        await dialog.start(message, uow, actor, t, state, out, photo)
        return
    filed = await file_report(uow, actor, command.args or "", clock, photo)
    out.reply(message, t("reports.filed", id=filed.id, township=filed.township))


async def link(query: CallbackQuery, callback_data: ActionCallback, uow: ReportUnitOfWork,
               actor: Actor, t: Texts, out: Outbound) -> None:
    found, incidents = await link_choices(uow, actor, callback_data.ref)
    out.say(actor.chat_id, choices_text(t, found, incidents),
            markup=choices_markup(t, found, incidents))
    out.toast(t("reports.toast.choose"))


async def chosen(query: CallbackQuery, callback_data: ReportLinkCallback, uow: ReportUnitOfWork,
                 actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    incident = await link_report(uow, actor, callback_data.report, callback_data.incident,
                                 clock)
    done = t("reports.toast.linked", id=callback_data.report, incident=incident.id,
             title=incident.title)
    out.toast(done)
    if query.message is not None:  # the list has served: it says what was chosen instead
        out.edit(query.message.chat.id, query.message.message_id, done)


async def open_incident(query: CallbackQuery, callback_data: ActionCallback,
                        uow: ReportUnitOfWork, actor: Actor, t: Texts, clock: Clock,
                        out: Outbound) -> None:
    incident = await open_from_report(uow, actor, callback_data.ref, clock)
    out.toast(t("reports.toast.opened", id=callback_data.ref, incident=incident.id,
                title=incident.title))


def make_router() -> Router:
    router = Router(name="reports")
    router.message.register(report, Command("report"))
    router.callback_query.register(link, ActionCallback.filter(F.action == Action.REPORT_LINK))
    router.callback_query.register(
        open_incident, ActionCallback.filter(F.action == Action.REPORT_OPEN))
    router.callback_query.register(chosen, ReportLinkCallback.filter())
    return router


FEATURE = BotFeature(REPORTS, lambda: (make_router(), dialog.make_router()))
