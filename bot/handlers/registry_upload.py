"""The registry file an administrator sends the bot in a private chat: read as the console
reads it (bot/registry_read.py chooses the reader by the file's extension), previewed, and
imported on 应用. Documents in groups are not the bot's business and are ignored."""

from __future__ import annotations

import logging
from typing import cast

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ActionCallback
from bot.i18n import Texts
from bot.registry_read import (
    READERS,
    RawRegistry,
    RegistryReadError,
    max_bytes,
    read_named,
    reader_for,
)
from bot.replies import Outbound
from bot.views.registry_upload import applied_text, buttons, preview_text, problems
from core.actor import Actor
from core.clock import Clock
from core.errors import DomainError
from core.notices import Action
from core.ports import UnitOfWork
from core.registry_file import RegistryFile, RegistryFileError, parse_registry
from core.usecases.registry_upload import (
    TrialUnitOfWork,
    apply_upload,
    preview_upload,
    require_uploader,
    take_upload,
)

log = logging.getLogger(__name__)
TELEGRAM_TOO_BIG = "file is too big"  # getFile's refusal above 20 MB


def _read(t: Texts, name: str, data: bytes) -> tuple[RawRegistry, RegistryFile] | str:
    """The file read and checked, or the one refusal to show."""
    try:
        raw = read_named(name, data)
    except RegistryReadError as e:
        return t(e.code, **{"path": name, **e.params})
    try:
        return raw, parse_registry(raw.data)
    except RegistryFileError as e:
        return problems(t, name, e)


async def _download(bot: Bot, t: Texts, name: str, file_id: str) -> bytes | str:
    try:
        found = await bot.get_file(file_id)
    except TelegramBadRequest as e:
        if TELEGRAM_TOO_BIG in e.message:
            return t("upload.too_big_for_telegram", path=name)
        log.warning("registry upload %s: getFile refused: %s", name, e.message)
        return t("upload.download_failed", path=name)
    if (found.file_size or 0) > max_bytes(name):
        return t("registry.read.too_big", path=name, limit_mb=max_bytes(name) // (1024 * 1024))
    if not found.file_path:
        return t("upload.download_failed", path=name)
    data = await bot.download_file(found.file_path)
    assert data is not None  # without a destination aiogram returns the bytes read
    return data.read()


async def document(message: Message, bot: Bot, uow: UnitOfWork, actor: Actor, t: Texts,
                   clock: Clock, out: Outbound) -> None:
    if message.chat.type != "private":
        return  # a group's documents are its own business
    require_uploader(actor, private=True)
    doc = message.document
    assert doc is not None
    name = (doc.file_name or "").strip() or "file"
    if reader_for(name) is None:
        out.reply(message, t("registry.read.unknown_type", path=name,
                             known=" ".join(READERS)))
        return
    data = await _download(bot, t, name, doc.file_id)
    if isinstance(data, str):
        out.reply(message, data)
        return
    read = _read(t, name, data)
    if isinstance(read, str):
        out.reply(message, read)
        return
    raw, parsed = read
    ref, report = await preview_upload(cast(TrialUnitOfWork, uow), actor, name, data, parsed,
                                       clock)
    text = preview_text(t, name, parsed, report)
    if raw.encoding != "UTF-8":
        text += "\n" + t("registry.read_as", encoding=raw.encoding)
    out.reply(message, text, markup=buttons(t, ref) if ref is not None else None)


async def apply(query: CallbackQuery, callback_data: ActionCallback, uow: UnitOfWork,
                actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    stored = await take_upload(uow, actor, callback_data.ref, clock, applying=True)
    read = _read(t, stored.name, stored.content)
    if isinstance(read, str):
        # Read the same way a moment ago; only a changed reader gets here. The upload stays.
        raise DomainError("registry_upload_unreadable")
    _, parsed = read
    report = await apply_upload(uow, parsed, clock)
    out.toast(t("upload.toast.applied"))
    if query.message is not None:
        out.edit(query.message.chat.id, query.message.message_id,
                 applied_text(t, stored.name, parsed, report))


async def discard(query: CallbackQuery, callback_data: ActionCallback, uow: UnitOfWork,
                  actor: Actor, t: Texts, clock: Clock, out: Outbound) -> None:
    stored = await take_upload(uow, actor, callback_data.ref, clock, applying=False)
    out.toast(t("upload.toast.cancelled"))
    if query.message is not None:
        out.edit(query.message.chat.id, query.message.message_id,
                 t("upload.cancelled", path=stored.name))


def make_router() -> Router:
    router = Router(name="registry_upload")
    router.message.register(document, F.document)
    cb = router.callback_query
    cb.register(apply, ActionCallback.filter(F.action == Action.REGISTRY_APPLY))
    cb.register(discard, ActionCallback.filter(F.action == Action.REGISTRY_DISCARD))
    return router
