"""The token never leaves the process: not in a log line, not in an error kept in the database.

Seen before: with API_URL lacking a scheme, or on a redirect loop, the token appeared in every
retry's log line and in notices.last_error.
"""

from __future__ import annotations

import asyncio
import io
import logging

import pytest

from bot.app import App, build_app
from bot.settings import load_settings
from core import redact
from core.notices import Notice, Priority
from storage import migrate
from tests.conftest import SETTINGS_ADMIN, TOKEN
from tests.delivery.test_crash import until
from tests.delivery_helpers import commit_notices, notice_rows

SECRET = TOKEN.split(":")[1]


@pytest.fixture(autouse=True)
def fresh_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redact, "_secrets", set())


def test_log_lines_and_tracebacks_are_scrubbed() -> None:
    redact.remember(TOKEN)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("test.token_hidden")
    logger.addHandler(handler)
    redact.install(logger)
    try:
        logger.warning("GET %s failed", f"https://api.telegram.org/bot{TOKEN}/getMe")
        logger.warning("the bare token %s", TOKEN)
        try:
            raise ValueError(f"bad url http://x/bot{TOKEN}/sendMessage")
        except ValueError:
            logger.exception("while sending")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert SECRET not in text
    assert "/bot***/getMe" in text
    assert "ValueError: bad url http://x/bot***/sendMessage" in text


def test_a_token_never_named_is_scrubbed_from_urls_too() -> None:
    assert redact.scrub("http://h/bot123456:AAE-x_yZ/getUpdates") == "http://h/bot***/getUpdates"


async def test_a_redirect_loop_keeps_the_token_out_of_logs_and_the_database(
        redirect_loop: str, database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    redact.install()  # as main() does, on the handlers in place (here: pytest's)
    redact.remember(TOKEN)
    settings = load_settings(token=TOKEN, api_url=redirect_loop, database_url=database_url,
                             delivery={"backoff_base_seconds": 0.01, "poll_seconds": 0.05})
    app = build_app(settings, TOKEN)
    await migrate.upgrade(app.engine)
    await commit_notices(app, [Notice("admin.chat_bound", {"unit": "x", "code": "x", "by": "y"},
                                      person_tg_id=SETTINGS_ADMIN, priority=Priority.HIGH)])
    task = asyncio.create_task(app.run())
    try:
        await until(lambda: tried_twice(app), 60)
        await until(lambda: "getUpdates failed" in caplog.text, 60)
        row = (await notice_rows(app))[0]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await app.close()
    assert row.last_error is not None and "TooManyRedirects" in row.last_error
    assert "/bot***/sendMessage" in row.last_error
    assert SECRET not in row.last_error
    assert "/bot***/getUpdates" in caplog.text
    assert SECRET not in caplog.text


async def tried_twice(app: App) -> bool:
    rows = await notice_rows(app)
    return bool(rows) and rows[0].attempts >= 2
