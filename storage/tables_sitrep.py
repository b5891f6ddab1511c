"""Tables of the rolling assessment (滚动研判): situation updates and each incident's count."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class SitrepRow(Base):
    __tablename__ = "sitreps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"))
    number: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    text: Mapped[str] = mapped_column(Text)
    posted_by: Mapped[int] = mapped_column(BigInteger)
    posted_by_name: Mapped[str] = mapped_column(String(100))
    posted_at: Mapped[datetime]

    # The count below hands out each number once; this keeps it so whatever writes here.
    __table_args__ = (UniqueConstraint("incident_id", "number"),)


class SitrepCounterRow(Base):
    """The last number given on an incident, raised in one statement (an upsert), so two
    updates posted at the same moment never share a number."""

    __tablename__ = "sitrep_counters"
    incident_id: Mapped[int] = mapped_column(ForeignKey("dispatch_incidents.id"),
                                             primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)
