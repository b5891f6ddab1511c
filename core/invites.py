"""One-time codes that bind a group chat to a unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class Invite:
    code: str
    unit_id: int
    created_by: int
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    used_in_chat: int | None = None
