"""Rolling assessment (滚动研判): numbered situation updates on an incident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class Sitrep:
    incident_id: int
    number: int  # 第N次研判: counted per incident, 1, 2, 3 ...
    unit_id: int  # who assessed: the bureau, the brigade, the HQ or a department
    text: str
    posted_by: int
    posted_by_name: str
    posted_at: datetime
    id: int | None = None
