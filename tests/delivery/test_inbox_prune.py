"""Handled updates are kept for as long as Telegram could send them again, then pruned."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from core.clock import ControllableClock
from sandbox import Sandbox
from storage.tables import InboxRow
from tests.conftest import REGISTRY_ADMIN
from tests.delivery.test_delivery import wait_until


async def inbox_ids(app: App) -> list[int]:
    async with app.uow() as uow:
        return list(await uow.session.scalars(select(InboxRow.update_id)
                                              .order_by(InboxRow.update_id)))


async def help_handled(app: App, sandbox: Sandbox) -> None:
    """Ask for /help and wait until the update is marked handled, before the clock moves."""
    await sandbox.send_message(REGISTRY_ADMIN, REGISTRY_ADMIN, "/help")
    await sandbox.wait_for(REGISTRY_ADMIN, "/status")

    async def handled() -> bool:
        async with app.uow() as uow:
            return not await uow.inbox.pending(1)

    await wait_until(handled)


async def test_old_handled_updates_are_pruned_but_the_newest_stays(
    app: App, sandbox: Sandbox, clock: ControllableClock
) -> None:
    for _ in range(2):
        await help_handled(app, sandbox)
    first = await inbox_ids(app)
    assert len(first) == 2
    clock.advance(timedelta(hours=23))
    await help_handled(app, sandbox)
    clock.advance(timedelta(hours=2, minutes=1))  # the first two: handled 25 h ago
    await wait_until(lambda: _count_is(app, 1))
    (kept,) = await inbox_ids(app)
    assert kept > max(first)
    # Alone and old, the newest row stays: polling resumes after it.
    clock.advance(timedelta(days=2))
    await help_handled(app, sandbox)
    await wait_until(lambda: _count_is(app, 1))
    assert (await inbox_ids(app))[0] > kept


async def _count_is(app: App, n: int) -> bool:
    return len(await inbox_ids(app)) == n
