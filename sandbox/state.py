"""Users, chats, messages and per-bot update queues: everything the fake Telegram knows."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .faults import Faults
from .html import strip_html, utf16_len
from .limits import RateLimiter

log = logging.getLogger(__name__)

ANONYMOUS_ADMIN_ID = 1087968824
GROUP_ANONYMOUS_BOT: dict[str, Any] = {
    "id": ANONYMOUS_ADMIN_ID,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_IN_CHAT = ("member", "administrator", "creator")
_GET_ME_ONLY = ("can_join_groups", "can_read_all_group_messages", "supports_inline_queries")


@dataclass
class BotAccount:
    token: str
    user: dict[str, Any]
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 1
    poll_seq: int = 0
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    webhook: dict[str, Any] | None = None
    commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    allowed_updates: list[str] | None = None
    started_by: set[int] = field(default_factory=set)
    blocked_by: set[int] = field(default_factory=set)

    @property
    def id(self) -> int:
        return int(self.user["id"])

    def notify(self) -> None:
        self.wake.set()
        self.wake = asyncio.Event()


@dataclass
class StoredMessage:
    message_id: int
    chat_id: int
    data: dict[str, Any]
    from_id: int
    is_bot: bool
    html: str | None
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None = None
    mentions: list[int] = field(default_factory=list)
    edits: int = 0
    deleted: bool = False
    document: str | None = None
    photo: str | None = None
    seq: int = 0
    token: str | None = None  # the bot that sent it
    # Telegram stops showing the bot an old message: taps on its buttons then carry an
    # InaccessibleMessage (chat, id, date 0) instead of the message.
    inaccessible: bool = False

    def entry(self) -> dict[str, Any]:
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or []
        reply = self.data.get("reply_to_message")
        return {
            "message_id": self.message_id,
            "from_id": self.from_id,
            "is_bot": self.is_bot,
            "text": self.text,
            "html": self.html,
            "parse_mode": self.parse_mode,
            "reply_markup": self.reply_markup,
            "buttons": [[str(b.get("text", "")) for b in row] for row in rows],
            "force_reply": bool(markup.get("force_reply")),
            "reply_to": reply["message_id"] if reply else None,
            "mentions": list(self.mentions),
            "edits": self.edits,
            "deleted": self.deleted,
            "date": self.data["date"],
            "document": self.document,
            "photo": self.photo,
            "caption": self.data.get("caption"),
        }


@dataclass
class ChatState:
    id: int
    type: str  # private, group, supergroup
    title: str | None = None
    user: dict[str, Any] | None = None  # the other side of a private chat
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    creator: int | None = None
    bot_status: dict[int, str] = field(default_factory=dict)
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    migrated_to: int | None = None
    migrated_from: int | None = None
    # Pinned messages, oldest first (Telegram shows the newest on top).
    pinned: list[int] = field(default_factory=list)
    # An administrator's rights that differ from the defaults (all granted), e.g. a bot made
    # admin without can_pin_messages.
    rights: dict[int, dict[str, bool]] = field(default_factory=dict)

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def as_dict(self) -> dict[str, Any]:
        if self.type == "private" and self.user is not None:
            chat = {"id": self.id, "type": "private", "first_name": self.user["first_name"]}
            for key in ("last_name", "username"):
                if self.user.get(key):
                    chat[key] = self.user[key]
            return chat
        return {"id": self.id, "type": self.type, "title": self.title or ""}


@dataclass
class Stats:
    calls: Counter[str] = field(default_factory=Counter)
    sends: dict[int, list[float]] = field(default_factory=dict)
    too_many_requests: int = 0
    too_many_requests_by_chat: Counter[int] = field(default_factory=Counter)
    errors: Counter[int] = field(default_factory=Counter)

    def reset(self) -> None:
        self.calls.clear()
        self.sends.clear()
        self.too_many_requests = 0
        self.too_many_requests_by_chat.clear()
        self.errors.clear()

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": dict(self.calls),
            "sends": {str(k): v for k, v in self.sends.items()},
            "too_many_requests": self.too_many_requests,
            "too_many_requests_by_chat": {
                str(k): v for k, v in self.too_many_requests_by_chat.items()
            },
            "errors": {str(k): v for k, v in self.errors.items()},
        }


ADMIN_RIGHTS = ("can_pin_messages",)  # rights an administrator may be given or denied


def member_dict(user: dict[str, Any], status: str,
                rights: dict[str, bool] | None = None) -> dict[str, Any]:
    """A ChatMember object with every field aiogram requires for ``status``."""
    if status == "creator":
        return {"status": "creator", "user": user, "is_anonymous": False}
    if status == "administrator":
        flags = [
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
            "can_send_welcome_messages",
        ]
        result: dict[str, Any] = {"status": "administrator", "user": user}
        result.update(dict.fromkeys(flags, True))
        result.update(dict.fromkeys(ADMIN_RIGHTS, True), **(rights or {}))
        result.update(can_be_edited=False, is_anonymous=False, can_promote_members=False)
        return result
    if status == "kicked":
        return {"status": "kicked", "user": user, "until_date": 0}
    if status in ("member", "left"):
        return {"status": status, "user": user}
    raise ValueError(f"unknown member status {status!r}")


class World:
    """The synchronous core; :class:`sandbox.Sandbox` adds HTTP and waiting on top."""

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter
        self.faults = Faults()
        self.stats = Stats()
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, ChatState] = {}
        self.bots: dict[str, BotAccount] = {}
        self.default_token: str | None = None
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.file_paths: dict[str, str] = {}  # getFile's file_path -> file_id
        self.seq = 0  # bumps on every visible change, for waiters
        self.action_mark = 0  # seq at the latest simulated human action
        self._changed = asyncio.Event()
        self._ids = itertools.count(1)

    # --- bookkeeping -------------------------------------------------------------------

    def touch(self) -> int:
        self.seq += 1
        self.nudge()
        return self.seq

    def nudge(self) -> None:
        """Wake the waiters for a change no transcript shows, such as updates confirmed."""
        self._changed.set()
        self._changed = asyncio.Event()

    def bot(self, token: str | None = None) -> BotAccount:
        token = token or self.default_token
        if token is None or token not in self.bots:
            raise LookupError("no bot registered; call create_bot() first")
        return self.bots[token]

    def get_chat(self, chat_id: int) -> ChatState:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise LookupError(f"chat {chat_id} does not exist in the sandbox")
        return chat

    def get_user(self, user_id: int) -> dict[str, Any]:
        if user_id == ANONYMOUS_ADMIN_ID:
            return GROUP_ANONYMOUS_BOT
        for bot in self.bots.values():
            if bot.id == user_id:
                return bot.user
        user = self.users.get(user_id)
        if user is None:
            raise LookupError(f"user {user_id} does not exist; call add_user() first")
        return user

    # --- setup -------------------------------------------------------------------------

    def create_bot(
        self,
        token: str = "123:ABC",
        username: str = "rescue_bot",
        first_name: str = "联调联战",
    ) -> dict[str, Any]:
        bot_id = int(token.split(":", 1)[0])
        user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.bots[token] = BotAccount(token=token, user=user)
        if self.default_token is None:
            self.default_token = token
        return dict(user)

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "zh-hans",
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        return dict(user)

    def new_group_id(self, supergroup: bool) -> int:
        n = next(self._ids)
        return -(1_000_000_000_000 + 1_500_000_000 + n) if supergroup else -(4_100_000_000 + n)

    def create_group(
        self,
        title: str,
        members: list[int],
        *,
        chat_id: int | None = None,
        supergroup: bool = False,
        admins: list[int] | None = None,
    ) -> int:
        for uid in members:
            self.get_user(uid)
        gid = chat_id if chat_id is not None else self.new_group_id(supergroup)
        if gid >= 0:
            raise ValueError("group chat ids are negative")
        if gid in self.chats:
            raise ValueError(f"chat {gid} already exists")
        creator = members[0] if members else None
        chat = ChatState(
            id=gid,
            type="supergroup" if supergroup else "group",
            title=title,
            members=set(members),
            admins=set(admins or []),
            creator=creator,
        )
        self.chats[gid] = chat
        self.touch()
        return gid

    def private_chat(self, user_id: int) -> ChatState:
        chat = self.chats.get(user_id)
        if chat is None:
            chat = ChatState(id=user_id, type="private", user=self.get_user(user_id))
            chat.members.add(user_id)
            self.chats[user_id] = chat
        return chat

    def add_member(self, chat_id: int, user_id: int) -> None:
        chat = self.get_chat(chat_id)
        user = self.get_user(user_id)
        if user_id in chat.members:
            return
        chat.members.add(user_id)
        self.post_service(chat, user_id, new_chat_members=[user])

    def remove_member(self, chat_id: int, user_id: int) -> None:
        chat = self.get_chat(chat_id)
        user = self.get_user(user_id)
        chat.members.discard(user_id)
        chat.admins.discard(user_id)
        self.post_service(chat, user_id, left_chat_member=user)

    def set_admin(self, chat_id: int, user_id: int, admin: bool = True,
                  can_pin_messages: bool = True) -> None:
        """Make a person or a bot an administrator of the group (or not); an administrator
        may be denied the right to pin messages."""
        chat = self.get_chat(chat_id)
        if admin and not can_pin_messages:
            chat.rights[user_id] = {"can_pin_messages": False}
        else:
            chat.rights.pop(user_id, None)
        if any(b.id == user_id for b in self.bots.values()):
            current = chat.bot_status.get(user_id, "left")
            if current in _IN_CHAT:
                chat.bot_status[user_id] = "administrator" if admin else "member"
            return
        if admin:
            chat.admins.add(user_id)
        else:
            chat.admins.discard(user_id)

    def add_bot_to_group(self, chat_id: int, by_user: int, token: str | None = None) -> None:
        chat = self.get_chat(chat_id)
        bot = self.bot(token)
        by = self.get_user(by_user)
        old = chat.bot_status.get(bot.id, "left")
        chat.bot_status[bot.id] = "member"
        self.emit_my_chat_member(bot, chat, by, old, "member")
        self.post_service(chat, by_user, new_chat_members=[bot.user])

    def remove_bot_from_group(
        self, chat_id: int, by_user: int, kicked: bool = True, token: str | None = None
    ) -> None:
        chat = self.get_chat(chat_id)
        bot = self.bot(token)
        by = self.get_user(by_user)
        old = chat.bot_status.get(bot.id, "left")
        new = "kicked" if kicked else "left"
        chat.bot_status[bot.id] = new
        self.emit_my_chat_member(bot, chat, by, old, new)
        self.touch()

    def block_bot(self, user_id: int, token: str | None = None, blocked: bool = True) -> None:
        bot = self.bot(token)
        user = self.get_user(user_id)
        chat = self.private_chat(user_id)
        if blocked:
            bot.blocked_by.add(user_id)
            self.emit_my_chat_member(bot, chat, user, "member", "kicked")
        else:
            bot.blocked_by.discard(user_id)
            self.emit_my_chat_member(bot, chat, user, "kicked", "member")

    def upgrade_group(self, chat_id: int) -> int:
        old = self.get_chat(chat_id)
        if old.type != "group":
            raise ValueError(f"chat {chat_id} is a {old.type}, only groups can be upgraded")
        new_id = self.new_group_id(supergroup=True)
        new = ChatState(
            id=new_id,
            type="supergroup",
            title=old.title,
            members=set(old.members),
            admins=set(old.admins),
            creator=old.creator,
            bot_status=dict(old.bot_status),
            migrated_from=chat_id,
        )
        self.chats[new_id] = new
        actor = old.creator if old.creator is not None else ANONYMOUS_ADMIN_ID
        self.post_service(old, actor, migrate_to_chat_id=new_id)
        old.migrated_to = new_id
        self.post_service(new, actor, migrate_from_chat_id=chat_id)
        log.info("sandbox: group %s upgraded to supergroup %s", chat_id, new_id)
        return new_id

    # --- messages and updates ----------------------------------------------------------

    def emit(self, bot: BotAccount, kind: str, payload: dict[str, Any]) -> None:
        bot.updates.append({"update_id": bot.next_update_id, kind: payload})
        bot.next_update_id += 1
        bot.notify()

    def emit_my_chat_member(
        self, bot: BotAccount, chat: ChatState, by: dict[str, Any], old: str, new: str
    ) -> None:
        self.emit(
            bot,
            "my_chat_member",
            {
                "chat": chat.as_dict(),
                "from": by,
                "date": int(time.time()),
                "old_chat_member": member_dict(bot.user, old),
                "new_chat_member": member_dict(bot.user, new),
            },
        )

    def store(
        self,
        chat: ChatState,
        sender: dict[str, Any],
        fields: dict[str, Any],
        *,
        html: str | None = None,
        text: str = "",
        parse_mode: str | None = None,
        token: str | None = None,
    ) -> StoredMessage:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        data: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.as_dict(),
            "from": {k: v for k, v in sender.items() if k not in _GET_ME_ONLY},
        }
        data.update(fields)
        markup = fields.get("reply_markup")
        if not is_inline(markup):
            # Telegram echoes only inline keyboards back inside Message objects.
            data.pop("reply_markup", None)
        reply = fields.get("reply_to_message")
        stored = StoredMessage(
            message_id=message_id,
            chat_id=chat.id,
            data=data,
            from_id=int(sender["id"]),
            # GroupAnonymousBot is a bot to Telegram, but a human typed that message.
            is_bot=token is not None,
            html=html,
            text=text,
            parse_mode=parse_mode,
            reply_markup=markup if isinstance(markup, dict) else None,
            mentions=mentions_of(fields.get("entities") or fields.get("caption_entities") or []),
            token=token,
        )
        if reply is not None:
            stored.data["reply_to_message"] = reply
        chat.messages[message_id] = stored
        stored.seq = self.touch()
        return stored

    def post_service(self, chat: ChatState, actor: int, **fields: Any) -> StoredMessage:
        stored = self.store(chat, self.get_user(actor), fields)
        # Service messages bypass privacy mode.
        for bot in self.bots.values():
            if chat.bot_status.get(bot.id) in _IN_CHAT:
                self.emit(bot, "message", stored.data)
        return stored

    def user_message(
        self,
        chat_id: int,
        from_user: int,
        text: str,
        *,
        reply_to: int | None = None,
        anonymous_admin: bool = False,
        token: str | None = None,
    ) -> dict[str, Any]:
        user = self.get_user(from_user)
        if chat_id == from_user:
            chat = self.private_chat(from_user)
        else:
            chat = self.get_chat(chat_id)
            if chat.migrated_to is not None:
                raise ValueError(
                    f"chat {chat_id} was upgraded to supergroup {chat.migrated_to}; use that id"
                )
        self.action_mark = self.seq
        fields: dict[str, Any] = {"text": text}
        entities = command_entities(text)
        if entities:
            fields["entities"] = entities
        if reply_to is not None:
            target = chat.messages.get(reply_to)
            if target is None or target.deleted:
                raise LookupError(f"message {reply_to} not found in chat {chat.id}")
            fields["reply_to_message"] = shallow_message(target.data)
        sender = user
        if anonymous_admin:
            sender = GROUP_ANONYMOUS_BOT
            fields["sender_chat"] = chat.as_dict()
        stored = self.store(chat, sender, fields, html=text, text=text)
        return self.deliver_from_user(chat, stored, from_user, token)

    def deliver_from_user(self, chat: ChatState, stored: StoredMessage, from_user: int,
                          token: str | None) -> dict[str, Any]:
        """A person's message reaches the bot of a private chat (unless blocked), or every bot
        a group's privacy mode lets see it."""
        if chat.type == "private":
            bot = self.bot(token)
            bot.started_by.add(from_user)
            if from_user not in bot.blocked_by:
                self.emit(bot, "message", stored.data)
            return stored.data
        for bot in self.bots.values():
            if self.bot_sees(bot, chat, stored):
                self.emit(bot, "message", stored.data)
        return stored.data

    def user_photo(
        self,
        chat_id: int,
        from_user: int,
        caption: str = "",
        *,
        reply_to: int | None = None,
        filename: str = "photo.jpg",
        content: bytes = b"\xff\xd8\xff photo",
        token: str | None = None,
    ) -> dict[str, Any]:
        """A person sends a photo (with a caption, perhaps a command); the file is kept, so
        the bot may send it again by its file_id."""
        if len(caption) > 1024:
            raise ValueError("a photo's caption holds at most 1024 characters")
        user = self.get_user(from_user)
        chat = self.private_chat(from_user) if chat_id == from_user else self.get_chat(chat_id)
        self.action_mark = self.seq
        file_id = "AgAC" + hashlib.sha1(content + filename.encode()).hexdigest()[:30]
        self.files[file_id] = {"filename": filename, "size": len(content), "content": content,
                               "mime_type": "image/jpeg", "caption": caption}
        fields: dict[str, Any] = {"photo": [
            {"file_id": file_id, "file_unique_id": file_id[:16], "width": 1280,
             "height": 960, "file_size": len(content)}]}
        if caption:
            fields["caption"] = caption
            entities = command_entities(caption)
            if entities:
                fields["caption_entities"] = entities
        if reply_to is not None:
            target = chat.messages.get(reply_to)
            if target is None or target.deleted:
                raise LookupError(f"message {reply_to} not found in chat {chat.id}")
            fields["reply_to_message"] = shallow_message(target.data)
        # The caption stands for the text: privacy mode reads a command in it the same way.
        stored = self.store(chat, user, fields, html=caption, text=caption)
        stored.photo = filename
        return self.deliver_from_user(chat, stored, from_user, token)

    def user_document(
        self,
        chat_id: int,
        from_user: int,
        content: bytes,
        filename: str = "file.yaml",
        caption: str = "",
        *,
        mime_type: str = "application/octet-stream",
        token: str | None = None,
    ) -> dict[str, Any]:
        """A person sends a file as a document; the bot may fetch it with getFile and the file
        download URL, as from Telegram."""
        if len(caption) > 1024:
            raise ValueError("a document's caption holds at most 1024 characters")
        user = self.get_user(from_user)
        chat = self.private_chat(from_user) if chat_id == from_user else self.get_chat(chat_id)
        self.action_mark = self.seq
        file_id = "BQAC" + hashlib.sha1(content + filename.encode()).hexdigest()[:30]
        self.files[file_id] = {"filename": filename, "size": len(content), "content": content,
                               "mime_type": mime_type, "caption": caption}
        fields: dict[str, Any] = {"document": {
            "file_id": file_id, "file_unique_id": file_id[:16], "file_name": filename,
            "mime_type": mime_type, "file_size": len(content)}}
        if caption:
            fields["caption"] = caption
        stored = self.store(chat, user, fields, html=caption, text=caption)
        stored.document = filename
        return self.deliver_from_user(chat, stored, from_user, token)

    def file_for_download(self, path: str) -> bytes | None:
        """The bytes behind a file_path that getFile handed out, or None."""
        file_id = self.file_paths.get(path)
        known = self.files.get(file_id) if file_id is not None else None
        return bytes(known["content"]) if known is not None else None

    def bot_sees(self, bot: BotAccount, chat: ChatState, msg: StoredMessage) -> bool:
        """Telegram's default privacy mode for groups."""
        status = chat.bot_status.get(bot.id)
        if status not in _IN_CHAT:
            return False
        if status == "administrator":
            return True
        text = msg.text
        if text.startswith("/"):
            first = text.split(maxsplit=1)[0]
            _, _, target = first.partition("@")
            return not target or target.lower() == str(bot.user.get("username", "")).lower()
        reply = msg.data.get("reply_to_message")
        return isinstance(reply, dict) and reply.get("from", {}).get("id") == bot.id

    def press(self, chat_id: int, from_user: int, message: StoredMessage, data: str) -> str:
        user = self.get_user(from_user)
        token = message.token or self.default_token
        bot = self.bot(token)
        self.action_mark = self.seq
        query_id = f"{bot.id}{next(self._ids):08d}"
        query = {
            "id": query_id,
            "from": user,
            "chat_instance": str(abs(hash((chat_id, bot.id))) % 10**18),
            "message": message.data if not message.inaccessible else {
                "chat": message.data["chat"], "message_id": message.message_id, "date": 0},
            "data": data,
        }
        self.callback_queries[query_id] = query
        self.emit(bot, "callback_query", query)
        self.touch()
        return query_id

    def transcript(self, chat_id: int) -> list[dict[str, Any]]:
        return [m.entry() for m in self.get_chat(chat_id).messages.values()]

    def bot_texts(self, chat_id: int) -> list[str]:
        return [
            m.text for m in self.get_chat(chat_id).messages.values() if m.is_bot and not m.deleted
        ]

    def chat_info(self, chat_id: int) -> dict[str, Any]:
        chat = self.get_chat(chat_id)
        info = chat.as_dict()
        info.update(
            members=sorted(chat.members),
            admins=sorted(chat.admins),
            creator=chat.creator,
            bot_status={str(k): v for k, v in chat.bot_status.items()},
            migrated_to=chat.migrated_to,
            migrated_from=chat.migrated_from,
            message_count=len(chat.messages),
            pinned=list(chat.pinned),
            pinned_message_id=chat.pinned[-1] if chat.pinned else None,
        )
        return info


def is_inline(markup: Any) -> bool:
    return isinstance(markup, dict) and "inline_keyboard" in markup


def command_entities(text: str) -> list[dict[str, Any]]:
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group()),
        }
        for m in _COMMAND.finditer(text)
    ]


def mentions_of(entities: list[dict[str, Any]]) -> list[int]:
    return [
        int(e["user"]["id"])
        for e in entities
        if e.get("type") == "text_mention" and isinstance(e.get("user"), dict)
    ]


def shallow_message(data: dict[str, Any]) -> dict[str, Any]:
    # Telegram nests reply_to_message only one level deep.
    return {k: v for k, v in data.items() if k != "reply_to_message"}


def plain_text(html: str | None, parse_mode: str | None) -> str:
    if html is None:
        return ""
    if parse_mode and parse_mode.upper() == "HTML":
        return strip_html(html)
    return html
