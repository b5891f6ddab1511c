"""The Bot API methods, answering with Telegram's JSON shapes and error texts."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .html import HtmlParseError, parse_html
from .state import (
    BotAccount,
    ChatState,
    StoredMessage,
    World,
    is_inline,
    member_dict,
    mentions_of,
    shallow_message,
)
from .webhooks import Hooks

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CAPTION = 1024
_JSON_FIELDS = {
    "reply_markup",
    "entities",
    "caption_entities",
    "reply_parameters",
    "link_preview_options",
    "commands",
    "scope",
    "allowed_updates",
}
_INT_FIELDS = {
    "message_id",
    "offset",
    "limit",
    "timeout",
    "reply_to_message_id",
    "user_id",
    "cache_time",
    "message_thread_id",
    "max_connections",
}
_BOOL_FIELDS = {
    "show_alert",
    "disable_notification",
    "protect_content",
    "drop_pending_updates",
    "allow_sending_without_reply",
    "disable_web_page_preview",
}
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_BUTTON_KINDS = frozenset(
    {
        "url",
        "callback_data",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "copy_text",
        "web_app",
        "login_url",
        "pay",
        "callback_game",
    }
)
_TEXT_BUTTON = (
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
)
_QUERY_TOO_OLD = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile's limit for bots on Telegram's own servers


def bad_request(what: str) -> ApiError:
    return ApiError(400, f"Bad Request: {what}")


@dataclass
class Upload:
    filename: str
    content: bytes
    content_type: str


def coerce_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Form fields arrive as strings; give them the types a JSON body would have."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            if key in _JSON_FIELDS:
                try:
                    value = json.loads(value)
                except ValueError as exc:
                    raise bad_request(f"can't parse {key} JSON object") from exc
            elif key in _INT_FIELDS or key == "chat_id":
                if re.fullmatch(r"-?\d+", value.strip()):
                    value = int(value)
                elif key != "chat_id":
                    value = _lenient_int(key, value)
            elif key in _BOOL_FIELDS:
                value = value.strip().lower() in ("true", "1")
        params[key] = value
    return params


def _lenient_int(key: str, value: str) -> int:
    # Some clients send numeric fields such as timeout as "10.0".
    try:
        return int(float(value))
    except ValueError as exc:
        raise bad_request(f"invalid {key} specified") from exc


Handler = Callable[[BotAccount, dict[str, Any], dict[str, Upload]], Awaitable[Any]]


class BotApi:
    def __init__(self, world: World) -> None:
        self.world = world
        self.hooks = Hooks()
        self.methods: dict[str, Handler] = {
            name[len("m_") :].lower(): getattr(self, name)
            for name in dir(self)
            if name.startswith("m_")
        }

    async def call(
        self, token: str, method: str, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        world = self.world
        bot = world.bots.get(token)
        if bot is None:
            raise ApiError(401, "Unauthorized")
        name = method.lower()
        world.stats.calls[method] += 1
        handler = self.methods.get(name)
        if handler is None:
            raise ApiError(404, "Not Found")
        injected = world.faults.take(name)
        if injected.delay:
            await asyncio.sleep(injected.delay)
        if injected.status is not None:
            extra = {"retry_after": injected.retry_after} if injected.retry_after else None
            raise ApiError(injected.status, injected.description, extra)
        return await handler(bot, params, files)

    # --- helpers -----------------------------------------------------------------------

    def access(self, bot: BotAccount, params: dict[str, Any]) -> ChatState:
        """Resolve chat_id the way Telegram checks it before any send."""
        world = self.world
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        chat: ChatState | None = None
        if isinstance(raw, str) and raw.startswith("@"):
            chat = next((c for c in world.chats.values() if c.title == raw[1:]), None)
        elif isinstance(raw, int):
            chat = world.chats.get(raw)
            if chat is None and raw in world.users:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if chat is None:
            raise bad_request("chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.type == "private":
            if chat.id in bot.blocked_by:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat.id not in bot.started_by:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            return chat
        status = chat.bot_status.get(bot.id, "left")
        if status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
        if status not in ("member", "administrator", "creator"):
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        return chat

    def send_faults(self, chat: ChatState) -> None:
        faults = self.world.faults
        if chat.id in faults.kick_on_send:
            faults.kick_on_send.discard(chat.id)
            actor = chat.creator if chat.creator is not None else next(iter(chat.members), 0)
            for token, bot in self.world.bots.items():
                if chat.bot_status.get(bot.id) in ("member", "administrator"):
                    self.world.remove_bot_from_group(chat.id, actor, kicked=True, token=token)
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
        if chat.id in faults.upgrade_on_send:
            faults.upgrade_on_send.discard(chat.id)
            new_id = self.world.upgrade_group(chat.id)
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": new_id},
            )

    def check_rate(self, bot: BotAccount, chat: ChatState) -> float:
        limiter = self.world.limiter
        now = limiter.clock()
        retry = limiter.check(bot.token, chat.id, chat.is_group, now)
        if retry:
            raise ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        return now

    def accepted(self, bot: BotAccount, chat: ChatState, now: float) -> None:
        self.world.limiter.record(bot.token, chat.id, chat.is_group, now)
        self.world.stats.sends.setdefault(chat.id, []).append(now)

    def render(
        self, text: str | None, parse_mode: Any, entities: Any, limit: int, what: str
    ) -> tuple[str, list[dict[str, Any]]]:
        """Return (plain text, entities) or raise Telegram's error for ``text``."""
        if text is None or text == "":
            return "", []
        mode = str(parse_mode or "").upper()
        if mode == "HTML":
            try:
                parsed = parse_html(text)
            except HtmlParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from exc
            plain, ents = parsed.text, parsed.entities
        else:
            # Markdown modes are stored verbatim: the project only uses HTML.
            plain = text
            ents = list(entities) if isinstance(entities, list) else []
        if len(plain) > limit:
            raise bad_request(f"{what} is too long")
        for ent in ents:
            if ent.get("type") == "text_mention" and isinstance(ent.get("user"), dict):
                uid = int(ent["user"]["id"])
                try:
                    ent["user"] = dict(self.world.get_user(uid))
                except LookupError:
                    ent["user"] = {"id": uid, "is_bot": False, "first_name": str(uid)}
        return plain, ents

    def markup(self, raw: Any) -> dict[str, Any] | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        rows = raw.get("inline_keyboard")
        if rows is None:
            return raw
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request("can't parse inline keyboard: expected an Array of Arrays")
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise bad_request("can't parse inline keyboard button: Text must be non-empty")
                if "callback_data" in button:
                    data = button["callback_data"]
                    if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                        raise bad_request("BUTTON_DATA_INVALID")
                elif not _BUTTON_KINDS.intersection(button):
                    raise bad_request(_TEXT_BUTTON)
        return raw

    def reply_target(self, chat: ChatState, params: dict[str, Any]) -> dict[str, Any] | None:
        reply_id = params.get("reply_to_message_id")
        allow = bool(params.get("allow_sending_without_reply"))
        rp = params.get("reply_parameters")
        if isinstance(rp, dict):
            reply_id = rp.get("message_id", reply_id)
            allow = allow or bool(rp.get("allow_sending_without_reply"))
        if reply_id is None:
            return None
        target = chat.messages.get(int(reply_id))
        if target is None or target.deleted:
            if allow:
                return None
            raise bad_request("message to be replied not found")
        return shallow_message(target.data)

    def own_message(
        self, bot: BotAccount, chat: ChatState, params: dict[str, Any], verb: str
    ) -> StoredMessage:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the sandbox")
        try:
            message_id = int(params.get("message_id") or 0)
        except (TypeError, ValueError) as exc:
            raise bad_request("message identifier is not specified") from exc
        msg = chat.messages.get(message_id)
        if msg is None or msg.deleted:
            raise bad_request(f"message to {verb} not found")
        if verb == "edit" and msg.from_id != bot.id:
            raise bad_request("message can't be edited")
        return msg

    # --- methods -----------------------------------------------------------------------

    async def m_getMe(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        return bot.user

    async def m_logOut(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        return True

    async def m_close(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        return True

    async def m_getUpdates(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        if bot.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = max(0, int(params.get("timeout") or 0))
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            bot.allowed_updates = [str(a) for a in allowed] or None
        before = len(bot.updates)
        if isinstance(offset, int) and offset > 0:
            # Confirmed updates are gone for good, as on Telegram.
            bot.updates = [u for u in bot.updates if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            bot.updates = bot.updates[offset:]
        if len(bot.updates) != before:
            self.world.nudge()  # wait_delivered is waiting for exactly this
        bot.poll_seq += 1
        mine = bot.poll_seq
        bot.notify()  # an older long poll for this token gives up
        deadline = time.monotonic() + timeout
        while True:
            ready = self.pending(bot)
            if ready:
                return ready[:limit]
            remaining = deadline - time.monotonic()
            if bot.poll_seq != mine or remaining <= 0:
                return []
            wake = bot.wake
            try:
                await asyncio.wait_for(wake.wait(), remaining)
            except TimeoutError:
                return []

    def pending(self, bot: BotAccount) -> list[dict[str, Any]]:
        allowed = bot.allowed_updates
        if allowed is None:
            # Telegram's default leaves out chat_member and reactions, none of which we emit.
            return bot.updates
        keep = [u for u in bot.updates if any(k in u for k in allowed)]
        if len(keep) != len(bot.updates):
            bot.updates = keep
            self.world.nudge()
        return keep

    async def m_setWebhook(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        url = str(params.get("url") or "")
        if not url:
            return await self.m_deleteWebhook(bot, params, files)
        if not url.startswith(("https://", "http://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            bot.allowed_updates = [str(a) for a in allowed] or None
        if params.get("drop_pending_updates"):
            bot.updates.clear()
        bot.webhook = {"url": url, **{k: v for k, v in params.items() if k != "url"}}
        self.hooks.start(self, bot)
        return True

    async def m_deleteWebhook(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        bot.webhook = None
        self.hooks.stop(bot.token)
        if params.get("drop_pending_updates"):
            bot.updates.clear()
        return True

    async def m_getWebhookInfo(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        hook = bot.webhook or {}
        info: dict[str, Any] = {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(bot.updates),
        }
        for key in ("last_error_date", "last_error_message", "max_connections"):
            if key in hook:
                info[key] = hook[key]
        if hook and bot.allowed_updates is not None:
            info["allowed_updates"] = list(bot.allowed_updates)
        return info

    def message_text(self, params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        """A message's text as Telegram checks it: parsed, measured, not blank."""
        text = params.get("text")
        plain, entities = self.render(
            text if isinstance(text, str) else None,
            params.get("parse_mode"),
            params.get("entities"),
            MAX_TEXT,
            "message",
        )
        if not plain.strip():
            raise bad_request("message text is empty")
        return plain, entities

    async def m_sendMessage(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        chat = self.access(bot, params)
        self.send_faults(chat)
        plain, entities = self.message_text(params)
        markup = self.markup(params.get("reply_markup"))
        reply = self.reply_target(chat, params)
        now = self.check_rate(bot, chat)
        fields: dict[str, Any] = {"text": plain}
        if entities:
            fields["entities"] = entities
        stored = self.keep(bot, chat, fields, markup, reply, params, str(params.get("text")),
                           plain)
        self.accepted(bot, chat, now)
        return self.public(stored)

    def keep(self, bot: BotAccount, chat: ChatState, fields: dict[str, Any], markup: Any,
             reply: Any, params: dict[str, Any], html: str | None, plain: str
             ) -> StoredMessage:
        """Store a message the bot sent, with its keyboard and the message it replies to."""
        if markup is not None:
            fields["reply_markup"] = markup
        if reply is not None:
            fields["reply_to_message"] = reply
        return self.world.store(chat, bot.user, fields, html=html, text=plain,
                                parse_mode=params.get("parse_mode"), token=bot.token)

    @staticmethod
    def public(stored: StoredMessage) -> dict[str, Any]:
        return dict(stored.data)

    async def _send_file(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload], kind: str
    ) -> Any:
        chat = self.access(bot, params)
        self.send_faults(chat)
        upload = self.resolve_file(params.get(kind), files.get(kind), files)
        if upload is None:
            raise bad_request(f"there is no {kind} in the request")
        caption = params.get("caption")
        plain, entities = self.render(
            caption if isinstance(caption, str) else None,
            params.get("parse_mode"),
            params.get("caption_entities"),
            MAX_CAPTION,
            "message caption",
        )
        markup = self.markup(params.get("reply_markup"))
        reply = self.reply_target(chat, params)
        now = self.check_rate(bot, chat)
        file_id = "F" + hashlib.sha1(upload.content + upload.filename.encode()).hexdigest()[:30]
        self.world.files[file_id] = {
            "filename": upload.filename,
            "size": len(upload.content),
            "content": upload.content,
            "mime_type": upload.content_type,
            "caption": plain,
        }
        fields: dict[str, Any] = {}
        if kind == "document":
            fields["document"] = {
                "file_id": file_id,
                "file_unique_id": file_id[:16],
                "file_name": upload.filename,
                "mime_type": upload.content_type,
                "file_size": len(upload.content),
            }
        else:
            fields["photo"] = [
                {
                    "file_id": file_id,
                    "file_unique_id": file_id[:16],
                    "width": 800,
                    "height": 600,
                    "file_size": len(upload.content),
                }
            ]
        if plain:
            fields["caption"] = plain
        if entities:
            fields["caption_entities"] = entities
        stored = self.keep(bot, chat, fields, markup, reply, params,
                           caption if isinstance(caption, str) else None, plain)
        if kind == "document":
            stored.document = upload.filename
        else:
            stored.photo = upload.filename
        self.accepted(bot, chat, now)
        return self.public(stored)

    def resolve_file(
        self, value: Any, direct: Upload | None, files: dict[str, Upload]
    ) -> Upload | None:
        if direct is not None:
            return direct
        if not isinstance(value, str) or not value:
            return None
        if value.startswith("attach://"):
            return files.get(value[len("attach://") :])
        known = self.world.files.get(value)
        if known is not None:
            return Upload(str(known["filename"]), bytes(known["content"]), str(known["mime_type"]))
        if not value.startswith(("http://", "https://")):
            # Telegram sends again only files it has seen: a made-up file_id is refused.
            raise bad_request("wrong file identifier/HTTP URL specified")
        name = value.rsplit("/", 1)[-1] or "file"
        return Upload(name, b"", "application/octet-stream")

    async def m_getFile(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        """As Telegram: a file_path for the download URL; bots may fetch at most 20 MB."""
        file_id = params.get("file_id")
        known = self.world.files.get(file_id) if isinstance(file_id, str) else None
        if known is None:
            raise bad_request("invalid file_id")
        if int(known["size"]) > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        assert isinstance(file_id, str)
        suffix = str(known["filename"]).rpartition(".")[2][:8]
        path = f"documents/file_{len(self.world.file_paths)}.{suffix or 'bin'}"
        self.world.file_paths[path] = file_id
        return {"file_id": file_id, "file_unique_id": file_id[:16],
                "file_size": int(known["size"]), "file_path": path}

    async def m_sendDocument(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        return await self._send_file(bot, params, files, "document")

    async def m_sendPhoto(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        return await self._send_file(bot, params, files, "photo")

    async def m_editMessageText(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        chat = self.access(bot, params)
        msg = self.own_message(bot, chat, params, "edit")
        if "text" not in msg.data:
            raise bad_request("there is no text in the message to edit")
        plain, entities = self.message_text(params)
        markup = self.markup(params.get("reply_markup"))
        if (
            plain == msg.data.get("text")
            and entities == (msg.data.get("entities") or [])
            and markup == msg.reply_markup
        ):
            raise self.not_modified()
        now = self.check_rate(bot, chat)
        msg.data["text"] = plain
        self.replace(msg.data, "entities", entities or None)
        self.replace(msg.data, "reply_markup", markup if is_inline(markup) else None)
        msg.html = str(params.get("text"))
        msg.text = plain
        msg.parse_mode = params.get("parse_mode")
        msg.mentions = mentions_of(entities)
        return self.edited(bot, chat, msg, markup, now)

    async def m_editMessageReplyMarkup(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        chat = self.access(bot, params)
        msg = self.own_message(bot, chat, params, "edit")
        markup = self.markup(params.get("reply_markup"))
        if markup == msg.reply_markup:
            raise self.not_modified()
        now = self.check_rate(bot, chat)
        self.replace(msg.data, "reply_markup", markup if is_inline(markup) else None)
        return self.edited(bot, chat, msg, markup, now)

    @staticmethod
    def not_modified() -> ApiError:
        return bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )

    @staticmethod
    def replace(data: dict[str, Any], key: str, value: Any) -> None:
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value

    def edited(
        self,
        bot: BotAccount,
        chat: ChatState,
        msg: StoredMessage,
        markup: dict[str, Any] | None,
        now: float,
    ) -> dict[str, Any]:
        msg.reply_markup = markup
        msg.data["edit_date"] = int(time.time())
        msg.edits += 1
        msg.seq = self.world.touch()
        self.accepted(bot, chat, now)
        return self.public(msg)

    async def m_deleteMessage(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        chat = self.access(bot, params)
        msg = self.own_message(bot, chat, params, "delete")
        allowed = (
            msg.from_id == bot.id
            or chat.type == "private"
            or chat.bot_status.get(bot.id) == "administrator"
        )
        if not allowed:
            raise bad_request("message can't be deleted")
        msg.deleted = True
        msg.seq = self.world.touch()
        return True

    def may_pin(self, bot: BotAccount, chat: ChatState) -> bool:
        """In a group the bot pins only as an administrator allowed to pin messages."""
        if chat.type == "private":
            return True
        status = chat.bot_status.get(bot.id)
        if status == "creator":
            return True
        return status == "administrator" and chat.rights.get(bot.id, {}).get(
            "can_pin_messages", True)

    async def m_pinChatMessage(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        chat = self.access(bot, params)
        msg = self.own_message(bot, chat, params, "pin")
        if not self.may_pin(bot, chat):
            raise bad_request("not enough rights to manage pinned messages in the chat")
        if msg.message_id in chat.pinned:
            chat.pinned.remove(msg.message_id)
        chat.pinned.append(msg.message_id)
        self.world.touch()
        return True

    async def m_unpinChatMessage(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        chat = self.access(bot, params)
        if not self.may_pin(bot, chat):
            raise bad_request("not enough rights to manage pinned messages in the chat")
        if params.get("message_id") is None:
            if chat.pinned:
                chat.pinned.pop()
        else:
            msg = self.own_message(bot, chat, params, "unpin")
            if msg.message_id in chat.pinned:
                chat.pinned.remove(msg.message_id)
        self.world.touch()
        return True

    async def m_answerCallbackQuery(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self.world.callback_queries or query_id in self.world.callback_answers:
            raise ApiError(400, _QUERY_TOO_OLD)
        text = params.get("text")
        if isinstance(text, str) and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self.world.callback_answers[query_id] = {
            "text": text,
            "show_alert": bool(params.get("show_alert")),
            "url": params.get("url"),
            "cache_time": params.get("cache_time"),
            "answered_at": time.time(),  # for measuring how long a tap waited
        }
        self.world.touch()
        return True

    @staticmethod
    def scope_key(scope: Any) -> str:
        if not isinstance(scope, dict):
            return "default"
        parts = [str(scope.get("type", "default"))]
        parts += [str(scope[k]) for k in ("chat_id", "user_id") if k in scope]
        return ":".join(parts)

    async def m_setMyCommands(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        for cmd in commands:
            if not isinstance(cmd, dict) or not _COMMAND_NAME.match(str(cmd.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (self.scope_key(params.get("scope")), str(params.get("language_code") or ""))
        bot.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def m_getMyCommands(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        key = (self.scope_key(params.get("scope")), str(params.get("language_code") or ""))
        return bot.commands.get(key, [])

    async def m_deleteMyCommands(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        key = (self.scope_key(params.get("scope")), str(params.get("language_code") or ""))
        bot.commands.pop(key, None)
        return True

    async def m_sendChatAction(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        self.access(bot, params)
        return True

    async def m_leaveChat(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        chat = self.access(bot, params)
        if chat.type == "private":
            raise bad_request("chat member status can't be changed in private chats")
        old = chat.bot_status.get(bot.id, "left")
        chat.bot_status[bot.id] = "left"
        self.world.emit_my_chat_member(bot, chat, bot.user, old, "left")
        self.world.touch()
        return True

    async def m_getChat(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        chat = self.access(bot, params)
        info = chat.as_dict()
        info.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return info

    def status_of(self, chat: ChatState, user_id: int) -> str:
        if any(b.id == user_id for b in self.world.bots.values()):
            return chat.bot_status.get(user_id, "left")
        if chat.type == "private":
            return "member" if user_id == chat.id else "left"
        if user_id == chat.creator:
            return "creator"
        if user_id in chat.admins and user_id in chat.members:
            return "administrator"
        return "member" if user_id in chat.members else "left"

    async def m_getChatMember(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        chat = self.access(bot, params)
        user_id = params.get("user_id")
        try:
            user = self.world.get_user(int(user_id or 0))
        except (LookupError, ValueError) as exc:
            raise bad_request("user not found") from exc
        return member_dict(user, self.status_of(chat, user["id"]), chat.rights.get(user["id"]))

    async def m_getChatAdministrators(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        chat = self.access(bot, params)
        if chat.type == "private":
            raise bad_request("there are no administrators in the private chat")
        ids = ([chat.creator] if chat.creator is not None else []) + sorted(chat.admins)
        ids += [
            b.id for b in self.world.bots.values() if chat.bot_status.get(b.id) == "administrator"
        ]
        seen: list[int] = []
        for uid in ids:
            if uid not in seen and self.status_of(chat, uid) in ("creator", "administrator"):
                seen.append(uid)
        return [member_dict(self.world.get_user(uid), self.status_of(chat, uid),
                            chat.rights.get(uid)) for uid in seen]

    async def m_getChatMemberCount(
        self, bot: BotAccount, params: dict[str, Any], files: dict[str, Upload]
    ) -> Any:
        chat = self.access(bot, params)
        bots = sum(1 for s in chat.bot_status.values() if s in ("member", "administrator"))
        return len(chat.members) + bots
