"""The Sandbox: world state plus an aiohttp server speaking the Bot API and a control API."""

# The public API takes `timeout=` on purpose: tests wait on the sandbox, not on the clock.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .botapi import ApiError, BotApi, Upload, coerce_params
from .limits import RateLimiter
from .state import BotAccount, StoredMessage, World
from .webhooks import Attempt, WebhookPolicy

log = logging.getLogger(__name__)

Matcher = str | Callable[[dict[str, Any]], bool]


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


async def read_request(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    params: dict[str, Any] = dict(request.query)
    files: dict[str, Upload] = {}
    if request.method != "POST" or not request.can_read_body:
        return params, files
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise ApiError(400, "Bad Request: can't parse JSON body") from exc
        if isinstance(body, dict):
            params.update(body)
        return params, files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, str):
            params[key] = value
        elif isinstance(value, web.FileField):
            files[key] = Upload(value.filename, value.file.read(), value.content_type)
        else:
            params[key] = bytes(value).decode("utf-8", "replace")
    return params, files


class Sandbox(World):
    """A local stand-in for Telegram's servers, driven from tests through this object."""

    def __init__(
        self,
        limits: bool = False,
        *,
        global_per_second: int = 30,
        chat_per_second: int = 1,
        group_per_minute: int = 20,
        limit_tolerance: float = 0.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(
            RateLimiter(
                enabled=limits,
                global_per_second=global_per_second,
                chat_per_second=chat_per_second,
                group_per_minute=group_per_minute,
                tolerance=limit_tolerance,
                clock=clock,
            )
        )
        self.api = BotApi(self)
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    # --- server ------------------------------------------------------------------------

    def make_app(self) -> web.Application:
        from .control import setup_control

        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_bot)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        setup_control(app, self)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        runner = web.AppRunner(self.make_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound = runner.addresses[0][1] if runner.addresses else port
        self.base_url = f"http://{host}:{bound}"
        log.info("sandbox: Bot API listening on %s", self.base_url)
        return self.base_url

    async def stop(self) -> None:
        await self.api.hooks.close()
        for bot in self.bots.values():
            bot.poll_seq += 1  # release long polls so the runner can shut down promptly
            bot.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle_bot(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        params: dict[str, Any] = {}
        try:
            raw, files = await read_request(request)
            params = coerce_params(raw)
            result = await self.api.call(token, method, params, files)
        except ApiError as err:
            self._count_error(err, params)
            log.debug("sandbox: %s -> %s %s", method, err.code, err.description)
            return web.json_response(err.payload(), status=err.code, dumps=_dumps)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    async def _handle_file(self, request: web.Request) -> web.Response:
        """The file download URL: the bytes of a file_path getFile returned to this bot."""
        if request.match_info["token"] not in self.bots:
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"}, status=401)
        content = self.file_for_download(request.match_info["path"])
        if content is None:
            return web.json_response({"ok": False, "error_code": 404,
                                      "description": "Not Found"}, status=404)
        return web.Response(body=content, content_type="application/octet-stream")

    def _count_error(self, err: ApiError, params: dict[str, Any]) -> None:
        self.stats.errors[err.code] += 1
        if err.code == 429:
            self.stats.too_many_requests += 1
            chat_id = params.get("chat_id")
            if isinstance(chat_id, int):
                self.stats.too_many_requests_by_chat[chat_id] += 1

    # --- people ------------------------------------------------------------------------

    async def send_message(
        self,
        chat_id: int,
        from_user: int,
        text: str,
        *,
        reply_to: int | None = None,
        anonymous_admin: bool = False,
        token: str | None = None,
    ) -> dict[str, Any]:
        return self.user_message(
            chat_id,
            from_user,
            text,
            reply_to=reply_to,
            anonymous_admin=anonymous_admin,
            token=token,
        )

    async def send_photo(
        self,
        chat_id: int,
        from_user: int,
        caption: str = "",
        *,
        reply_to: int | None = None,
        filename: str = "photo.jpg",
        token: str | None = None,
    ) -> dict[str, Any]:
        """A person sends a photo, with a caption (which may be a command)."""
        return self.user_photo(chat_id, from_user, caption, reply_to=reply_to,
                               filename=filename, token=token)

    async def send_document(
        self,
        chat_id: int,
        from_user: int,
        content: bytes,
        filename: str = "file.yaml",
        caption: str = "",
        *,
        token: str | None = None,
    ) -> dict[str, Any]:
        """A person sends a file as a document."""
        return self.user_document(chat_id, from_user, content, filename, caption, token=token)

    def pinned(self, chat_id: int) -> list[int]:
        """The chat's pinned messages, oldest first (the last one shows on top)."""
        return list(self.get_chat(chat_id).pinned)

    async def press_button(
        self,
        chat_id: int,
        from_user: int,
        button_text: str,
        *,
        message_id: int | None = None,
        text_contains: str | None = None,
    ) -> str:
        chat = self.get_chat(chat_id)
        if message_id is not None:
            target = chat.messages.get(message_id)
            if target is None or target.deleted:
                raise LookupError(f"message {message_id} in chat {chat_id} is missing or deleted")
            candidates = [target]
        else:
            candidates = [
                m for m in reversed(chat.messages.values()) if m.is_bot and not m.deleted
            ]
        for msg in candidates:
            if text_contains is not None and text_contains not in msg.text:
                continue
            data = _callback_data(msg, button_text)
            if data is not None:
                return self.press(chat_id, from_user, msg, data)
        raise LookupError(
            f"no callback button {button_text!r} in chat {chat_id}"
            + (f" on message {message_id}" if message_id is not None else "")
            + (f" on a message containing {text_contains!r}" if text_contains else "")
            + "; buttons on live bot messages: "
            + (_describe_buttons(candidates) or "none")
        )

    async def press_callback(
        self, chat_id: int, from_user: int, message_id: int, data: str
    ) -> str:
        """Send arbitrary (forged or stale) callback data from a message."""
        msg = self.get_chat(chat_id).messages.get(message_id)
        if msg is None or msg.deleted:
            raise LookupError(f"message {message_id} in chat {chat_id} is missing or deleted")
        return self.press(chat_id, from_user, msg, data)

    def make_inaccessible(self, chat_id: int, message_id: int) -> None:
        """From now on, taps on this message's buttons arrive as Telegram sends them for an
        old message: an InaccessibleMessage with only the chat, the id and date 0."""
        msg = self.get_chat(chat_id).messages.get(message_id)
        if msg is None:
            raise LookupError(f"message {message_id} in chat {chat_id} is missing")
        msg.inaccessible = True

    # --- waiting -----------------------------------------------------------------------

    def mark(self) -> int:
        """A point in time for ``wait_for(..., since=...)``."""
        return self.seq

    async def _until(self, probe: Callable[[], Any], timeout: float) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = probe()
            if found is not None:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def wait_for(
        self,
        chat_id: int,
        contains: Matcher,
        timeout: float = 10.0,
        *,
        since: int | None = None,
    ) -> dict[str, Any]:
        """Wait for a bot message, sent or edited after ``since`` (default: the latest
        simulated human action), that contains ``contains`` or satisfies it."""
        mark = self.action_mark if since is None else since
        match: Callable[[dict[str, Any]], bool]
        if isinstance(contains, str):
            needle = contains
            match = lambda entry: needle in entry["text"]  # noqa: E731
        else:
            match = contains

        def probe() -> dict[str, Any] | None:
            chat = self.chats.get(chat_id)
            if chat is None:
                return None
            for msg in chat.messages.values():
                if msg.is_bot and not msg.deleted and msg.seq > mark:
                    entry = msg.entry()
                    if match(entry):
                        return entry
            return None

        found = await self._until(probe, timeout)
        if found is None:
            raise AssertionError(
                f"no bot message matching {contains!r} in chat {chat_id} within {timeout}s;"
                f" transcript:\n{self.format_transcript(chat_id)}"
            )
        return dict(found)

    async def wait_callback_answer(self, cq: str, timeout: float = 10.0) -> dict[str, Any]:
        found = await self._until(lambda: self.callback_answers.get(cq), timeout)
        if found is None:
            raise AssertionError(f"callback query {cq} was not answered within {timeout}s")
        return dict(found)

    @property
    def webhook_attempts(self) -> list[Attempt]:
        """Every POST of an update to a webhook, oldest first: update_id, status (0: no
        answer), when."""
        return list(self.api.hooks.attempts)

    def on_webhook_answer(self, observer: Callable[[Attempt], None]) -> None:
        """Call ``observer`` with each webhook attempt the moment the bot has answered it."""
        self.api.hooks.observers.append(observer)

    @property
    def webhook_policy(self) -> WebhookPolicy:
        """The pauses between webhook attempts (Telegram's are longer; tests want short)."""
        return self.api.hooks.policy

    async def wait_delivered(self, timeout: float = 10.0, token: str | None = None) -> None:
        """Wait until the bot confirmed every update sent to it: by getUpdates' offset, or by
        a 2xx answer to the webhook's POST."""
        bot = self.bot(token)

        def probe() -> bool | None:
            return True if not bot.updates else None

        if await self._until(probe, timeout) is None:
            raise AssertionError(f"{len(bot.updates)} updates still unconfirmed after {timeout}s")

    def format_transcript(self, chat_id: int) -> str:
        if chat_id not in self.chats:
            return "  (no such chat)"
        lines = []
        for e in self.transcript(chat_id):
            who = "BOT" if e["is_bot"] else str(e["from_id"])
            flags = "".join(
                [
                    f" buttons={e['buttons']}" if e["buttons"] else "",
                    f" edits={e['edits']}" if e["edits"] else "",
                    " DELETED" if e["deleted"] else "",
                    f" document={e['document']}" if e["document"] else "",
                    f" photo={e['photo']}" if e["photo"] else "",
                ]
            )
            lines.append(f"  #{e['message_id']} {who}: {e['text']!r}{flags}")
        return "\n".join(lines) or "  (empty)"

    # --- misc --------------------------------------------------------------------------

    @property
    def commands(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """setMyCommands of the default bot, keyed by (scope, language_code).

        The scope key is its type, plus ":chat_id" / ":user_id" when it has them,
        e.g. ("default", ""), ("all_group_chats", "zh"), ("chat:-1001", "")."""
        if self.default_token is None:
            return {}
        return dict(self.bot().commands)

    def chat(self, chat_id: int) -> dict[str, Any]:
        return self.chat_info(chat_id)

    def reset(self, keep_bots: bool = True) -> None:
        """Forget everything (users, chats, updates, stats, faults); keep bot accounts."""
        old_bots = dict(self.bots)
        default = self.default_token
        changed = self._changed
        super().__init__(self.limiter)
        self.limiter.reset()
        for bot in old_bots.values():
            self.api.hooks.stop(bot.token)
            bot.poll_seq += 1
            bot.notify()
        if keep_bots:
            for token, bot in old_bots.items():
                self.bots[token] = BotAccount(token=token, user=dict(bot.user))
            self.default_token = default
        changed.set()


def _callback_data(msg: StoredMessage, text: str) -> str | None:
    for row in (msg.reply_markup or {}).get("inline_keyboard") or []:
        for button in row:
            if button.get("text") == text and "callback_data" in button:
                return str(button["callback_data"])
    return None


def _describe_buttons(messages: list[StoredMessage]) -> str:
    parts = []
    for msg in messages:
        rows = (msg.reply_markup or {}).get("inline_keyboard") or []
        texts = [b.get("text") for row in rows for b in row if "callback_data" in b]
        if texts:
            parts.append(f"#{msg.message_id} {msg.text[:40]!r}: {texts}")
    return "; ".join(parts)
