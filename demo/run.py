"""`python -m bot demo`: the real bot against a local sandbox, with a simulated county.

Starts the sandbox, imports the example county into a fresh database, binds every unit's group
by the real /invite + /bind flow, then plays each feature's scene with simulated people, and
prints every chat's messages as they happen. The logs go to a file, so the terminal shows the
chats alone; the temporary folder with the database is removed at the end, also on Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import importlib
import logging
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from bot.app import App, build_app
from bot.i18n import Texts, Translator
from bot.registry_cli import CONSOLE, import_file
from bot.settings import Settings
from core.clock import ControllableClock
from core.usecases.binding import create_invite
from demo.scenes.stage import WAIT, Stage
from demo.scenes.transcript import Transcript
from demo.world import SandboxCounty, load_county
from sandbox import Sandbox

log = logging.getLogger(__name__)
TOKEN = "7000001:DEMO"
ADMIN = 100009
# Shipped inside the package (a copy of examples/county.yaml), so an installed bot finds it.
EXAMPLE = Path(__file__).resolve().parent / "examples" / "county.yaml"
SCENES = ("demo.scenes.dispatch", "demo.scenes.joint", "demo.scenes.alerts")
LOG_FILE = "rescuebot-demo.log"
FAST_PACE = {"global_per_second": 150, "chat_per_second": 5, "group_per_minute": 100}


def log_to_file(level: str) -> Path:
    """Send every logger to a file the user can read after the demo, the terminal being for
    the chats. The file lives beside, not in, the temporary folder that is removed."""
    path = Path(tempfile.gettempdir()) / LOG_FILE
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    return path


def outbox_settled(app: App, clock: ControllableClock) -> Callable[[], Awaitable[None]]:
    """Waits until no notice to a group is left in the outbox (notices to a person are never
    reported late, so the admin's trickle of "group bound" notes need not be waited for)."""

    async def settled() -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT
        while True:
            async with app.uow() as uow:
                queued = await uow.outbox.overdue(clock.now() + timedelta(days=366))
            if not any(n.person_tg_id is None for n in queued):
                return
            if loop.time() > deadline:
                raise AssertionError(f"{len(queued)} notices still queued after {WAIT}s")
            await asyncio.sleep(0.25)

    return settled


async def _scenes() -> list[Callable[[Stage], Awaitable[None]]]:
    plays = []
    for name in SCENES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        plays.append(module.play)
    return plays


async def run_demo(settings: Settings, registry: Path | None, *, fast: bool = False) -> None:
    log_path = log_to_file(settings.log_level)
    t = Texts(Translator(settings.locale, settings.zone), settings.locale)
    folder = Path(tempfile.mkdtemp(prefix="rescuebot-demo-"))
    try:
        await _run(settings, registry or EXAMPLE, folder, t, log_path, fast)
    except AssertionError as e:
        log.exception("the demo stopped")
        print(html.unescape(t("demo.failed", error=str(e).splitlines()[0], log=log_path)),
              file=sys.stderr)
        raise SystemExit(1) from None
    except asyncio.CancelledError:  # Ctrl-C
        print("\n" + html.unescape(t("demo.interrupted")), flush=True)
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _run(settings: Settings, path: Path, folder: Path, t: Texts, log_path: Path,
               fast: bool) -> None:
    # Telegram's limits, or in a hurry five times theirs: a group's 20 messages a minute
    # would otherwise make the brigade's busy chat the pace of the whole demo.
    pace = settings.delivery.model_copy(update=FAST_PACE if fast else {})
    sb = Sandbox(limits=True, global_per_second=max(1, int(pace.global_per_second)),
                 chat_per_second=max(1, int(pace.chat_per_second)),
                 group_per_minute=pace.group_per_minute)
    await sb.start()
    sb.create_bot(TOKEN, "rescue_bot", "联调联战")
    demo_settings = settings.model_copy(update={
        "api_url": sb.base_url, "database_url": f"sqlite+aiosqlite:///{folder / 'demo.db'}",
        "admins": [], "sweep_seconds": 0.5, "delivery": pace,
    })
    out = Transcript(sb, t, sys.stdout)
    out.line(out.text("demo.start", url=sb.base_url, log=log_path))
    clock = ControllableClock()
    await import_file(demo_settings, path, clock)
    county = SandboxCounty(sb, load_county(path), ADMIN, timeout=WAIT)
    out.line(out.text("demo.imported", county=county.registry.county,
                      count=len(county.registry.units)))
    county.add_people()
    app = build_app(demo_settings, TOKEN, clock)

    async def console_invite(code: str) -> str:
        # What `python -m bot invite <unit>` does, for all 54 units at once.
        async with app.uow() as uow:
            invite, _ = await create_invite(uow, CONSOLE, code, clock, app.config)
            await uow.commit()
        return invite.code

    async def pause(seconds: float) -> None:
        await asyncio.sleep(0 if fast else seconds)

    county.console_invite = console_invite
    stage = Stage(county, clock, t, pause=pause, settled=outbox_settled(app, clock),
                  narrate=out.line, show_tap=out.tap)
    out.hidden = stage.matches("admin.chat_bound")  # 54 notes at 1/s: counted, not shown
    tasks = [asyncio.create_task(app.run()), asyncio.create_task(_follow(out))]
    try:
        await sb.send_message(ADMIN, ADMIN, "/start")  # the IT officer opens a chat with the bot
        out.line(out.text("demo.binding"))
        await county.bind_all(parallel=8)
        out.flush()
        out.line(out.text("demo.bound", count=len(county.chats)) + "\n")
        out.quiet = False
        await sb.send_message(ADMIN, ADMIN, "/status")
        await sb.wait_for(ADMIN, lambda entry: not out.hidden(entry), timeout=WAIT)
        for play in await _scenes():
            await play(stage)
        await stage.settled()
        out.flush()
        out.line("\n" + out.text("demo.finished"))
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await app.close()
        await sb.stop()


async def _follow(out: Transcript) -> None:
    while True:
        out.flush()
        await asyncio.sleep(0.2)
