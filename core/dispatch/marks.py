"""Lines other features keep on an incident's boards: the response level, the latest situation
update, the experts consulted, traffic support (their order: MARK_ORDER in
notify/orders.py). A feature sets its line; every board of the
incident is edited to show it (still one message per chat, within the edit pacing)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.dispatch.model import Incident
from core.dispatch.notify.orders import refresh_boards
from core.dispatch.ports import DispatchUnitOfWork


async def set_mark(uow: DispatchUnitOfWork, incident: Incident, key: str, value: Any,
                   now: datetime) -> None:
    """``value`` is a text (core.notices.text) or a plain string; the boards are refreshed."""
    assert incident.id is not None
    await uow.marks.put(incident.id, key, value)
    await refresh_boards(uow, incident, now)
