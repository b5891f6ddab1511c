"""Tables of joint responses (应急响应): the proposals, decided once each, and the level in
force on each incident."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class ResponseProposalRow(Base):
    __tablename__ = "response_proposals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"), index=True)
    level: Mapped[int] = mapped_column(SmallInteger)  # 4 = Ⅳ ... 1 = Ⅰ; 0 ends the response
    from_level: Mapped[int] = mapped_column(SmallInteger)
    side: Mapped[str] = mapped_column(String(16))
    proposed_by: Mapped[int] = mapped_column(BigInteger)
    proposed_by_name: Mapped[str] = mapped_column(String(100))
    proposed_at: Mapped[datetime]
    due_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_by_name: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    escalated_at: Mapped[datetime | None]
    superseded_by: Mapped[int | None] = mapped_column(Integer)


class ResponseLevelRow(Base):
    __tablename__ = "response_levels"
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"),
                                             primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    since: Mapped[datetime]
    proposal_id: Mapped[int] = mapped_column(ForeignKey("response_proposals.id"))
    daily_rollcall: Mapped[bool] = mapped_column(Boolean, default=False)
    order_remind_minutes: Mapped[int] = mapped_column(Integer, default=0)
    rollcall_id: Mapped[int | None] = mapped_column(Integer)


class ResponseOrderReminderRow(Base):
    """When an order of an incident under a response was last reminded at the level's interval
    (the dispatch chain's own T1/T2 escalation is apart)."""

    __tablename__ = "response_order_reminders"
    order_id: Mapped[int] = mapped_column(ForeignKey("dispatch_orders.id"), primary_key=True)
    reminded_at: Mapped[datetime]
    count: Mapped[int] = mapped_column(Integer, default=0)
