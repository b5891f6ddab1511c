"""Log lines: one per event, text or JSON, naming the update / notice / incident, and never the
token: not for a failing request to a closed port, not for a sandbox answering 500, not in a
traceback of aiohttp's exceptions, which quote the request's URL (/bot<token>/method)."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path

import pytest
from aiohttp import ClientResponseError, RequestInfo
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from bot import logs
from core import redact
from sandbox import Sandbox
from tests.conftest import ROOT, TOKEN
from tests.delivery.test_crash import until
from tests.ops.helpers import RunningBot
from tests.ops.test_check import closed_port

SECRET = TOKEN.split(":")[1]


@pytest.fixture(autouse=True)
def fresh_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redact, "_secrets", set())


def aiohttp_error() -> ClientResponseError:
    url = URL(f"http://127.0.0.1:1/bot{TOKEN}/sendMessage")
    info = RequestInfo(url, "POST", CIMultiDictProxy(CIMultiDict()), url)
    return ClientResponseError(info, (), status=502, message="Bad Gateway")


def record_of(kind: str) -> tuple[logging.Logger, list[str]]:
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep()
    handler.setFormatter(logs.formatter(kind))
    logger = logging.getLogger(f"test.ops.{kind}")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    redact.install(logger)
    return logger, lines


@pytest.mark.parametrize("kind", ["text", "json"])
def test_one_line_per_event_with_its_context_and_no_token(kind: str) -> None:
    logger, lines = record_of(kind)
    with logs.log_context(update_id=42):
        logger.info("handled %s", "an update")
        with logs.log_context(notice_id=7, incident=3):
            try:
                raise aiohttp_error()
            except ClientResponseError:
                logger.exception("send failed")
    logger.warning("outside")
    assert len(lines) == 3 and all("\n" not in line for line in lines)
    assert SECRET not in "".join(lines)
    if kind == "json":
        first, second, third = (json.loads(line) for line in lines)
        assert {k: first[k] for k in ("level", "logger", "message", "update_id")} == {
            "level": "INFO", "logger": "test.ops.json", "message": "handled an update",
            "update_id": 42}
        assert (second["update_id"], second["notice_id"], second["incident"]) == (42, 7, 3)
        assert "/bot***/sendMessage" in second["exception"]
        assert "Traceback" in second["exception"]
        assert "update_id" not in third and third["time"].endswith("+00:00")
    else:
        assert lines[0].endswith("INFO test.ops.text: handled an update [update_id=42]")
        assert "[update_id=42 notice_id=7 incident=3] | Traceback" in lines[1]
        assert "/bot***/sendMessage" in lines[1]
        assert lines[2].endswith("outside")


def test_an_escaping_exception_is_scrubbed(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        raise aiohttp_error()
    except ClientResponseError:
        logs._scrubbed_excepthook(*sys.exc_info())
    err = capsys.readouterr().err
    assert "ClientResponseError" in err and "/bot***/sendMessage" in err
    assert SECRET not in err
    assert redact.scrub(f"GET /bot{TOKEN.replace(':', '%3A')}/getMe") == "GET /bot***/getMe"


async def stopped(bot: RunningBot) -> str:
    await bot.stop()
    return bot.log.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["text", "json"])
@pytest.mark.parametrize("where", ["closed port", "redirect loop"])
async def test_a_failing_request_leaves_no_token(kind: str, where: str, redirect_loop: str,
                                                 tmp_path: Path) -> None:
    class Nowhere:
        base_url = (f"http://127.0.0.1:{closed_port()}" if where == "closed port"
                    else redirect_loop)

    bot = RunningBot(Nowhere(), f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",  # type: ignore[arg-type]
                     tmp_path / "stderr.log", RESCUEBOT_LOG_LEVEL="DEBUG",
                     RESCUEBOT_LOG_FORMAT=kind)
    with bot.log.open("ab") as err:
        bot.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=bot.env, stdout=err, stderr=err)
    await until(lambda: bot.log.read_text(encoding="utf-8").count("cannot reach Telegram") >= 2,
                30)
    text = await stopped(bot)
    assert SECRET not in text
    # The failure itself is named, its URL with the token hidden.
    assert ("Connect" in text if where == "closed port" else "/bot***/getMe" in text)
    if kind == "json":
        assert all(json.loads(line)["level"] for line in text.splitlines())


@pytest.mark.parametrize("kind", ["text", "json"])
async def test_a_sandbox_answering_500_leaves_no_token(kind: str, sandbox: Sandbox,
                                                       tmp_path: Path) -> None:
    sandbox.faults.fail_next(2, status=500, method="getMe")
    bot = RunningBot(sandbox, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
                     tmp_path / "stderr.log", RESCUEBOT_LOG_LEVEL="DEBUG",
                     RESCUEBOT_LOG_FORMAT=kind)
    await bot.start()  # after the two 500s, getMe passes and the bot polls
    sandbox.add_user(555, "someone")
    await sandbox.send_message(555, 555, "/help")
    await sandbox.wait_for(555, "/")
    await until(lambda: "is handled" in bot.log.read_text(encoding="utf-8"), 20)
    text = await stopped(bot)
    assert SECRET not in text
    assert text.count("cannot reach Telegram") == 2
    if kind == "json":
        entries = [json.loads(line) for line in text.splitlines()]
        handled = [e for e in entries if "is handled" in e["message"]]
        assert handled and all(isinstance(e["update_id"], int) for e in handled)
    else:
        assert "[update_id=" in text
