"""Tables of the compensation record: how many people a social force sent on an order (the
hours come from the order's own history, so they are not copied here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class CompensationPeopleRow(Base):
    """One row per order, written once by the answer to 出动人数 asked on 已到达."""

    __tablename__ = "compensation_people"
    order_id: Mapped[int] = mapped_column(ForeignKey("dispatch_orders.id"), primary_key=True)
    people: Mapped[int] = mapped_column(Integer)
    by: Mapped[int] = mapped_column(BigInteger)
    by_name: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime]
