"""Tables of expert consultations (专家会商)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class ConsultationRow(Base):
    __tablename__ = "consultations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    question: Mapped[str] = mapped_column(Text)
    asked_by: Mapped[int] = mapped_column(BigInteger)
    asked_by_name: Mapped[str] = mapped_column(String(100))
    asked_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    asked_at: Mapped[datetime]
    remind_due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    answered_by: Mapped[int | None] = mapped_column(BigInteger)
    answered_by_name: Mapped[str] = mapped_column(String(100), default="")
    answered_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    reminded_at: Mapped[datetime | None]
    advice: Mapped[int] = mapped_column(Integer, default=0)

    # The sweep looks for unanswered requests past their reminder time.
    __table_args__ = (Index("ix_consultations_due", "status", "remind_due_at"),)


class ConsultThreadRow(Base):
    """A message of the bot in the expert's chat that advice answers: the question asked on
    accepting, and each acknowledgement of advice. Written before it is sent; the message id
    follows once Telegram has it."""

    __tablename__ = "consult_threads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_consult_threads_chat", "chat_id", "message_id"),)


class ExpertTallyRow(Base):
    """Pieces of advice per expert force and incident: the figure the yearly assessment reads."""

    __tablename__ = "expert_tallies"
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"),
                                             primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    advice: Mapped[int] = mapped_column(Integer, default=0)
