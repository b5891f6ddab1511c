"""A file the bot made (a report, a chart) goes out with its notice: a document as a document,
a picture as a photo, then the text; kept in the database, so a restart loses nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from core.notices import Notice
from demo.world import SandboxCounty
from sandbox import Sandbox
from tests.delivery.test_delivery import all_done, wait_until
from tests.delivery_helpers import commit_notices, notice_rows, unit_id

MADE = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


async def _stored(app: App, name: str, mime: str, content: bytes) -> int:
    async with app.uow() as uow:
        file_id = await uow.files.add(name, mime, content, MADE)
        await uow.commit()
    return file_id


async def test_a_document_and_a_picture_arrive_before_their_text(
        app: App, county: SandboxCounty, sandbox: Sandbox) -> None:
    chat = await county.bind("bureau")
    bureau = await unit_id(app, "bureau")
    report = await _stored(app, "事后评估报告-7.docx", "application/octet-stream", b"PK docx")
    chart = await _stored(app, "图表.png", "image/png", PNG)
    await commit_notices(app, [
        Notice("admin.chat_bound", {"unit": "报告", "code": "x", "by": "y"}, unit_id=bureau,
               document=report),
        Notice("admin.chat_bound", {"unit": "图表", "code": "x", "by": "y"}, unit_id=bureau,
               document=chart),
    ])
    await wait_until(lambda: all_done(app))
    files = {f["filename"]: f for f in sandbox.files.values()}
    assert files["事后评估报告-7.docx"]["content"] == b"PK docx"
    assert files["图表.png"]["content"] == PNG
    shown = [m for m in sandbox.transcript(chat) if m["is_bot"]]
    kinds = [("document" if m.get("document") else "photo" if m.get("photo") else "text")
             for m in shown]
    assert shown[-4]["text"].startswith(shown[-3]["text"].split("\n")[0][:20])
    # Each file first, then its notice's text; the caption is the text's first line.
    assert kinds[-4:] == ["document", "text", "photo", "text"]
    assert all(r.status == "sent" for r in await notice_rows(app) if r.unit_id == bureau)

