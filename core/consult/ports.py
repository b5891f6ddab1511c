"""What the consultation use cases need from storage. Consultations belong to the dispatch
chain's incidents, so their unit of work is the dispatch chain's with the consultations added."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.consult.model import Consultation
from core.dispatch.ports import DispatchUnitOfWork


class ConsultationRepo(Protocol):
    async def add(self, item: Consultation) -> Consultation: ...
    async def get(self, item_id: int) -> Consultation | None: ...
    async def for_incident(self, incident_id: int) -> list[Consultation]: ...

    async def save(self, item: Consultation, expected: str) -> bool:
        """Write the answer only if the status is still ``expected``; False if someone won."""
        ...

    async def reminders_due(self, now: datetime) -> list[Consultation]: ...

    async def claim_reminder(self, item_id: int, now: datetime) -> bool:
        """Stamp the reminder if still unstamped and unanswered; True if we did."""
        ...

    async def count_advice(self, item_id: int) -> int:
        """One more piece of advice on the consultation; the new count."""
        ...

    async def tally(self, incident_id: int, unit_id: int) -> int:
        """One more piece of advice counted for the expert on the incident (the records'
        figure, kept per expert force and incident); the new count."""
        ...

    async def tallies(self, incident_id: int) -> dict[int, int]:
        """Pieces of advice per expert force (unit id) on the incident."""
        ...

    async def thread(self, item_id: int, chat_id: int) -> int:
        """A message of ours the expert may reply to with advice, written before it is sent;
        its id, for the message id to follow."""
        ...

    async def thread_sent(self, thread_id: int, message_id: int) -> None: ...

    async def threaded(self, chat_id: int, message_id: int, replies_to_bot: bool
                       ) -> int | None:
        """The consultation a reply to this message gives advice on, if it is one of ours.
        A reply to the bot matches, as a last resort, a question whose message id was never
        written (the bot stopped just after sending it)."""
        ...


class ConsultUnitOfWork(DispatchUnitOfWork, Protocol):
    @property
    def consultations(self) -> ConsultationRepo: ...
