"""Tables of early warnings and duty roll-calls."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class WarningRow(Base):
    __tablename__ = "warnings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    issued_by: Mapped[int] = mapped_column(BigInteger)
    issued_by_name: Mapped[str] = mapped_column(String(100))
    hazard: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(8))
    initial_level: Mapped[str] = mapped_column(String(8))
    area: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    targets: Mapped[str] = mapped_column(String(500))
    issued_at: Mapped[datetime] = mapped_column(index=True)
    valid_until: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12))
    closed_at: Mapped[datetime | None]


class WarningTargetRow(Base):
    __tablename__ = "warning_targets"
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    confirmed_by: Mapped[int | None] = mapped_column(BigInteger)
    confirmed_by_name: Mapped[str] = mapped_column(String(100), default="")
    confirmed_at: Mapped[datetime | None]
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    next_reminder_at: Mapped[datetime | None] = mapped_column(index=True)
    reported: Mapped[bool] = mapped_column(Boolean, default=False)


class RollCallRow(Base):
    __tablename__ = "rollcalls"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    # The cron fire time of a scheduled roll-call; unique, so a slot never runs twice.
    slot_at: Mapped[datetime | None] = mapped_column(unique=True)
    scope: Mapped[str] = mapped_column(String(500))
    opened_by: Mapped[int | None] = mapped_column(BigInteger)
    opened_at: Mapped[datetime] = mapped_column(index=True)
    deadline_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # A spot-check's random draw; a drill roll-call's incident (0016).
    seed: Mapped[int | None] = mapped_column(BigInteger)
    incident_id: Mapped[int | None] = mapped_column(Integer, index=True)


class RollCallAnswerRow(Base):
    __tablename__ = "rollcall_answers"
    rollcall_id: Mapped[int] = mapped_column(ForeignKey("rollcalls.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    answered_by: Mapped[int | None] = mapped_column(BigInteger)
    answered_by_name: Mapped[str] = mapped_column(String(100), default="")
    answered_at: Mapped[datetime | None]
    on_time: Mapped[bool | None] = mapped_column(Boolean)


class SensitivePeriodRow(Base):
    __tablename__ = "sensitive_periods"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    declared_by: Mapped[int] = mapped_column(BigInteger)
