"""The /dispatch dialog: incident (or a new one), forces by category, task, rendezvous, confirm.

At the force step a search by equipment or capability (🔍) offers /find's ranked list for a
word, asked with a ForceReply (groups in privacy mode show the bot only replies), to tick forces
from; « goes back to the categories.

The dialog only gathers choices; the plan is made by the same use case as the one-line form.
State lives in aiogram's FSM, keyed by chat and person, so only the dispatcher who started it
can move it on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

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
from bot.i18n import Html, Texts, Translator, join
from bot.render import mention, shorten
from bot.replies import Outbound
from bot.views.dispatch import force_lines
from bot.views.find import hit_line
from core.actor import Actor
from core.clock import Clock
from core.dispatch.choices import ForceChoice, forces_of
from core.dispatch.config import DispatchConfig
from core.dispatch.incidents import open_incident
from core.dispatch.plans import no_place, split_tasks, submit_plan
from core.dispatch.ports import DispatchUnitOfWork
from core.errors import Conflict
from core.find.ports import FindUnitOfWork
from core.find.search import Hit
from core.find.usecases import find_forces
from core.limits import within
from core.notices import text
from core.registry import ForceCategory, Role, UnitKind
from core.rollcall.config import RollCallConfig

CATEGORIES = list(ForceCategory)


class Wizard(StatesGroup):
    incident = State()
    choosing = State()
    task = State()
    rendezvous = State()
    confirm = State()
    search = State()  # waiting for the word to search the forces by


class Op(StrEnum):
    """What a dialog button does. One letter each, and never renumbered: the value travels in
    the callback data of buttons already posted."""

    INCIDENT = "i"
    NEW_INCIDENT = "n"
    CATEGORY = "c"
    FORCE = "f"
    BACK = "b"
    DONE = "d"
    SUBMIT = "s"
    CANCEL = "x"
    SEARCH = "q"  # 🔍: ask for a word
    PICK = "p"  # tick or untick a force of the search's list


class Step(CallbackData, prefix="d1"):
    """A dialog button: what it does, and the incident, category index or force it names."""

    op: Op
    value: Number = 0


OPENING = frozenset({Op.INCIDENT, Op.NEW_INCIDENT, Op.CANCEL})
PICKING = frozenset({Op.CATEGORY, Op.BACK, Op.FORCE, Op.DONE, Op.CANCEL, Op.SEARCH, Op.PICK})
# Forces a search lists as buttons: the best ones; a longer list is a word to narrow.
SEARCH_SHOWN = 12


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
    rows = [[(f"#{i.id} {shorten(i.title)}", Step(op=Op.INCIDENT, value=i.id or 0))]
            for i in incidents[-8:]]
    rows.append([(t("dispatch.dialog.new_incident"), Step(op=Op.NEW_INCIDENT)),
                 (t("dispatch.dialog.cancel"), Step(op=Op.CANCEL))])
    out.reply(message, t("dispatch.dialog.incident"), markup=_kb(rows))


def _categories(t: Texts, chosen: int) -> InlineKeyboardMarkup:
    rows = [[(t(f"category.{c}"), Step(op=Op.CATEGORY, value=i))]
            for i, c in enumerate(CATEGORIES)]
    rows.append([(t("dispatch.search.button"), Step(op=Op.SEARCH))])
    rows.append([(t("dispatch.dialog.done", count=chosen), Step(op=Op.DONE)),
                 (t("dispatch.dialog.cancel"), Step(op=Op.CANCEL))])
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


def _allowed(step: str | None, data: dict[str, object]) -> frozenset[Op]:
    """The taps the dialog's current step offers; any other tap is stale or forged."""
    if step == Wizard.choosing.state:
        return PICKING if "incident" in data else OPENING
    return {Wizard.incident.state: OPENING, Wizard.task.state: PICKING,
            Wizard.rendezvous.state: frozenset({Op.CANCEL}),
            Wizard.search.state: PICKING,
            Wizard.confirm.state: frozenset({Op.SUBMIT, Op.CANCEL})}.get(step or "", frozenset())


@dataclass
class Tap:
    """A tap on one of this person's dialog buttons, offered by the step the dialog is at."""

    message: Message
    value: int
    data: dict[str, object]
    state: FSMContext
    uow: DispatchUnitOfWork
    actor: Actor
    t: Texts
    clock: Clock
    translator: Translator
    dispatch_config: DispatchConfig
    rollcall_config: RollCallConfig
    out: Outbound

    @property
    def chosen(self) -> list[int]:
        return [int(i) for i in self.data.get("chosen") or []]  # type: ignore[attr-defined]

    def edit(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        self.out.edit(self.message.chat.id, self.message.message_id, text, markup=markup)


OnTap = Callable[[Tap], Awaitable[None]]


def _tapped(op: Op, handle: OnTap) -> Callable[..., Awaitable[None]]:
    """The checks every dialog button shares, then the op's own handler (which refuses, before
    changing anything, a value its step did not show), then the plain toast."""

    async def tapped(query: CallbackQuery, state: FSMContext, uow: DispatchUnitOfWork,
                     actor: Actor, t: Texts, clock: Clock, translator: Translator,
                     dispatch_config: DispatchConfig, rollcall_config: RollCallConfig,
                     out: Outbound, callback_data: Step) -> None:
        data = await _mine(query, state, t, out)
        if data is None:
            return
        offered = _allowed(await state.get_state(), data)
        if op not in offered or not isinstance(query.message, Message):
            raise Conflict("button_not_now")
        await handle(Tap(query.message, callback_data.value, data, state, uow, actor, t, clock,
                         translator, dispatch_config, rollcall_config, out))
        out.toast()

    tapped.__name__ = f"on_{op.name.lower()}"
    return tapped


async def _cancel(tap: Tap) -> None:
    await tap.state.clear()
    tap.edit(tap.t("dispatch.dialog.cancelled"))


async def _new_incident(tap: Tap) -> None:
    await _ask(tap.message, tap.state, tap.actor, tap.t, tap.out, Wizard.incident, "incident")


async def _incident(tap: Tap) -> None:
    incident = await tap.uow.incidents.get(tap.value) if tap.value else None
    if incident is None or not incident.is_open:
        raise Conflict("button_not_now")
    await tap.state.update_data(incident=tap.value)
    await tap.state.set_state(Wizard.choosing)
    tap.edit(tap.t("dispatch.dialog.category"), _categories(tap.t, len(tap.chosen)))


async def _back(tap: Tap) -> None:
    # The search's list is left: its buttons, tapped later, are stale.
    await tap.state.update_data(found=None, word=None)
    tap.edit(tap.t("dispatch.dialog.category"), _categories(tap.t, len(tap.chosen)))


async def _search(tap: Tap) -> None:
    await _ask(tap.message, tap.state, tap.actor, tap.t, tap.out, Wizard.search, "search")


async def _pick(tap: Tap) -> None:
    """Ticks or unticks a force of the search's list; a force that list did not show (an older
    search's button, or the list left) is refused before anything changes."""
    found = [int(i) for i in tap.data.get("found") or []]  # type: ignore[attr-defined]
    chosen = tap.chosen
    if tap.value not in found:
        raise Conflict("button_not_now")
    hits = await _hits(tap.uow, tap.actor, str(tap.data.get("word") or ""), tap.clock,
                       tap.rollcall_config)
    unit = next((h.unit for h in hits if h.unit.id == tap.value), None)
    if unit is None and tap.value not in chosen:  # gone from the registry since
        raise Conflict("button_not_now")
    if unit is not None and not unit.is_bound:
        raise Conflict("force_unbound", force=unit.name, code=unit.code)
    chosen = [c for c in chosen if c != tap.value] if tap.value in chosen else [*chosen, tap.value]
    await tap.state.update_data(chosen=chosen)
    body, markup = _found(tap.t, str(tap.data.get("word") or ""), hits, chosen)
    await tap.state.update_data(found=[h.unit.id for h in hits[:SEARCH_SHOWN]])
    tap.edit(body, markup)


async def _hits(uow: DispatchUnitOfWork, actor: Actor, word: str, clock: Clock,
                rollcall_config: RollCallConfig) -> list[Hit]:
    # The storage unit of work carries every feature's repositories (core.county).
    found = await find_forces(cast(FindUnitOfWork, uow), actor, word, clock,
                              rollcall_config.zone)
    return found.hits


def _found(t: Texts, word: str, hits: list[Hit], chosen: list[int]
           ) -> tuple[str, InlineKeyboardMarkup]:
    """/find's ranked list for the word, its first forces as buttons to tick."""
    rows = [[(("☑ " if h.unit.id in chosen else "☐ ") + h.unit.name,
              Step(op=Op.PICK, value=h.unit.id or 0))] for h in hits[:SEARCH_SHOWN]]
    rows.append([(t("dispatch.search.again"), Step(op=Op.SEARCH))])
    rows.append([(t("dispatch.search.back"), Step(op=Op.BACK)),
                 (t("dispatch.dialog.done", count=len(chosen)), Step(op=Op.DONE))])
    if not hits:
        return t("dispatch.search.none", word=word), _kb(rows)
    lines = "\n".join(hit_line(t, n, h) for n, h in enumerate(hits[:SEARCH_SHOWN], 1))
    more = (t("dispatch.search.more", count=len(hits) - SEARCH_SHOWN)
            if len(hits) > SEARCH_SHOWN else "")
    return t("dispatch.search.head", word=word, count=len(hits), lines=Html(lines),
             more=Html(more)), _kb(rows)


async def _category(tap: Tap) -> None:
    if tap.value >= len(CATEGORIES):
        raise Conflict("button_not_now")
    await _forces(tap, CATEGORIES[tap.value], tap.chosen)


async def _force(tap: Tap) -> None:
    """Ticks or unticks a force of the category shown."""
    if "category" not in tap.data:
        raise Conflict("button_not_now")
    category = CATEGORIES[int(tap.data["category"])]  # type: ignore[call-overload]
    choices = await forces_of(tap.uow, category, tap.clock.now())
    unit = next((c.unit for c in choices if c.unit.id == tap.value), None)
    chosen = tap.chosen
    if unit is None and tap.value not in chosen:  # not a force this list showed
        raise Conflict("button_not_now")
    if unit is not None and not unit.is_bound:
        raise Conflict("force_unbound", force=unit.name, code=unit.code)
    chosen = [c for c in chosen if c != tap.value] if tap.value in chosen else [*chosen, tap.value]
    await _forces(tap, category, chosen, choices)


async def _done(tap: Tap) -> None:
    if not tap.chosen:
        raise Conflict("no_force_chosen")
    first = await tap.uow.units.get(tap.chosen[0])
    await _ask(tap.message, tap.state, tap.actor, tap.t, tap.out, Wizard.task, "task",
               code=first.code if first else "f-…")


async def _submit_tap(tap: Tap) -> None:
    await _submit(tap.message, tap.uow, tap.actor, tap.t, tap.clock, tap.state, tap.data,
                  tap.dispatch_config, tap.out)


TAPS: dict[Op, OnTap] = {
    Op.CANCEL: _cancel, Op.NEW_INCIDENT: _new_incident, Op.INCIDENT: _incident,
    Op.BACK: _back, Op.CATEGORY: _category, Op.FORCE: _force, Op.DONE: _done,
    Op.SUBMIT: _submit_tap, Op.SEARCH: _search, Op.PICK: _pick,
}


async def _forces(tap: Tap, category: ForceCategory, chosen: list[int],
                  choices: list[ForceChoice] | None = None) -> None:
    """The forces of one category, the chosen ones ticked."""
    if choices is None:
        choices = await forces_of(tap.uow, category, tap.clock.now())
    await tap.state.update_data(chosen=chosen, category=CATEGORIES.index(category))
    t = tap.t
    rows = [[(("☑ " if c.unit.id in chosen else "☐ ") + c.unit.name,
              Step(op=Op.FORCE, value=c.unit.id or 0))] for c in choices]
    rows.append([(t("dispatch.dialog.back"), Step(op=Op.BACK)),
                 (t("dispatch.dialog.done", count=len(chosen)), Step(op=Op.DONE))])
    body = t("dispatch.dialog.forces", category=text(f"category.{category}")) + "\n" + \
        force_lines(t, tap.translator, choices)
    tap.edit(body, _kb(rows))


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
                  uow: DispatchUnitOfWork, clock: Clock, rollcall_config: RollCallConfig,
                  out: Outbound) -> None:
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
    if await state.get_state() == Wizard.search.state:
        hits = await _hits(uow, actor, text, clock, rollcall_config)  # a refusal: ask again
        word = " ".join(text.split())
        await state.update_data(word=word, found=[h.unit.id for h in hits[:SEARCH_SHOWN]],
                                prompt=None)
        await state.set_state(Wizard.choosing)
        body, markup = _found(t, word, hits, [int(i) for i in data["chosen"]])
        out.reply(message, body, markup=markup)
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
    rows = [[(t("dispatch.dialog.submit"), Step(op=Op.SUBMIT)),
             (t("dispatch.dialog.cancel"), Step(op=Op.CANCEL))]]
    rendezvous = t("dispatch.line.rendezvous", value=place) if place else ""
    out.reply(message, t("dispatch.dialog.confirm", incident=data["incident"],
                         forces=join(lines), rendezvous=rendezvous), markup=_kb(rows))


async def _submit(message: Message, uow: DispatchUnitOfWork, actor: Actor, t: Texts,
                  clock: Clock, state: FSMContext, data: dict[str, Any],
                  dispatch_config: DispatchConfig, out: Outbound) -> None:
    codes = [u.code for u in [await uow.units.get(int(i)) for i in data["chosen"]] if u]
    plan = await submit_plan(uow, actor, str(data["incident"]), codes, str(data["task"]),
                             str(data.get("rendezvous") or ""), clock, dispatch_config,
                             dict(data.get("tasks") or {}))
    await state.clear()
    out.edit(message.chat.id, message.message_id,
             t("dispatch.plan.submitted", plan=plan.id, count=len(codes)))


def make_router() -> Router:
    router = Router(name="dispatch_dialog")
    for op, handle in TAPS.items():
        router.callback_query.register(_tapped(op, handle), Step.filter(F.op == op))
    router.message.register(on_text, Wizard.incident, F.reply_to_message, F.text)
    router.message.register(on_text, Wizard.task, F.reply_to_message, F.text)
    router.message.register(on_text, Wizard.rendezvous, F.reply_to_message, F.text)
    router.message.register(on_text, Wizard.search, F.reply_to_message, F.text)
    return router
