"""The /warn dialog: hazard, level, targets, validity by buttons; area and text by reply.

Privacy mode is on in groups, so the two free-text answers are asked with a selective
ForceReply and read from the reply. The state is per person and chat (aiogram's FSM), so
someone else tapping these buttons gets the stale-button answer.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from aiogram import F, Router
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
from bot.views.warnings import issued_text
from core.actor import Actor
from core.clock import Clock
from core.errors import Conflict
from core.limits import within
from core.notices import text
from core.registry import ForceCategory, UnitKind
from core.warnings.config import WarningConfig
from core.warnings.model import HAZARDS, Level
from core.warnings.notices import targeted_area
from core.warnings.ports import WarningUnitOfWork
from core.warnings.request import WarningRequest
from core.warnings.targets import parse_targets
from core.warnings.usecases import issue_warning, units_by_id

HOURS = ("6", "12", "24", "48")


class WarnDialog(StatesGroup):
    hazard = State()
    hazard_text = State()
    level = State()
    targets = State()
    hours = State()
    area = State()
    text = State()
    publish = State()


class WarnStep(StrEnum):
    """The question a dialog button answers; short, and kept, because buttons already posted
    carry it in their callback data."""

    HAZARD = "hz"
    LEVEL = "lv"
    TARGETS = "tg"
    HOURS = "hr"
    PUBLISH = "ok"


class Pick(CallbackData, prefix="wd1"):
    """A choice in the dialog: the step it answers and the value chosen."""

    step: WarnStep
    value: str


def _keyboard(step: WarnStep, options: list[tuple[str, str]], per_row: int = 3
              ) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(text=label, callback_data=Pick(step=step, value=v).pack())
               for v, label in options]
    return InlineKeyboardMarkup(inline_keyboard=[buttons[i:i + per_row]
                                                 for i in range(0, len(buttons), per_row)])


def _offered(query: CallbackQuery, valid: bool) -> None:
    """Refuse, changing nothing, a value this step's buttons did not show (forged data), or a
    tap on a message Telegram no longer shows the bot (too old to answer in place)."""
    if not valid or not isinstance(query.message, Message):
        raise Conflict("button_not_now")


def target_buttons(towns: list[str]) -> dict[str, str]:
    """The targets buttons on_level shows: the value each carries -> the targets it means.
    A township's button carries its place in the list shown (kept in the dialog's state), not
    its name: 17 Chinese characters would already overflow Telegram's 64 bytes."""
    values = {"all": "all"}
    # ":" separates callback fields, so the kind and its value are joined by "." here.
    values |= {f"category.{c.value}": f"category:{c.value}" for c in ForceCategory}
    values |= {f"town.{i}": f"township:{town}" for i, town in enumerate(towns)}
    return values


def _asker(data: dict[str, Any]) -> int:
    """A selective ForceReply shows only to the author of the message it answers: in a group,
    the questions after a button tap go as replies to the asker's /warn."""
    return int(data["origin"])


async def start(message: Message, t: Texts, state: FSMContext, out: Outbound) -> None:
    await state.set_state(WarnDialog.hazard)
    await state.update_data(origin=message.message_id)
    options = [(h, t(f"warnings.hazard.{h}")) for h in HAZARDS]
    options.append(("other", t("warnings.dialog.other")))
    out.reply(message, t("warnings.dialog.hazard"), markup=_keyboard(WarnStep.HAZARD, options))


async def _ask_level(message: Message, t: Texts, state: FSMContext, out: Outbound) -> None:
    await state.set_state(WarnDialog.level)
    options = [(lv.value, t(f"warnings.icon.{lv}") + t(f"warnings.level.{lv}"))
               for lv in reversed(Level)]
    out.say(message.chat.id, t("warnings.dialog.level"),
            markup=_keyboard(WarnStep.LEVEL, options, 4))


async def on_hazard(query: CallbackQuery, callback_data: Pick, t: Texts,
                    state: FSMContext, out: Outbound) -> None:
    _offered(query, callback_data.value in (*HAZARDS, "other"))
    assert isinstance(query.message, Message)
    out.toast()
    if callback_data.value == "other":
        await state.set_state(WarnDialog.hazard_text)
        out.say(query.message.chat.id, t("warnings.dialog.hazard_text"),
                markup=ForceReply(selective=True), reply_to=_asker(await state.get_data()))
        return
    await state.update_data(hazard=callback_data.value)
    await _ask_level(query.message, t, state, out)


async def on_hazard_text(message: Message, t: Texts, state: FSMContext, out: Outbound) -> None:
    await state.update_data(hazard=within("hazard", (message.text or "").strip()) or "other")
    await _ask_level(message, t, state, out)


async def on_level(query: CallbackQuery, callback_data: Pick, t: Texts, state: FSMContext,
                   uow: WarningUnitOfWork, out: Outbound) -> None:
    _offered(query, callback_data.value in {lv.value for lv in Level})
    assert isinstance(query.message, Message)
    out.toast()
    await state.update_data(level=callback_data.value)
    await state.set_state(WarnDialog.targets)
    towns = sorted({u.township for u in await uow.units.list(UnitKind.FORCE) if u.township})
    await state.update_data(towns=towns)
    options = [("all", t("warnings.dialog.all"))]
    options += [(f"category.{c.value}", t(f"category.{c.value}")) for c in ForceCategory]
    options += [(f"town.{i}", town) for i, town in enumerate(towns)]
    out.say(query.message.chat.id, t("warnings.dialog.targets"),
            markup=_keyboard(WarnStep.TARGETS, options))


async def on_targets(query: CallbackQuery, callback_data: Pick, t: Texts,
                     state: FSMContext, out: Outbound) -> None:
    shown = list((await state.get_data()).get("towns", []))
    targets = target_buttons(shown).get(callback_data.value)
    _offered(query, targets is not None)
    assert isinstance(query.message, Message)
    out.toast()
    await state.update_data(targets=targets)
    await state.set_state(WarnDialog.hours)
    options = [(h, t("warnings.dialog.hours_n", n=h)) for h in HOURS]
    out.say(query.message.chat.id, t("warnings.dialog.hours"),
            markup=_keyboard(WarnStep.HOURS, options, 4))


async def on_hours(query: CallbackQuery, callback_data: Pick, t: Texts,
                   state: FSMContext, out: Outbound) -> None:
    _offered(query, callback_data.value in HOURS)
    assert isinstance(query.message, Message)
    out.toast()
    await state.update_data(hours=callback_data.value)
    await state.set_state(WarnDialog.area)
    out.say(query.message.chat.id, t("warnings.dialog.area"), markup=ForceReply(selective=True),
            reply_to=_asker(await state.get_data()))


async def on_area(message: Message, t: Texts, state: FSMContext, out: Outbound) -> None:
    area = (message.text or "").strip()
    await state.update_data(area="" if area in ("-", "—", "全县") else within("area", area))
    await state.set_state(WarnDialog.text)
    out.reply(message, t("warnings.dialog.text"), markup=ForceReply(selective=True))


async def on_text(message: Message, t: Texts, state: FSMContext, out: Outbound,
                  uow: WarningUnitOfWork) -> None:
    await state.update_data(text=within("warning_text", (message.text or "").strip()))
    await state.set_state(WarnDialog.publish)
    data = await state.get_data()
    area = data["area"] or targeted_area(parse_targets(data["targets"]), await units_by_id(uow))
    options = [("yes", t("warnings.dialog.publish")), ("no", t("warnings.dialog.cancel"))]
    out.reply(message, t("warnings.dialog.preview", **_preview(data), area=area),
              markup=_keyboard(WarnStep.PUBLISH, options, 2))


def _preview(data: dict[str, Any]) -> dict[str, Any]:
    hazard = data["hazard"]
    return {"level": text(f"warnings.level.{data['level']}"),
            "hazard": text(f"warnings.hazard.{hazard}") if hazard in HAZARDS else hazard,
            "targets": data["targets"], "hours": data["hours"], "text": data["text"]}


async def on_publish(query: CallbackQuery, callback_data: Pick, t: Texts, state: FSMContext,
                     uow: WarningUnitOfWork, actor: Actor, clock: Clock,
                     warning_config: WarningConfig, out: Outbound) -> None:

    _offered(query, callback_data.value in ("yes", "no"))
    assert isinstance(query.message, Message)
    data = await state.get_data()
    await state.clear()
    out.edit(query.message.chat.id, query.message.message_id, None)
    if callback_data.value != "yes":
        out.toast(t("warnings.dialog.cancelled"))
        return
    req = WarningRequest(Level(data["level"]), data["hazard"], parse_targets(data["targets"]),
                         int(data["hours"]), data["text"], data["area"])
    issued = await issue_warning(uow, actor, req, clock, warning_config)
    out.toast()
    out.say(query.message.chat.id, issued_text(t, issued))


def make_router() -> Router:
    router = Router(name="warning_dialog")
    cb = router.callback_query
    cb.register(on_hazard, WarnDialog.hazard, Pick.filter(F.step == WarnStep.HAZARD))
    cb.register(on_level, WarnDialog.level, Pick.filter(F.step == WarnStep.LEVEL))
    cb.register(on_targets, WarnDialog.targets, Pick.filter(F.step == WarnStep.TARGETS))
    cb.register(on_hours, WarnDialog.hours, Pick.filter(F.step == WarnStep.HOURS))
    cb.register(on_publish, WarnDialog.publish, Pick.filter(F.step == WarnStep.PUBLISH))
    typed = F.text & ~F.text.startswith("/")  # a command typed meanwhile is not an answer
    router.message.register(on_hazard_text, WarnDialog.hazard_text, typed)
    router.message.register(on_area, WarnDialog.area, typed)
    router.message.register(on_text, WarnDialog.text, typed)
    return router
