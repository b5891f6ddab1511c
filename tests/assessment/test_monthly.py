"""The previous month's Word document goes to the bureau on ASSESS__MONTHLY_DAY, once, even if
the sweep runs again or the bot restarts."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

import docx
import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.handlers.assessment import monthly_step
from core.clock import ControllableClock
from storage.tables import AuditRow, NoticeRow
from storage.tables_assessment import AssessmentSentRow
from tests.assessment.helpers import sent_file, write_november
from tests.chain import Chain

DEC1 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 on 1 December in the county
NAME = "联调联战考核统计-2026-11.docx"


async def _counts(app: App) -> tuple[int, int, int]:
    async with app.uow() as uow:
        s = uow.session
        return (int(await s.scalar(select(func.count()).select_from(AssessmentSentRow)) or 0),
                int(await s.scalar(select(func.count()).select_from(NoticeRow)
                                   .where(NoticeRow.template == "assessment.monthly")) or 0),
                int(await s.scalar(select(func.count()).select_from(AuditRow)
                                   .where(AuditRow.action == "assessment.monthly")) or 0))


async def _run(app: App, day: int) -> None:
    """The step as the sweep runs it; a new closure is what a restarted bot would have."""
    step = monthly_step(replace(app.configs.assess, monthly_day=day))
    await step(app.uow, app.clock, app.config)


@pytest.fixture
async def december(chain: Chain, clock: ControllableClock) -> Chain:
    await write_november(chain.app)
    clock.set(DEC1)
    return chain


async def test_the_bureau_gets_last_months_document_once(december: Chain) -> None:
    chain = december
    await _run(chain.app, 1)
    await chain.settle()
    # The document first, captioned with the text's first line; then the text.
    text = await chain.sb.wait_for(chain.chat("bureau"), "上月联调联战考核统计", since=0)
    assert text["text"].startswith("【月度考核】2026-11") and "接入比例" in text["text"]
    content = sent_file(chain.sb, NAME)
    doc = docx.Document(io.BytesIO(content))
    assert doc.paragraphs[0].text == "联调联战考核统计（2026-11）"
    for _ in range(2):  # the sweep again, and a restarted bot's first sweep
        await _run(chain.app, 1)
    await chain.settle()
    assert await _counts(chain.app) == (1, 1, 1)
    shown = [m for m in chain.sb.transcript(chain.chat("bureau")) if m.get("document")]
    assert [m["document"] for m in shown] == [NAME]


async def test_not_before_its_day_nor_when_off(december: Chain) -> None:
    await _run(december.app, 3)  # 1 December: the 3rd has not come
    await _run(december.app, 0)  # off
    assert await _counts(december.app) == (0, 0, 0)
