"""Tables of the dispatch chain: incidents, plans, orders, concurrences, periods, prompts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class IncidentRow(Base):
    __tablename__ = "dispatch_incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(64), default="")
    township: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))
    is_drill: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    opened_at: Mapped[datetime]
    opened_by: Mapped[int] = mapped_column(BigInteger)
    opened_by_name: Mapped[str] = mapped_column(String(100))
    hq_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[int | None] = mapped_column(BigInteger)


class PlanRow(Base):
    __tablename__ = "dispatch_plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"), index=True)
    status: Mapped[str] = mapped_column(String(24))
    dispatcher_tg_id: Mapped[int] = mapped_column(BigInteger)
    dispatcher_name: Mapped[str] = mapped_column(String(100))
    task: Mapped[str] = mapped_column(Text)
    rendezvous: Mapped[str] = mapped_column(Text, default="")
    forces: Mapped[list[Any]] = mapped_column(default=list)
    special: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_by_name: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    remind_due_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    deputies_due_at: Mapped[datetime | None]
    deputies_at: Mapped[datetime | None]
    reinforcement_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (Index("ix_dispatch_plans_due", "status", "remind_due_at"),)


class OrderRow(Base):
    __tablename__ = "dispatch_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("dispatch_plans.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    task: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime]
    t1_due_at: Mapped[datetime]
    t2_due_at: Mapped[datetime]
    received_at: Mapped[datetime | None]
    en_route_at: Mapped[datetime | None]
    on_scene_at: Mapped[datetime | None]
    unable_at: Mapped[datetime | None]
    stood_down_at: Mapped[datetime | None]
    escalated_t1_at: Mapped[datetime | None]
    escalated_t2_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (Index("ix_dispatch_orders_due", "status", "t1_due_at"),)


class ConcurrenceRow(Base):
    __tablename__ = "dispatch_concurrences"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("dispatch_plans.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    status: Mapped[str] = mapped_column(String(12))
    by: Mapped[int | None] = mapped_column(BigInteger)
    by_name: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")


class PeriodRow(Base):
    __tablename__ = "dispatch_periods"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    declared_by: Mapped[int] = mapped_column(BigInteger)


class ReinforcementRow(Base):
    __tablename__ = "dispatch_reinforcements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"), index=True)
    need: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    requested_by: Mapped[int] = mapped_column(BigInteger)
    requested_by_name: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_by_name: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class PromptRow(Base):
    """A question asked with a ForceReply, kept so that the answer still counts after a restart.

    Written before the question is sent (the message id follows once Telegram has it), so a
    crash in between leaves a question that can still be answered."""

    __tablename__ = "dispatch_prompts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[int] = mapped_column(Integer)
    tg_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class IncidentMarkRow(Base):
    """A line another feature keeps on the incident's boards (response level, situation
    update, experts, traffic support): the value is a text with its parameters."""

    __tablename__ = "dispatch_incident_marks"
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"),
                                             primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict[str, Any]]
