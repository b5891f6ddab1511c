"""Who sent an update, kept between updates: every person with their grants, every bound
chat's unit, every chat's language. Looking them up took four queries per update, inside
SQLite's write lock, for answers that change only when the registry is imported, a group bound
or a language set.

Every such write moves the database's identity stamp on (storage/repos/identity.py), from
whichever process writes. Each update reads the stamp (one query); when it moved, all of it is
read again at once (four queries, whatever the county's size), so even a person's first tap
needs no lookup of its own. What was read after a stamp is at least as new as that stamp, so a
read that raced a write is replaced at the next update.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from core.ports import UnitOfWork
from core.registry import Grant, Person, Unit


@dataclass(frozen=True)
class Sender:
    person: Person | None
    grants: tuple[Grant, ...] = ()


@dataclass(frozen=True)
class ChatInfo:
    unit: Unit | None
    locale: str | None


@dataclass
class Snapshot:
    version: int
    senders: dict[int, Sender] = field(default_factory=dict)
    units: dict[int, Unit] = field(default_factory=dict)
    locales: dict[int, str] = field(default_factory=dict)


class Identities:
    def __init__(self) -> None:
        self._kept: Snapshot | None = None

    async def snapshot(self, uow: UnitOfWork) -> Snapshot | None:
        """The registry as of this update's stamp; None where no stamp is kept."""
        version = await uow.chats.identity_version()
        if version is None:
            return None
        kept = self._kept
        if kept is None or kept.version != version:
            kept = await _read(uow, version)
            self._kept = kept
        return kept

    async def sender(self, uow: UnitOfWork, tg_id: int, kept: Snapshot | None) -> Sender:
        if kept is None:
            person = await uow.people.by_tg_id(tg_id)
            grants = await uow.people.grants_of(person.id) if person and person.id else []
            return Sender(person, tuple(grants))
        found = kept.senders.get(tg_id)
        # Copies: a handler may change what it is handed (people and units are mutable).
        return Sender(copy.copy(found.person), found.grants) if found else Sender(None)

    async def chat(self, uow: UnitOfWork, chat_id: int, kept: Snapshot | None) -> ChatInfo:
        if kept is None:
            return ChatInfo(await uow.units.by_chat(chat_id), await uow.chats.locale(chat_id))
        return ChatInfo(copy.copy(kept.units.get(chat_id)), kept.locales.get(chat_id))


async def _read(uow: UnitOfWork, version: int) -> Snapshot:
    kept = Snapshot(version, locales=await uow.chats.locales())
    grants: dict[int, list[Grant]] = {}
    for grant in await uow.people.all_grants():
        grants.setdefault(grant.person_id, []).append(grant)
    for person in await uow.people.everyone():
        kept.senders[person.tg_id] = Sender(person, tuple(grants.get(person.id or 0, ())))
    for unit in await uow.units.list():
        if unit.chat_id is not None:
            kept.units[unit.chat_id] = unit
    return kept
