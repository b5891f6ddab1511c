"""The /report dialog: township (a button, or typed in reply), what happened (typed in
reply), then a photo sent in reply, or 跳过 (skip). 取消 (cancel) on the buttons, or typed in
reply, ends it; nothing is filed until the last step, which calls the same use case as the
one-line form.

Privacy mode is on in groups: the typed answers and the photo are read from replies to the
bot's questions. The state is per person and chat (aiogram's FSM), so someone else tapping
these buttons is told it is not their dialog.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.callbacks import Number
from bot.i18n import Texts
from bot.replies import Outbound
from core.actor import Actor
from core.clock import Clock
from core.errors import Conflict
from core.reports.ports import ReportUnitOfWork
from core.reports.usecases import (
    check_township,
    known_townships,
    report_body,
    reporting_unit,
    submit_report,
)

CANCEL_WORDS = frozenset({"取消", "cancel", "/cancel"})
SKIP_WORDS = frozenset({"跳过", "skip", "-", "—", "无", "none"})


class ReportDialog(StatesGroup):
    township = State()
    text = State()
    photo = State()


class ReportOp(StrEnum):
    """What a dialog button does; one letter each, kept: posted buttons carry it."""

    TOWN = "t"
    SKIP = "s"
    CANCEL = "x"


class ReportStep(CallbackData, prefix="rp1"):
    """A /report dialog button: what it does, and the township's place in the list shown."""

    op: ReportOp
    value: Number = 0


def _kb(rows: list[list[tuple[str, ReportStep]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=label, callback_data=step.pack()) for label, step in row]
        for row in rows])


async def start(message: Message, uow: ReportUnitOfWork, actor: Actor, t: Texts,
                state: FSMContext, out: Outbound, photo: str = "") -> None:
    """Begin, remembering a photo the /report came with (its caption was the command)."""
    reporting_unit(actor)  # an unbound chat is refused before anything is asked
    towns = await known_townships(uow)
    await state.set_state(ReportDialog.township)
    await state.set_data({"by": actor.tg_id, "origin": message.message_id, "towns": towns,
                          "photo": photo, "prompt": None})
    buttons = [(town, ReportStep(op=ReportOp.TOWN, value=i)) for i, town in enumerate(towns)]
    rows = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
    rows.append([(t("reports.dialog.cancel"), ReportStep(op=ReportOp.CANCEL))])
    key = "reports.dialog.township" if towns else "reports.dialog.township_typed"
    out.reply(message, t(key), markup=_kb(rows), on_sent=_remember(state))


def _remember(state: FSMContext) -> Any:
    async def remember(message_id: int) -> None:
        # Only a reply to this very question moves the dialog on.
        await state.update_data(prompt=message_id)

    return remember


async def _ask_text(chat_id: int, reply_to: int, township: str, t: Texts, state: FSMContext,
                    out: Outbound) -> None:
    await state.update_data(township=township, prompt=None)
    await state.set_state(ReportDialog.text)
    out.say(chat_id, t("reports.dialog.text", township=township),
            markup=ForceReply(selective=True), reply_to=reply_to, on_sent=_remember(state))


async def _mine(query: CallbackQuery, state: FSMContext, t: Texts,
                out: Outbound) -> dict[str, Any] | None:
    data = await state.get_data()
    if not data or data.get("by") != query.from_user.id:
        # State is per person: none means this person's dialog ended (or the bot restarted),
        # or the buttons are someone else's.
        out.toast(t("reports.dialog.expired"), alert=True)
        return None
    return data


async def on_button(query: CallbackQuery, callback_data: ReportStep, state: FSMContext,
                    uow: ReportUnitOfWork, actor: Actor, t: Texts, clock: Clock,
                    out: Outbound) -> None:
    data = await _mine(query, state, t, out)
    if data is None:
        return
    step = await state.get_state()
    offered = {ReportDialog.township.state: {ReportOp.TOWN, ReportOp.CANCEL},
               ReportDialog.photo.state: {ReportOp.SKIP, ReportOp.CANCEL}}.get(step or "", set())
    towns = list(data.get("towns") or [])
    valid = callback_data.op is not ReportOp.TOWN or callback_data.value < len(towns)
    if callback_data.op not in offered or not valid or not isinstance(query.message, Message):
        raise Conflict("button_not_now")
    chat_id, message_id = query.message.chat.id, query.message.message_id
    out.toast()
    if callback_data.op is ReportOp.CANCEL:
        await state.clear()
        out.edit(chat_id, message_id, t("reports.dialog.cancelled"))
    elif callback_data.op is ReportOp.TOWN:
        town = towns[callback_data.value]
        out.edit(chat_id, message_id, t("reports.dialog.township_chosen", township=town))
        await _ask_text(chat_id, int(data["origin"]), town, t, state, out)
    else:
        out.edit(chat_id, message_id, t("reports.dialog.no_photo"))
        await _file(chat_id, data, "", uow, actor, t, clock, state, out)


async def _answer(message: Message, state: FSMContext) -> dict[str, Any]:
    """The dialog's data if this message replies to the question now open; else the update
    is not the dialog's."""
    data = await state.get_data()
    reply = message.reply_to_message
    if reply is None or data.get("prompt") is None or reply.message_id != data.get("prompt"):
        raise SkipHandler
    return data


async def on_typed(message: Message, state: FSMContext, uow: ReportUnitOfWork, actor: Actor,
                   t: Texts, clock: Clock, out: Outbound) -> None:
    data = await _answer(message, state)
    typed = (message.text or "").strip()
    if typed.lower() in CANCEL_WORDS:
        await state.clear()
        out.reply(message, t("reports.dialog.cancelled"))
        return
    step = await state.get_state()
    if step == ReportDialog.township.state:
        # A township no unit names is refused and the question stays open.
        town = await check_township(uow, typed)
        await _ask_text(message.chat.id, message.message_id, town, t, state, out)
    elif step == ReportDialog.text.state:
        body = report_body(str(data["township"]), typed)  # too long or empty: asked again
        await state.update_data(text=body, prompt=None)
        if data.get("photo"):
            await _file(message.chat.id, {**data, "text": body}, str(data["photo"]), uow,
                        actor, t, clock, state, out)
            return
        await state.set_state(ReportDialog.photo)
        rows = [[(t("reports.dialog.skip"), ReportStep(op=ReportOp.SKIP)),
                 (t("reports.dialog.cancel"), ReportStep(op=ReportOp.CANCEL))]]
        out.reply(message, t("reports.dialog.photo"), markup=_kb(rows),
                  on_sent=_remember(state))
    elif typed.lower() in SKIP_WORDS:
        await _file(message.chat.id, data, "", uow, actor, t, clock, state, out)
    else:
        out.reply(message, t("reports.dialog.photo_again"))


async def on_photo(message: Message, state: FSMContext, uow: ReportUnitOfWork, actor: Actor,
                   t: Texts, clock: Clock, out: Outbound) -> None:
    data = await _answer(message, state)
    assert message.photo
    photo = message.photo[-1].file_id
    if await state.get_state() == ReportDialog.photo.state:
        await _file(message.chat.id, data, photo, uow, actor, t, clock, state, out)
        return
    # A photo given early, in reply to the text question: kept; its caption, if any, is the
    # text, else the text is still asked for.
    caption = (message.caption or "").strip()
    if caption:
        body = report_body(str(data["township"]), caption)
        await _file(message.chat.id, {**data, "text": body}, photo, uow, actor, t, clock,
                    state, out)
        return
    await state.update_data(photo=photo)
    out.reply(message, t("reports.dialog.photo_kept"))


async def _file(chat_id: int, data: dict[str, Any], photo: str, uow: ReportUnitOfWork,
                actor: Actor, t: Texts, clock: Clock, state: FSMContext,
                out: Outbound) -> None:
    report = await submit_report(uow, actor, str(data["township"]), str(data["text"]), clock,
                                 photo)
    await state.clear()
    out.say(chat_id, t("reports.filed", id=report.id, township=report.township),
            reply_to=int(data["origin"]))


def make_router() -> Router:
    router = Router(name="report_dialog")
    router.callback_query.register(on_button, ReportStep.filter())
    for step in (ReportDialog.township, ReportDialog.text, ReportDialog.photo):
        router.message.register(on_typed, step, F.reply_to_message, F.text)
    for step in (ReportDialog.text, ReportDialog.photo):
        router.message.register(on_photo, step, F.reply_to_message, F.photo)
    return router
