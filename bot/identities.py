"""Who sent an update, kept between updates: the person, their grants, the chat's unit and
language. Looking them up took four queries per update, inside SQLite's write lock, for
answers that change only when the registry is imported, a group bound or a language set.

Every such write moves the database's identity stamp on (storage/repos/identity.py), from
whichever process writes; each update reads the stamp (one query) and the kept answers are
dropped when it moved. An answer is kept only under the stamp read before it was looked up,
so a lookup that raced a newer write is never kept under the newer stamp.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from core.ports import UnitOfWork
from core.registry import Grant, Person, Unit

LIMIT = 50_000  # entries; past it everything is dropped (a county has a few thousand)


@dataclass(frozen=True)
class Sender:
    person: Person | None
    grants: tuple[Grant, ...]


@dataclass(frozen=True)
class ChatInfo:
    unit: Unit | None
    locale: str | None


class Identities:
    def __init__(self) -> None:
        self.version: int | None = None
        self._senders: dict[int, Sender] = {}
        self._chats: dict[int, ChatInfo] = {}

    async def stamp(self, uow: UnitOfWork) -> int | None:
        """Reads the stamp for this update; what was kept under another one is dropped."""
        version = await uow.chats.identity_version()
        if version != self.version or len(self._senders) + len(self._chats) > LIMIT:
            self._senders.clear()
            self._chats.clear()
            self.version = version
        return version

    async def sender(self, uow: UnitOfWork, tg_id: int, version: int | None) -> Sender:
        found = self._senders.get(tg_id) if version is not None else None
        if found is None:
            person = await uow.people.by_tg_id(tg_id)
            grants = await uow.people.grants_of(person.id) if person and person.id else []
            found = Sender(person, tuple(grants))
            if version is not None and version == self.version:
                self._senders[tg_id] = found
        # Copies: a handler may change what it is handed (a Person is mutable).
        return Sender(copy.copy(found.person), found.grants)

    async def chat(self, uow: UnitOfWork, chat_id: int, version: int | None) -> ChatInfo:
        found = self._chats.get(chat_id) if version is not None else None
        if found is None:
            found = ChatInfo(await uow.units.by_chat(chat_id), await uow.chats.locale(chat_id))
            if version is not None and version == self.version:
                self._chats[chat_id] = found
        return ChatInfo(copy.copy(found.unit), found.locale)
