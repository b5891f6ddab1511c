"""The /dispatch dialog: incident (or a new one), forces by category, task, rendezvous, confirm.

The dialog only gathers choices; the plan is made by the same use case as the one-line form.
State lives in aiogram's FSM, keyed by chat and person, so only the dispatcher who started it
can move it on.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
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
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import Number
from bot.handlers.dispatch_buttons import dispatch_config
from bot.i18n import Texts, Translator, join
from bot.render import mention, shorten
from bot.replies import Outbound
from bot.settings import Settings
from bot.views.dispatch import force_lines
from core.actor import Actor
from core.clock import Clock
from core.dispatch.choices import forces_of
from core.dispatch.incidents import open_incident
from core.dispatch.plans import no_place, split_tasks, submit_plan
from core.dispatch.ports import DispatchUnitOfWork
from core.errors import Conflict
from core.limits import within
from core.notices import text
from core.registry import ForceCategory, Role, UnitKind

CATEGORIES = list(ForceCategory)


class Wizard(StatesGroup):
    incident = State()
    choosing = State()
    task = State()
    rendezvous = State()
    confirm = State()


class Step(CallbackData, prefix="d1"):
    """A dialog button: i incident, n new incident, c category, f force, b back, d done,
    s submit, x cancel."""

    op: str
    value: Number = 0


def _kb(rows: list[list[tuple[str, Step]]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for row in rows:
        builder.row(*[_button(text, step) for text, step in row])
    return builder.as_markup()


def _button(text: str, step: Step) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=step.pack())


async def start_dialog(message: Message, uow: DispatchUnitOfWork, actor: Actor, t: Texts,
                       state: FSMContext, out: Outbound) -> None:
    actor.require_role_in_chat(Role.DISPATCHER, UnitKind.BRIGADE)
    incidents = await uow.incidents.open()
    await state.set_state(Wizard.choosing)
    await state.set_data({"chosen": [], "by": actor.tg_id})
    rows = [[(f"#{i.id} {shorten(i.title)}", Step(op="i", value=i.id or 0))]
            for i in incidents[-8:]]
    rows.append([(t("dispatch.dialog.new_incident"), Step(op="n")),
                 (t("dispatch.dialog.cancel"), Step(op="x"))])
    out.reply(message, t("dispatch.dialog.incident"), markup=_kb(rows))


def _categories(t: Texts, chosen: int) -> InlineKeyboardMarkup:
    rows = [[(t(f"category.{c}"), Step(op="c", value=i))] for i, c in enumerate(CATEGORIES)]
    rows.append([(t("dispatch.dialog.done", count=chosen), Step(op="d")),
                 (t("dispatch.dialog.cancel"), Step(op="x"))])
    return _kb(rows)


async def _mine(query: CallbackQuery, state: FSMContext, t: Texts,
                out: Outbound) -> dict[str, object] | None:
    data = await state.get_data()
    if not data:
        # State is per person: none means this person's dialog ended, or another person's
        # buttons were tapped, or the bot restarted (dialogs live in memory).
        out.toast(t("dispatch.dialog.expired"), alert=True)
        return None
    if data.get("by") != query.from_user.id:
        out.toast(t("dispatch.dialog.not_yours"), alert=True)
        return None
    return data


def _allowed(step: str | None, data: dict[str, object]) -> str:
    """The taps the dialog's current step offers; any other tap is stale or forged."""
    if step == Wizard.choosing.state:
        return "cbfdx" if "incident" in data else "inx"
    return {Wizard.incident.state: "inx", Wizard.task.state: "cbfdx",
            Wizard.rendezvous.state: "x", Wizard.confirm.state: "sx"}.get(step or "", "")


async def _check(query: CallbackQuery, step: Step, state: FSMContext, data: dict[str, object],
                 uow: DispatchUnitOfWork) -> None:
    """Refuse, changing nothing, a tap this step did not offer or a value it did not show."""
    op, value = step.op, step.value
    if not isinstance(query.message, Message) or op not in _allowed(await state.get_state(), data):
        raise Conflict("button_not_now")
    if op == "i":
        incident = await uow.incidents.get(value) if value else None
        if incident is None or not incident.is_open:
            raise Conflict("button_not_now")
    elif (op == "c" and value >= len(CATEGORIES)) or (op == "f" and "category" not in data):
        raise Conflict("button_not_now")


async def on_step(query: CallbackQuery, callback_data: Step, state: FSMContext,
                  uow: DispatchUnitOfWork, actor: Actor, t: Texts, clock: Clock,
                  bot: Bot, translator: Translator, settings: Settings, out: Outbound) -> None:
    data = await _mine(query, state, t, out)
    if data is None:
        return
    chosen = list(data.get("chosen") or [])  # type: ignore[call-overload]
    await _check(query, callback_data, state, data, uow)
    assert isinstance(query.message, Message)  # _check refuses an inaccessible one
    op, value = callback_data.op, callback_data.value
    if op == "x":
        await state.clear()
        out.edit(query.message.chat.id, query.message.message_id,
                 t("dispatch.dialog.cancelled"))
    elif op == "n":
        await _ask(query.message, state, actor, t, out, Wizard.incident, "incident")
    elif op == "i":
        await state.update_data(incident=value)
        await state.set_state(Wizard.choosing)
        out.edit(query.message.chat.id, query.message.message_id,
                 t("dispatch.dialog.category"), markup=_categories(t, len(chosen)))
    elif op == "b":
        out.edit(query.message.chat.id, query.message.message_id,
                 t("dispatch.dialog.category"), markup=_categories(t, len(chosen)))
    elif op in ("c", "f"):
        category = CATEGORIES[int(data.get("category", 0)) if op == "f" else value]  # type: ignore[call-overload]
        await _forces(query, state, uow, t, clock, translator, category, chosen, op, value, out)
    elif op == "d":
        if not chosen:
            raise Conflict("no_force_chosen")
        first = await uow.units.get(int(chosen[0]))
        await _ask(query.message, state, actor, t, out, Wizard.task, "task",
                   code=first.code if first else "f-…")
    elif op == "s":
        await _submit(query.message, uow, actor, t, clock, state, data, settings, out)
    out.toast()


async def _forces(query: CallbackQuery, state: FSMContext, uow: DispatchUnitOfWork, t: Texts,
                  clock: Clock, translator: Translator, category: ForceCategory,
                  chosen: list[int], op: str, value: int, out: Outbound) -> None:
    choices = await forces_of(uow, category, clock.now())
    if op == "f":
        unit = next((c.unit for c in choices if c.unit.id == value), None)
        if unit is None and value not in chosen:  # not a force this list showed
            raise Conflict("button_not_now")
        if unit is not None and not unit.is_bound:
            raise Conflict("force_unbound", force=unit.name, code=unit.code)
        chosen = [c for c in chosen if c != value] if value in chosen else [*chosen, value]
    await state.update_data(chosen=chosen, category=CATEGORIES.index(category))
    rows = [[(("☑ " if c.unit.id in chosen else "☐ ") + c.unit.name,
              Step(op="f", value=c.unit.id or 0))] for c in choices]
    rows.append([(t("dispatch.dialog.back"), Step(op="b")),
                 (t("dispatch.dialog.done", count=len(chosen)), Step(op="d"))])
    assert isinstance(query.message, Message)
    body = t("dispatch.dialog.forces", category=text(f"category.{category}")) + "\n" + \
        force_lines(t, translator, choices)
    out.edit(query.message.chat.id, query.message.message_id, body, markup=_kb(rows))


async def _ask(message: Message, state: FSMContext, actor: Actor, t: Texts, out: Outbound,
               next_state: State, kind: str, **params: Any) -> None:
    async def remember(message_id: int) -> None:
        # Only a reply to this very question moves the dialog on.
        await state.update_data(prompt=message_id)

    await state.update_data(prompt=None)
    await state.set_state(next_state)
    out.say(message.chat.id, mention(actor.tg_id or 0, actor.display_name) + " "
            + t(f"dispatch.dialog.ask.{kind}", **params),
            markup=ForceReply(selective=True), on_sent=remember)


async def on_text(message: Message, state: FSMContext, bot: Bot, actor: Actor, t: Texts,
                  uow: DispatchUnitOfWork, clock: Clock, out: Outbound) -> None:
    data = await state.get_data()
    reply = message.reply_to_message
    if reply is None or data.get("prompt") is None or reply.message_id != data.get("prompt"):
        raise SkipHandler
    text = (message.text or "").strip()
    forces = [u for u in [await uow.units.get(int(i)) for i in data["chosen"]] if u]
    if await state.get_state() == Wizard.incident.state:
        opened = await open_incident(uow, actor, text, clock)  # a refusal leaves it open
        await state.update_data(incident=opened.id)
        await state.set_state(Wizard.choosing)
        out.reply(message, t("dispatch.incident.opened", id=opened.id, title=opened.title)
                            + "\n" + t("dispatch.dialog.category"), markup=_categories(t, 0))
        return
    if await state.get_state() == Wizard.task.state:
        task, tasks = split_tasks(text, forces)  # a refusal leaves the question open
        await state.update_data(task=task, tasks=tasks)
        await _ask(message, state, actor, t, out, Wizard.rendezvous, "rendezvous")
        return
    place = no_place(within("rendezvous", text))
    await state.update_data(rendezvous=place)
    await state.set_state(Wizard.confirm)
    data = await state.get_data()
    own = dict(data.get("tasks") or {})
    lines = [t("dispatch.dialog.force_task", force=f.name, task=own.get(f.code) or data["task"])
             for f in forces]
    rows = [[(t("dispatch.dialog.submit"), Step(op="s")),
             (t("dispatch.dialog.cancel"), Step(op="x"))]]
    rendezvous = t("dispatch.line.rendezvous", value=place) if place else ""
    out.reply(message, t("dispatch.dialog.confirm", incident=data["incident"],
                         forces=join(lines), rendezvous=rendezvous), markup=_kb(rows))


async def _submit(message: Message, uow: DispatchUnitOfWork, actor: Actor, t: Texts,
                  clock: Clock, state: FSMContext, data: dict[str, Any],
                  settings: Settings, out: Outbound) -> None:
    codes = [u.code for u in [await uow.units.get(int(i)) for i in data["chosen"]] if u]
    plan = await submit_plan(uow, actor, str(data["incident"]), codes, str(data["task"]),
                             str(data.get("rendezvous") or ""), clock, dispatch_config(settings),
                             dict(data.get("tasks") or {}))
    await state.clear()
    out.edit(message.chat.id, message.message_id,
             t("dispatch.plan.submitted", plan=plan.id, count=len(codes)))


def make_router() -> Router:
    router = Router(name="dispatch_dialog")
    router.callback_query.register(on_step, Step.filter())
    router.message.register(on_text, Wizard.incident, F.reply_to_message, F.text)
    router.message.register(on_text, Wizard.task, F.reply_to_message, F.text)
    router.message.register(on_text, Wizard.rendezvous, F.reply_to_message, F.text)
    return router
