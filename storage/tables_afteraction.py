"""Tables of after-action reports: each version asked for (built or not), and the lessons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class ReportVersionRow(Base):
    __tablename__ = "afteraction_versions"
    # One row per version: two sweeps or two askers at once cannot make the same version twice.
    __table_args__ = (UniqueConstraint("incident_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime]
    due_at: Mapped[datetime] = mapped_column(index=True)
    requested_by_name: Mapped[str] = mapped_column(String(100), default="")
    built_at: Mapped[datetime | None]
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))


class LessonRow(Base):
    __tablename__ = "afteraction_lessons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    tg_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
