"""/compensation YYYY-MM (the bureau's figures for social forces, with a workbook) and the
answers to 出动人数, the question a social force's 已到达 asks."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.configs import Configs
from bot.features import BotFeature
from bot.i18n import Html, Texts
from bot.prompts import replied_to
from bot.replies import Outbound
from bot.views.assessment import say_plain
from core.actor import Actor
from core.clock import Clock
from core.compensation.feature import COMPENSATION
from core.compensation.model import ForceTotal, MonthFigures
from core.compensation.ports import CompensationUnitOfWork
from core.compensation.usecases import (
    PEOPLE,
    after_answer,
    answer_people,
    month_figures,
    send_workbook,
)
from core.dispatch.config import DispatchConfig
from core.dispatch.hooks import AnswerHook
from documents.compensation_xlsx import workbook


def number(value: float) -> str:
    """2.5, 30, 1.25: hours as people write them, without a trailing .0."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _line(t: Texts, n: int, f: ForceTotal) -> str:
    notes = "".join((t("compensation.unreported", count=f.unreported) if f.unreported else "",
                     t("compensation.ongoing", count=f.ongoing) if f.ongoing else ""))
    return t("compensation.line", n=n, force=f.force, deployments=f.deployments,
             hours=number(f.hours), person_hours=number(f.person_hours), notes=Html(notes))


def figures_text(t: Texts, figures: MonthFigures) -> str:
    if not figures.forces:
        return t("compensation.none", month=figures.month)
    lines = "\n".join(_line(t, n, f) for n, f in enumerate(figures.forces, 1))
    return t("compensation.head", month=figures.month, count=len(figures.forces),
             deployments=len(figures.deployments),
             hours=number(sum(f.hours for f in figures.forces)),
             person_hours=number(sum(f.person_hours for f in figures.forces)),
             lines=Html(lines))


async def compensation(message: Message, command: CommandObject, uow: CompensationUnitOfWork,
                       actor: Actor, t: Texts, clock: Clock, dispatch_config: DispatchConfig,
                       out: Outbound) -> None:
    """The figures in the reply; the workbook to the bureau's chat through the outbox, in the
    same transaction (a month's rows are few: built here in a few milliseconds)."""
    figures, bureau = await month_figures(uow, actor, command.args or "", clock,
                                          dispatch_config.zone)
    out.reply(message, figures_text(t, figures))
    if figures.forces:
        say = say_plain(t)
        content = workbook(figures, say, dispatch_config.zone)
        await send_workbook(uow, actor, bureau, figures,
                            say("compensation.file", month=figures.month), content)


async def people_reply(message: Message, bot: Bot, uow: CompensationUnitOfWork, actor: Actor,
                       t: Texts, clock: Clock, out: Outbound) -> None:
    """A reply to 出动人数 by the person asked; anything else is not ours."""
    prompt = await replied_to(message, bot, uow, actor, PEOPLE)
    if prompt is None:
        raise SkipHandler
    people = await answer_people(uow, actor, prompt.ref, message.text or "", clock)
    out.reply(message, t("compensation.recorded", people=people) if people is not None
              else t("compensation.skipped"))


def make_router() -> Router:
    router = Router(name="compensation")
    router.message.register(compensation, Command("compensation"))
    router.message.register(people_reply, F.reply_to_message, F.text)
    return router


def answer_hooks(configs: Configs) -> tuple[AnswerHook, ...]:
    return (after_answer(),)


FEATURE = BotFeature(COMPENSATION, lambda: (make_router(),), after_answer=answer_hooks)
