"""Tables of a force's own data: which freshness reminders went, so a restart sends none twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class DataReminderRow(Base):
    """One row per reminder sent: ``stale:<force>:<month>`` or
    ``insurance:<tg id>:<expiry date>`` (health checks alike)."""

    __tablename__ = "data_reminders"
    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    sent_at: Mapped[datetime]
