"""Which process delivers which chat's queue now (several bot processes on one database)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class ChatClaimRow(Base):
    """A chat's queue claimed by one process until ``lease_until``. A row whose lease has
    ended is free to take (a process that died leaves its rows so); a process releases a
    chat by deleting its row once nothing waits there. ``chat_id`` 0 stands for the notices
    of units without a bound chat (they fail at once; one process reports them)."""

    __tablename__ = "chat_claims"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    owner: Mapped[str] = mapped_column(String(64))
    lease_until: Mapped[datetime]
