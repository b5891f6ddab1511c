"""Every message freshness produces: the monthly word to a force whose data is old, and the
word to a force's head that someone's insurance or health check runs out."""

from __future__ import annotations

from core.mydata.model import Expiry
from core.notices import Mention, Notice, text
from core.ports import UnitOfWork
from core.registry import Unit


async def stale_reminder(uow: UnitOfWork, force: Unit, age_days: int | None, stale_days: int,
                         heads: tuple[Mention, ...]) -> None:
    age = (text("mydata.remind.age", days=age_days) if age_days is not None
           else text("mydata.remind.undated"))
    await uow.outbox.add(Notice("mydata.remind.stale", {
        "name": force.name, "age": age, "days": stale_days}, unit_id=force.id,
        mentions=heads, subject=f"unit:{force.code}"))


def left(days: int) -> dict[str, object]:
    """How long until the expiry, or how long since."""
    return text("mydata.left", days=days) if days >= 0 else text("mydata.past", days=-days)


async def expiry_reminder(uow: UnitOfWork, force: Unit, expiry: Expiry,
                          heads: tuple[Mention, ...]) -> None:
    await uow.outbox.add(Notice(f"mydata.remind.{expiry.field.value}", {
        "person": expiry.person, "until": expiry.until.isoformat(),
        "left": left(expiry.days_left)}, unit_id=force.id, mentions=heads,
        subject=f"unit:{force.code}"))
