"""Tables of the assessment (考核): which months' documents went to the bureau."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base


class AssessmentSentRow(Base):
    """One row per month whose document was sent: the key keeps a restart from sending twice."""

    __tablename__ = "assessment_sent"
    period: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-11"
    sent_at: Mapped[datetime]
    file_id: Mapped[int | None] = mapped_column(Integer)
