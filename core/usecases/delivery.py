"""What the mechanism does when a notice cannot be delivered, or is late."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from core.clock import Clock
from core.config import MechanismConfig
from core.feature import FailureHook
from core.notices import Notice, Priority, moment, text
from core.ports import UnitOfWork
from core.usecases.binding import unbind
from core.usecases.common import audit, tell_admins


async def notice_undeliverable(
    uow: UnitOfWork, notice: Notice, reason: str, clock: Clock, config: MechanismConfig,
    hooks: Mapping[str, FailureHook], *, chat_gone: int | None = None,
) -> None:
    """Record the notice as undeliverable and tell who must know; one transaction."""
    assert notice.id is not None
    now = clock.now()
    await uow.outbox.mark_failed(notice.id, reason, now)
    await audit(uow, None, "notice.undeliverable", f"notice:{notice.id}", now,
                template=notice.template, reason=reason, about=notice.subject)
    if chat_gone is not None:
        await unbind(uow, chat_gone, None, "kicked", clock, config)
    recipient = await _recipient_name(uow, notice)
    if notice.person_tg_id is None:
        await tell_admins(uow, config, "admin.notice_undeliverable", Priority.HIGH,
                          recipient=recipient, reason=text(f"reason.{reason}"),
                          what=text("notice.kind." + notice.template.split(".")[0]))
    hook = hooks.get(notice.subject.split(":")[0]) if notice.subject else None
    if hook is not None:
        await hook(uow, notice, reason)


async def _recipient_name(uow: UnitOfWork, notice: Notice) -> str:
    if notice.unit_id is not None:
        unit = await uow.units.get(notice.unit_id)
        return unit.name if unit else str(notice.unit_id)
    person = await uow.people.by_tg_id(notice.person_tg_id or 0)
    return person.name if person else str(notice.person_tg_id)


async def flag_late_notices(
    uow: UnitOfWork, clock: Clock, config: MechanismConfig, after: timedelta
) -> int:
    """Notices still waiting after ``after`` are reported to the admins, once each."""
    late = await uow.outbox.overdue(clock.now() - after)
    late = [n for n in late if n.person_tg_id is None]
    if not late:
        return 0
    await uow.outbox.mark_flagged([n.id for n in late if n.id is not None])
    oldest: datetime = min(n.created_at for n in late if n.created_at) if late else clock.now()
    await tell_admins(uow, config, "admin.notices_late", Priority.HIGH, count=len(late),
                      since=moment(oldest))
    return len(late)




async def pin_refused(uow: UnitOfWork, notice: Notice, chat_id: int, clock: Clock) -> bool:
    """The bot may not pin in this chat: say so there once (remembered until a pin works
    again), so the people who can grant the right know; the notice itself was delivered."""
    now = clock.now()
    if not await uow.outbox.pin_refused(chat_id, now):
        return False
    await audit(uow, None, "notice.pin_refused", f"notice:{notice.id}", now, chat=chat_id,
                about=notice.subject)
    if notice.unit_id is not None:
        await uow.outbox.add(Notice("delivery.pin_refused", {}, unit_id=notice.unit_id,
                                    priority=Priority.NORMAL, subject=notice.subject))
    return True
