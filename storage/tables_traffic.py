"""Tables of traffic support (交通运输保障): one request per plan and traffic department."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class TrafficRequestRow(Base):
    __tablename__ = "traffic_requests"
    # Orders go out once per plan, and a plan asks each department once.
    __table_args__ = (UniqueConstraint("plan_id", "department_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("dispatch_plans.id"))
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    sent_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="pending")
    by: Mapped[int | None] = mapped_column(BigInteger)
    by_name: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime | None]
    need: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # [[force name, [[item, count, unit], ...]], ...] as sent
    forces: Mapped[Any] = mapped_column(JSON, default=list)
