"""Fuzz: random commands, replies and button taps by random people in random chats.

Whatever anyone sends, the bot answers or refuses; its log never shows a traceback. The real
bot runs against the sandbox with the example county; hypothesis picks the actions.

RESCUEBOT_FUZZ_EXAMPLES sets how many runs of 2-10 actions hypothesis plays (default 40, a few
hundred actions in about a minute, with a fixed seed so CI is repeatable); when it is set, each
run takes a fresh seed, for longer nightly runs. RESCUEBOT_FUZZ_KEEP_GOING=1 plays every run
and then lists each distinct traceback once, instead of stopping at the first and shrinking it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import traceback
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import FEATURES, App
from bot.settings import Settings, load_settings
from core.notices import Action
from core.warnings.model import HAZARDS, LEVEL_WORDS
from demo.world import SandboxCounty
from sandbox import Sandbox
from storage.tables import InboxRow
from tests.conftest import SETTINGS_ADMIN, TOKEN

EXAMPLES = int(os.environ.get("RESCUEBOT_FUZZ_EXAMPLES", "40"))
KEEP_GOING = bool(os.environ.get("RESCUEBOT_FUZZ_KEEP_GOING"))
UNITS = ["bureau", "brigade", "dept-meteo", "upper", "f-police", "f-water", "f-town-chengguan",
         "gov", "dept-police", "f-expert-geohazard"]
STRANGER = 990077  # in the chats, but not in the registry

NUMBERS = ["0", "1", "2", "3", "-1", "+1", "#1", "#2", "007", "2147483647", "2147483648",
           "9223372036854775808", "99999999999999999999", "99999999999", "²", "³", "¹²",
           "１２", "٣", "1e-9", "1e9", "1.5", "0.5", "nan", "inf", "-inf", "1_0", "0x10", "12h",
           "24小时", "168", "169", "366", "367"]
WORDS = [*LEVEL_WORDS, *HAZARDS, "一般", "较大", "重大", "城关镇", "all", "全部", "off", "结束",
         "category:government", "category:nope", "township:城关镇", "force:f-police,f-water",
         "sector:water", "f-police", "f-water", "brigade", "bureau", "upper", "zh", "en", "drill",
         "演练", "type=火灾", "type=", "f-police,f-water", "，", "：", "#"]
NASTY = ["", " ", "<b>x</b>", "</i>", "&amp;", "&", "<", "🚒🔥", "\u202eRTL\u202c", "\u200f",
         "\x00", "a" * 5000, "\n", "\t", "e\u0301", "@rescue_bot", "/help"]


def _token() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NUMBERS), st.sampled_from(WORDS), st.sampled_from(NASTY),
                     st.text(max_size=12), st.integers(-(2**70), 2**70).map(str))


EDGE_NUMBERS = ["²", "³", "１２", "99999999999999999999", "2147483648", "99999999999", "1e-9",
                "-1", "0", "1", "2", "#1", "1.5"]
# Most commands read a number first: put an edge case there often.
ARGS = st.one_of(
    st.lists(_token(), max_size=6).map(" ".join),
    st.tuples(st.sampled_from(EDGE_NUMBERS), st.lists(_token(), max_size=4)).map(
        lambda p: " ".join([p[0], *p[1]])),
    st.tuples(st.sampled_from([*LEVEL_WORDS, "off"]), st.sampled_from(WORDS),
              st.sampled_from(WORDS), st.sampled_from(EDGE_NUMBERS), _token()).map(" ".join),
)
# Commands that read arguments come up more often than /help and /status.
COMMAND_NAMES = [name for f in FEATURES for name, _ in f.core.commands
                 for _ in range(1 if name in ("help", "status") else 3)]
COMMAND_NAMES += ["start", "nope"]


def _callback_data() -> st.SearchStrategy[str]:
    ref = st.one_of(st.sampled_from(NUMBERS), st.integers(-(2**70), 2**70).map(str),
                    st.text(max_size=8))
    v1 = st.tuples(st.sampled_from([a.value for a in Action] + ["zz", ""]), ref).map(
        lambda p: f"v1:{p[0]}:{p[1]}")
    d1 = st.tuples(st.sampled_from([*"incbfdsx", "", "zz"]), ref).map(
        lambda p: f"d1:{p[0]}:{p[1]}")
    pick = st.one_of(st.sampled_from([*HAZARDS, "other", *("red", "orange", "yellow", "blue"),
                                      "6", "12", "48", "1e-9", "0", "yes", "no", "all",
                                      "category.government", "category.x", "township.城关镇",
                                      "township.nowhere", "", "a.b.c"]), st.text(max_size=8))
    wd1 = st.tuples(st.sampled_from(["hz", "lv", "tg", "hr", "ok", "", "zz"]), pick).map(
        lambda p: f"wd1:{p[0]}:{p[1]}")
    junk = st.text(min_size=1, max_size=40)
    return st.one_of(v1, d1, wd1, junk).map(
        lambda s: s.encode()[:64].decode(errors="ignore") or "x")


HOME = {"incident": "brigade", "dispatch": "brigade", "standdown": "brigade",
        "withdraw": "brigade", "close": "brigade", "rollcall": "brigade", "sensitive": "brigade",
        "hq": "bureau", "period": "bureau", "reinforce": "bureau", "warn": "dept-meteo",
        "warn_upgrade": "dept-meteo", "warn_cancel": "dept-meteo", "respond": "brigade",
        "sitrep": "brigade", "consult": "brigade", "report": "f-police"}


@pytest.fixture
def settings(database_url: str, sandbox: Sandbox) -> Settings:
    """As conftest's, but the sweep runs rarely: the clock stands still here, and a sweep
    every 0.1 s would only compete with the updates for the database."""
    return load_settings(
        token=TOKEN, api_url=sandbox.base_url, database_url=database_url,
        admins=[SETTINGS_ADMIN], sweep_seconds=30,
        delivery={"global_per_second": 1000, "chat_per_second": 100, "group_per_minute": 6000,
                  "poll_seconds": 0.05})


@dataclass(frozen=True)
class Act:
    kind: str  # command, reply, tap, forged, text
    who: int  # index into the chat's members, then the admin and a stranger
    where: int | None  # index into the chats; -1: the person's private chat; None: its home
    text: str = ""
    pick: int = 0  # which message or button
    inaccessible: bool = False


WHO = st.integers(0, 999)
WHERE = st.one_of(st.none(), st.integers(-1, 999))
COMMAND = st.tuples(st.sampled_from(COMMAND_NAMES), st.booleans(), ARGS).map(
    lambda p: f"/{p[0]}{'@rescue_bot' if p[1] else ''} {p[2]}")
ACT = st.one_of(
    st.builds(Act, st.just("command"), WHO, WHERE, COMMAND),
    st.builds(Act, st.just("command"), WHO, st.none(), COMMAND),
    st.builds(Act, st.just("command"), WHO, st.none(), COMMAND),
    st.builds(Act, st.just("reply"), WHO, WHERE, ARGS, st.integers(0, 999)),
    st.builds(Act, st.just("tap"), WHO, WHERE, st.just(""), st.integers(0, 999), st.booleans()),
    st.builds(Act, st.just("forged"), WHO, WHERE, _callback_data(), st.integers(0, 999),
              st.booleans()),
    st.builds(Act, st.just("forged"), WHO, WHERE, _callback_data(), st.integers(0, 999),
              st.just(False)),
    st.builds(Act, st.just("text"), WHO, st.just(-1), ARGS),
)


class Player:
    def __init__(self, app: App, sandbox: Sandbox, county: SandboxCounty,
                 records: list[logging.LogRecord]) -> None:
        self.app, self.sb, self.county, self.records = app, sandbox, county, records
        self.kinds: dict[str, str] = {}  # with KEEP_GOING: each distinct failure, first seen

    def parties(self, act: Act) -> tuple[int, int]:
        """(person, chat): mostly a member of the chat, where commands mostly go home."""
        if act.where is None:
            command = act.text[1:].split(" ", 1)[0].split("@")[0] if act.text else ""
            code = HOME.get(command, "brigade" if act.kind == "command" else UNITS[act.who % 7])
        else:
            code = UNITS[act.where % len(UNITS)]
        people = [*self.county.members(code), SETTINGS_ADMIN, STRANGER]
        person = people[act.who % len(people)]
        return person, person if act.where == -1 else self.county.chats[code]

    def bot_messages(self, chat: int) -> list[Any]:
        messages = self.sb.get_chat(chat).messages.values() if chat in self.sb.chats else []
        return [m for m in messages if m.is_bot and not m.deleted]

    async def play(self, act: Act) -> None:
        person, chat = self.parties(act)
        if act.kind in ("command", "text"):
            await self.sb.send_message(chat, person, act.text)
            return
        mine = self.bot_messages(chat)
        if not mine:
            return
        message = mine[-1 - act.pick % min(len(mine), 6)]
        if act.kind == "reply":
            await self.sb.send_message(chat, person, act.text, reply_to=message.message_id)
            return
        if act.inaccessible:
            self.sb.make_inaccessible(chat, message.message_id)
        data = act.text
        if act.kind == "tap":
            rows = (message.reply_markup or {}).get("inline_keyboard") or []
            buttons = [b["callback_data"] for row in rows for b in row if "callback_data" in b]
            if not buttons:
                return
            data = buttons[act.pick % len(buttons)]
        await self.sb.press_callback(chat, person, message.message_id, data)

    async def settle(self) -> None:
        """Every update handled: confirmed to the sandbox and marked in the inbox."""
        await self.sb.wait_delivered(timeout=30)
        for _ in range(600):
            async with self.app.uow() as uow:
                left = await uow.session.scalar(
                    select(func.count()).select_from(InboxRow).where(
                        InboxRow.handled_at.is_(None)))
            if not left:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{left} updates never handled")

    def check(self, acts: list[Act]) -> None:
        bad, self.records[:] = list(self.records), []
        for record in bad:
            text = f"after {acts!r}:\n{logging.Formatter().format(record)}"
            if not KEEP_GOING:
                raise AssertionError(text)
            exc = record.exc_info[1] if record.exc_info else None
            where = traceback.extract_tb(exc.__traceback__)[-1] if exc else None
            self.kinds.setdefault(f"{record.getMessage()[:60]} {where} {type(exc)}", text)


class Capture(logging.Handler):
    """Errors and anything logged with a traceback, from any logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.records.append(record)


async def seed(sandbox: Sandbox, county: SandboxCounty) -> None:
    """Something to act on: an incident, an approved plan's orders (and its traffic-support
    notice), a warning, a roll-call, a reinforcement request, an information report, a response
    proposal, a consultation, a situation update, and a /dispatch, a /warn and a /report dialog
    in progress."""
    c = county.chats
    dispatcher = county.person("brigade", "dispatcher")
    commander = county.person("brigade", "commander")
    for chat, who, line in (
        (c["brigade"], dispatcher, "/incident 一般 城关镇 仓库火情"),
        (c["brigade"], dispatcher, "/dispatch 1 f-police,f-water 前往仓库"),
        (c["dept-meteo"], county.person("dept-meteo", "warning_issuer"),
         "/warn red 暴雨 all 12 今夜有暴雨"),
        (c["brigade"], dispatcher, "/rollcall all"),
        (c["bureau"], county.person("bureau", "approver"), "/reinforce 1 需要冲锋舟两艘"),
        (c["f-police"], county.person("f-police", "duty_officer"), "/report 城关镇 仓库冒烟"),
        (c["brigade"], commander, "/respond 1 Ⅳ"),
        (c["brigade"], commander, "/consult 1 f-expert-geohazard 是否有坍塌风险"),
        (c["brigade"], commander, "/sitrep 1 火势已控制"),
        (c["brigade"], dispatcher, "/dispatch"),
        (c["dept-meteo"], county.person("dept-meteo", "warning_issuer"), "/warn"),
        (c["f-water"], county.person("f-water", "duty_officer"), "/report"),
    ):
        await sandbox.send_message(chat, who, line)
        await sandbox.wait_delivered()
    await sandbox.wait_for(c["bureau"], "待审批", since=0)
    await sandbox.press_button(c["bureau"], county.person("bureau", "approver"), "批准")
    # The seeded states exist, so the random taps below meet live buttons of every kind.
    for code, shown in (("bureau", "【应急响应提议】"), ("f-expert-geohazard", "【专家会商】"),
                        ("dept-police", "【交通保障】"), ("brigade", "【信息抄报】"),
                        ("gov", "【滚动研判】")):
        await sandbox.wait_for(c[code], shown, since=0)


async def test_nothing_anyone_sends_makes_a_traceback(
    app: App, county: SandboxCounty, sandbox: Sandbox
) -> None:
    await county.bind_all(UNITS)
    sandbox.add_user(STRANGER, "stranger")
    for code in UNITS:
        sandbox.add_member(county.chats[code], STRANGER)
    capture = Capture()
    logging.getLogger().addHandler(capture)
    try:
        await seed(sandbox, county)
        player = Player(app, sandbox, county, capture.records)
        player.check([])
        loop = asyncio.get_running_loop()

        async def play(acts: list[Act]) -> None:
            for act in acts:
                await player.play(act)
            await player.settle()
            player.check(acts)

        @hsettings(max_examples=EXAMPLES, deadline=None, database=None,
                  derandomize="RESCUEBOT_FUZZ_EXAMPLES" not in os.environ,
                  suppress_health_check=list(HealthCheck))
        @given(st.lists(ACT, min_size=2, max_size=10))
        def fuzz(acts: list[Act]) -> None:
            asyncio.run_coroutine_threadsafe(play(acts), loop).result(timeout=120)

        await asyncio.to_thread(fuzz)
        await player.settle()  # answers sent after the last commit
        player.check([])
        assert not player.kinds, "\n\n".join(player.kinds.values())
    finally:
        logging.getLogger().removeHandler(capture)
