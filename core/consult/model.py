"""Experts on order (专家会商, seed §3c-2): the commander asks an expert force a question; the
expert accepts or cannot attend (with a reason), and an accepting expert gives advice, any
number of pieces, each counted for the expert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.errors import Conflict
from core.notices import text


class ConsultStatus(StrEnum):
    ASKED = "asked"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass
class Consultation:
    """One question to one expert force about one incident."""

    incident_id: int
    unit_id: int  # the expert force
    question: str
    asked_by: int
    asked_by_name: str
    asked_unit_id: int  # the requester's unit: its chat hears the answer and the advice
    asked_at: datetime
    remind_due_at: datetime  # T1 of the dispatch chain after asking
    status: ConsultStatus = ConsultStatus.ASKED
    answered_by: int | None = None
    answered_by_name: str = ""
    answered_at: datetime | None = None
    reason: str = ""  # why the expert cannot attend
    reminded_at: datetime | None = None
    advice: int = 0  # pieces of advice given on this consultation
    id: int | None = None

    def answer(self, to: ConsultStatus, tg_id: int | None, name: str, now: datetime,
               reason: str = "") -> None:
        """Accept or decline, once; a second answer is refused naming the first."""
        if self.status is not ConsultStatus.ASKED or to is ConsultStatus.ASKED:
            raise self.refusal()
        self.status, self.answered_by, self.answered_by_name = to, tg_id, name
        self.answered_at, self.reason = now, reason

    def refusal(self) -> Conflict:
        return Conflict("consult_answered", id=self.id,
                        state=text(f"consult.state.{self.status}", n=self.advice),
                        by=self.answered_by_name or "—", at=self.answered_at or self.asked_at)

    @property
    def silent(self) -> bool:
        return self.status is ConsultStatus.ASKED
