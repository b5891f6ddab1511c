"""The registry file an administrator sends the bot in a private chat: a preview of what the
import would change, then 应用 (apply) or 取消 (cancel).

The file's bytes wait in the stored files between the preview and the tap, marked as a pending
upload; the tap takes them out, so a second tap, or a tap after 取消, finds nothing.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from core.actor import Actor
from core.clock import Clock
from core.errors import DomainError, NotAllowed
from core.files import StoredFile
from core.ports import UnitOfWork
from core.registry_file import RegistryFile
from core.usecases.common import audit
from core.usecases.registry_import import ImportReport, import_registry

# Marks a stored file as a registry upload waiting for its tap (files the bot made have real
# MIME types), so a forged button cannot take any other stored file.
UPLOAD_MIME = "application/x-registry-upload"
MAX_NAME = 200  # the files table's name column


class TrialUnitOfWork(UnitOfWork, Protocol):
    def trial(self) -> AbstractAsyncContextManager[None]:
        """Work inside is undone at the end, whatever happens: a dry run."""
        ...


def require_uploader(actor: Actor, private: bool) -> None:
    """Only an administrator imports the registry, and only in a private chat (a group's
    documents are not the bot's business)."""
    actor.require_person()
    if not actor.is_admin:
        raise NotAllowed("registry_upload_not_admin")
    if not private:
        raise DomainError("registry_upload_private")


async def preview_upload(uow: TrialUnitOfWork, actor: Actor, name: str, content: bytes,
                         file: RegistryFile, clock: Clock) -> tuple[int | None, ImportReport]:
    """What importing the file would change, computed by importing it and undoing that; the
    bytes are kept for 应用. Returns the upload's ref (None if nothing would change) and the
    report."""
    actor.require_admin()
    async with uow.trial():
        report = await import_registry(uow, file, clock)
    if not report.changed:
        return None, report  # nothing to apply: no buttons, nothing kept
    ref = await uow.files.add(name[:MAX_NAME], UPLOAD_MIME, content, clock.now())
    await audit(uow, actor, "registry.upload_previewed", f"upload:{ref}", clock.now(),
                name=name[:MAX_NAME], changes=len(report.changes))
    return ref, report


async def take_upload(uow: UnitOfWork, actor: Actor, ref: int, clock: Clock,
                      applying: bool) -> StoredFile:
    """The pending upload, taken out so no second tap finds it; refused if already taken."""
    actor.require_admin()
    stored = await uow.files.get(ref)
    if stored is None or stored.mime != UPLOAD_MIME or not await uow.files.delete(ref):
        raise DomainError("registry_upload_gone")
    action = "registry.upload_applied" if applying else "registry.upload_cancelled"
    await audit(uow, actor, action, f"upload:{ref}", clock.now(), name=stored.name)
    return stored


async def apply_upload(uow: UnitOfWork, file: RegistryFile, clock: Clock) -> ImportReport:
    """The import itself, checked again against the database as it is now."""
    return await import_registry(uow, file, clock)
