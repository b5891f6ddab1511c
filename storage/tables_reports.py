"""Tables of information reports (信息报送)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class ReportRow(Base):
    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    township: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    reported_by: Mapped[int] = mapped_column(BigInteger)
    reported_by_name: Mapped[str] = mapped_column(String(100))
    reported_at: Mapped[datetime]
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("dispatch_incidents.id"),
                                                    index=True)
    linked_by: Mapped[int | None] = mapped_column(BigInteger)
    linked_by_name: Mapped[str] = mapped_column(String(100), default="")
    linked_at: Mapped[datetime | None]
    photo: Mapped[str | None] = mapped_column(String(255))  # a Telegram file_id
