"""Information reports (信息报送): a unit tells the county government what happened, and the
bureau and the brigade get a copy at the same moment (抄报)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class Report:
    unit_id: int
    township: str
    text: str
    reported_by: int
    reported_by_name: str
    reported_at: datetime
    incident_id: int | None = None  # the incident it is linked to, once linked
    linked_by: int | None = None
    linked_by_name: str = ""
    linked_at: datetime | None = None
    photo: str = ""  # a Telegram file_id; the copies carry the photo
    id: int | None = None

    @property
    def is_linked(self) -> bool:
        return self.incident_id is not None
