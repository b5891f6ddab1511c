"""A version asked for is a row; until the transaction that stores the document, marks the row
and queues its notices commits, the sweep builds it again; a second delivery of the same version
writes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.afteraction.model import Reason, ReportRequest
from core.afteraction.usecases import deliver, gather
from core.dispatch.config import DispatchConfig
from storage.tables import FileRow, NoticeRow
from tests.afteraction.helpers import document_in
from tests.chain import Chain


async def _counts(chain: Chain) -> tuple[int, int]:
    async with chain.app.uow() as uow:
        files = await uow.session.scalar(select(func.count()).select_from(FileRow))
        notices = await uow.session.scalar(select(func.count()).select_from(NoticeRow)
                                           .where(NoticeRow.template == "afteraction.sent"))
    return int(files or 0), int(notices or 0)


async def test_a_crash_before_the_delivery_rebuilds_and_a_second_delivery_writes_nothing(
        chain: Chain) -> None:
    incident = await chain.incident()
    cfg = chain.app.configs.after_action
    now = chain.app.clock.now()
    # As if the bot stopped after the facts were read or the document built: nothing was
    # committed but the request.
    async with chain.app.uow() as uow:
        request = await uow.afteraction.add(
            ReportRequest(incident, 1, Reason.ASKED, now, now, "吴磊"))
        assert request is not None
        await uow.commit()
    async with chain.app.uow() as uow:
        await gather(uow, request, cfg, DispatchConfig().t1, now)
    await chain.app.sweep.run()
    await document_in(chain, "gov", f"-{incident}.docx")
    await chain.settle()
    assert await _counts(chain) == (1, 3)
    # A late second delivery of the same version (another process's sweep): nothing written.
    async with chain.app.uow() as uow:
        assert not await deliver(uow, request, b"PK", now + timedelta(seconds=1))
        await uow.commit()
    await chain.app.sweep.run()
    assert await _counts(chain) == (1, 3)
