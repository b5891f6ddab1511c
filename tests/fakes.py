"""An in-memory unit of work for testing core's use cases without any adapter."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from core.audit import AuditEntry
from core.errors import DomainError
from core.invites import Invite
from core.notices import Notice
from core.ports import ClaimRepo, FileRepo, InboxRepo
from core.registry import Grant, Member, Person, Role, Unit, UnitKind


@dataclass
class Store:
    units: dict[int, Unit] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)
    grants: set[Grant] = field(default_factory=set)
    invites: dict[str, Invite] = field(default_factory=dict)
    locales: dict[int, str] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


class FakeUnits:
    def __init__(self, store: Store) -> None:
        self.st = store

    async def get(self, unit_id: int) -> Unit | None:
        return copy.deepcopy(self.st.units.get(unit_id))

    async def by_code(self, code: str) -> Unit | None:
        return next((copy.deepcopy(u) for u in self.st.units.values() if u.code == code), None)

    async def by_chat(self, chat_id: int) -> Unit | None:
        return next((copy.deepcopy(u) for u in self.st.units.values() if u.chat_id == chat_id),
                    None)

    async def list(self, kind: UnitKind | None = None) -> list[Unit]:
        return [copy.deepcopy(u) for u in self.st.units.values() if kind in (None, u.kind)]

    async def add(self, unit: Unit) -> Unit:
        unit.id = len(self.st.units) + 1
        self.st.units[unit.id] = copy.deepcopy(unit)
        return unit

    async def update(self, unit: Unit) -> None:
        assert unit.id in self.st.units
        self.st.units[unit.id] = copy.deepcopy(unit)

    async def add_all(self, units: Sequence[Unit]) -> None:
        for unit in units:
            await self.add(unit)

    async def update_all(self, units: Sequence[Unit]) -> None:
        for unit in units:
            await self.update(unit)


class FakePeople:
    def __init__(self, store: Store) -> None:
        self.st = store

    async def by_tg_id(self, tg_id: int) -> Person | None:
        return next((copy.copy(p) for p in self.st.people.values() if p.tg_id == tg_id), None)

    async def names(self, tg_ids: Any) -> dict[int, str]:
        return {p.tg_id: p.name for p in self.st.people.values() if p.tg_id in set(tg_ids)}

    async def add(self, person: Person) -> Person:
        person.id = len(self.st.people) + 1
        self.st.people[person.id] = copy.copy(person)
        return person

    async def update(self, person: Person) -> None:
        assert person.id is not None
        self.st.people[person.id] = copy.copy(person)

    async def everyone(self) -> list[Person]:
        return [copy.copy(p) for p in self.st.people.values()]

    async def all_grants(self) -> list[Grant]:
        return list(self.st.grants)

    async def add_all(self, people: list[Person]) -> None:
        for person in people:
            await self.add(person)

    async def update_all(self, people: list[Person]) -> None:
        for person in people:
            await self.update(person)

    async def replace_roles(self, roles: dict[tuple[int, int], frozenset[Role]]) -> None:
        for (person_id, unit_id), granted in roles.items():
            await self.set_roles(person_id, unit_id, granted)

    async def grants_of(self, person_id: int) -> list[Grant]:
        return [g for g in self.st.grants if g.person_id == person_id]

    async def set_roles(self, person_id: int, unit_id: int, roles: frozenset[Role]) -> None:
        self.st.grants = {g for g in self.st.grants
                          if (g.person_id, g.unit_id) != (person_id, unit_id)}
        self.st.grants |= {Grant(person_id, unit_id, r) for r in roles}

    async def members(self, unit_id: int) -> list[Member]:
        ids = sorted({g.person_id for g in self.st.grants if g.unit_id == unit_id})
        return [Member(self.st.people[i], frozenset(g.role for g in self.st.grants
                                                     if g.person_id == i and g.unit_id == unit_id))
                for i in ids]

    async def with_role(self, role: Role, unit_id: int | None = None) -> list[Person]:
        ids = sorted({g.person_id for g in self.st.grants
                      if g.role is role and unit_id in (None, g.unit_id)})
        return [self.st.people[i] for i in ids]


class FakeInvites:
    def __init__(self, store: Store) -> None:
        self.st = store

    async def add(self, invite: Invite) -> None:
        self.st.invites[invite.code] = copy.copy(invite)

    async def get(self, code: str) -> Invite | None:
        return copy.copy(self.st.invites.get(code))

    async def update(self, invite: Invite) -> None:
        self.st.invites[invite.code] = copy.copy(invite)


class FakeChats:
    def __init__(self, store: Store) -> None:
        self.st = store

    async def locale(self, chat_id: int) -> str | None:
        return self.st.locales.get(chat_id)

    async def set_locale(self, chat_id: int, locale: str) -> None:
        self.st.locales[chat_id] = locale

    async def move(self, old_chat_id: int, new_chat_id: int) -> None:
        if old_chat_id in self.st.locales:
            self.st.locales.setdefault(new_chat_id, self.st.locales[old_chat_id])

    async def locales(self) -> dict[int, str]:
        return dict(self.st.locales)

    async def identity_version(self) -> int | None:
        return None


class FakeAudit:
    def __init__(self, store: Store) -> None:
        self.st = store

    async def append(self, entry: AuditEntry) -> None:
        self.st.audit.append(entry)

    async def for_subject(self, prefix: str) -> list[AuditEntry]:
        return [e for e in self.st.audit if e.subject.startswith(prefix)]


class FakeOutbox:
    def __init__(self, store: Store) -> None:
        self.st = store

    async def add(self, notice: Notice) -> None:
        self.st.notices.append(notice)

    def __getattr__(self, name: str) -> Any:
        raise NotImplementedError(f"the delivery side ({name}) is not part of core's tests")


class FakeUnitOfWork:
    """Changes become visible in ``committed`` only on commit, like a real transaction."""

    def __init__(self, committed: Store | None = None) -> None:
        self.committed = committed or Store()
        self.commits = 0
        self._begin()

    def _begin(self) -> None:
        self.work = copy.deepcopy(self.committed)
        self.units = FakeUnits(self.work)
        self.people = FakePeople(self.work)
        self.invites = FakeInvites(self.work)
        self.chats = FakeChats(self.work)
        self.audit = FakeAudit(self.work)
        self.outbox = FakeOutbox(self.work)
        # Core's use cases never read the inbox; the bot's middleware does.
        self.inbox = cast(InboxRepo, None)
        # Files are made by the document builders, outside core's rules.
        self.files = cast(FileRepo, None)
        # Claims belong to the delivery worker, outside core's rules.
        self.claims = cast(ClaimRepo, None)

    async def commit(self) -> None:
        self.committed = copy.deepcopy(self.work)
        self.commits += 1

    async def rollback(self) -> None:
        self._begin()


T = TypeVar("T")


async def opened(uow: FakeUnitOfWork, work: Awaitable[T]) -> T:
    """What the opener of a unit of work (the bot's middleware, a sweep) does around a use
    case: commit what it did, or roll it back when it refuses."""
    try:
        result = await work
    except DomainError:
        await uow.rollback()
        raise
    await uow.commit()
    return result
