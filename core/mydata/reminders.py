"""The freshness sweep: once a month a force whose data is stale is told in its chat, its head
mentioned; a person's insurance or health check running out within 30 days is told to the
force's head once per expiry date. What went is written down in the same transaction as the
notice, so neither a restart nor a second process sends it twice."""

from __future__ import annotations

from core.clock import Clock
from core.mydata import notices
from core.mydata.config import DataConfig
from core.mydata.ports import DataUnitOfWork
from core.mydata.usecases import expiries, is_stale, today
from core.notices import Mention
from core.registry import Role, UnitKind


async def remind(uow: DataUnitOfWork, clock: Clock, cfg: DataConfig) -> int:
    """Queue the reminders due now; how many went. Forces without a bound chat wait until
    they have one (nothing is written down for them)."""
    now, day = clock.now(), today(clock, cfg.zone)
    month = day.strftime("%Y-%m")
    sent = 0
    for force in await uow.units.list(UnitKind.FORCE):
        if force.chat_id is None or force.id is None:
            continue
        members = await uow.people.members(force.id)
        heads = tuple(Mention(m.person.tg_id, m.person.name) for m in members
                      if Role.HEAD in m.roles)
        age = is_stale(force, day, cfg.stale_days)
        if age is not False and await uow.data_reminders.remember(
                f"stale:{force.code}:{month}", now):
            await notices.stale_reminder(uow, force, age if isinstance(age, int) else None,
                                         cfg.stale_days, heads)
            sent += 1
        for expiry in expiries(force, members, day, cfg.expiry_days):
            key = f"{expiry.field.value}:{expiry.tg_id}:{expiry.until.isoformat()}"
            if await uow.data_reminders.remember(key, now):
                await notices.expiry_reminder(uow, force, expiry, heads)
                sent += 1
    return sent
