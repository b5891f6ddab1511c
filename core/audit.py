"""The audit trail: every state change, who made it, from which chat, when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class AuditEntry:
    action: str
    subject: str
    at: datetime
    actor_tg_id: int | None = None
    chat_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
