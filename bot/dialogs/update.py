"""The /update dialog: what to change (a button: equipment, materials, a capability, people on
duty today), then the rest typed in reply (``冲锋舟 3``, ``沙袋 500 袋``, ``+水域救援``, ``12``);
取消 (cancel) on the buttons, or typed in reply, ends it. The typed answer goes through the
same parser and use case as the one-line form, so the same refusals apply; a refused answer
keeps the question open.

Privacy mode is on in groups: the answer is read from a reply to the bot's question. The state
is per person and chat, so someone else's tap is told it is not their dialog."""

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

from bot.i18n import Texts
from bot.replies import Outbound
from bot.settings import Settings
from bot.views.mydata import updated_text
from core.actor import Actor
from core.clock import Clock
from core.errors import Conflict
from core.mydata.model import Field
from core.mydata.policies import UPDATE_DATA
from core.mydata.usecases import parse_update, update_data
from core.ports import UnitOfWork

CANCEL_WORDS = frozenset({"取消", "cancel", "/cancel"})


class UpdateDialog(StatesGroup):
    choose = State()
    value = State()


class UpdateOp(StrEnum):
    """What a dialog button does; one letter each, kept: posted buttons carry it."""

    EQUIPMENT = "e"
    MATERIALS = "m"
    CAPABILITY = "c"
    ON_DUTY = "d"
    CANCEL = "x"


FIELDS = {UpdateOp.EQUIPMENT: Field.EQUIPMENT, UpdateOp.MATERIALS: Field.MATERIALS,
          UpdateOp.CAPABILITY: Field.CAPABILITY, UpdateOp.ON_DUTY: Field.ON_DUTY}


class UpdateStep(CallbackData, prefix="ud1"):
    op: UpdateOp


def _remember(state: FSMContext) -> Any:
    async def remember(message_id: int) -> None:
        await state.update_data(prompt=message_id)  # only a reply to this question counts

    return remember


async def start(message: Message, actor: Actor, t: Texts, state: FSMContext,
                out: Outbound) -> None:
    UPDATE_DATA.require(actor)  # the wrong role is refused before anything is asked
    await state.set_state(UpdateDialog.choose)
    await state.set_data({"by": actor.tg_id, "origin": message.message_id, "prompt": None})
    rows = [[(t(f"mydata.dialog.{f.value}"), UpdateStep(op=op)) for op, f in FIELDS.items()],
            [(t("mydata.dialog.cancel"), UpdateStep(op=UpdateOp.CANCEL))]]
    markup = InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=label, callback_data=step.pack()) for label, step in row]
        for row in rows])
    out.reply(message, t("mydata.dialog.choose"), markup=markup)


async def on_button(query: CallbackQuery, callback_data: UpdateStep, state: FSMContext,
                    actor: Actor, t: Texts, out: Outbound) -> None:
    data = await state.get_data()
    if not data or data.get("by") != query.from_user.id:
        out.toast(t("mydata.dialog.expired"), alert=True)
        return
    if await state.get_state() != UpdateDialog.choose.state \
            or not isinstance(query.message, Message):
        raise Conflict("button_not_now")
    UPDATE_DATA.require(actor)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    out.toast()
    if callback_data.op is UpdateOp.CANCEL:
        await state.clear()
        out.edit(chat_id, message_id, t("mydata.dialog.cancelled"))
        return
    field = FIELDS[callback_data.op]
    await state.update_data(field=field.value)
    await state.set_state(UpdateDialog.value)
    out.edit(chat_id, message_id, t("mydata.dialog.chosen", what=t(f"mydata.dialog.{field}")))
    out.say(chat_id, t(f"mydata.dialog.ask.{field.value}"), markup=ForceReply(selective=True),
            reply_to=int(data["origin"]), on_sent=_remember(state))


WORDS = {Field.EQUIPMENT: "装备", Field.MATERIALS: "物资", Field.CAPABILITY: "能力",
         Field.ON_DUTY: "在岗人数"}


async def on_typed(message: Message, state: FSMContext, uow: UnitOfWork, actor: Actor,
                   t: Texts, clock: Clock, settings: Settings, out: Outbound) -> None:
    data = await state.get_data()
    reply = message.reply_to_message
    if reply is None or data.get("prompt") is None or reply.message_id != data.get("prompt"):
        raise SkipHandler
    typed = (message.text or "").strip()
    if typed.lower() in CANCEL_WORDS:
        await state.clear()
        out.reply(message, t("mydata.dialog.cancelled"))
        return
    change = parse_update(f"{WORDS[Field(data['field'])]} {typed}")  # refused: asked again
    force, old, new = await update_data(uow, actor, change, clock, settings.zone)
    await state.clear()
    out.reply(message, updated_text(t, change, force, old, new))


def make_router() -> Router:
    router = Router(name="update_dialog")
    router.callback_query.register(on_button, UpdateStep.filter())
    router.message.register(on_typed, UpdateDialog.value, F.reply_to_message, F.text)
    return router
