"""What the after-action tests share: finding the report a chat received and opening it."""

from __future__ import annotations

import io
from typing import Any

from docx import Document

from tests.chain import Chain


async def document_in(chain: Chain, code: str, name_part: str) -> dict[str, Any]:
    """The bot's message carrying a document whose file name contains ``name_part``."""
    return await chain.sb.wait_for(
        chain.chat(code), lambda m: bool(m.get("document")) and name_part in m["document"],
        15.0, since=0)


def opened(chain: Chain, message: dict[str, Any]) -> Any:
    """The .docx the sandbox kept for that message, read with python-docx."""
    found = [f for f in chain.sb.files.values() if f["filename"] == message["document"]]
    assert found, message
    return Document(io.BytesIO(found[-1]["content"]))


def paragraphs(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs]


def table_with(doc: Any, header: str) -> list[list[str]]:
    """The rows of the first table whose first row starts with ``header``."""
    for table in doc.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and rows[0][0] == header:
            return rows
    raise AssertionError(f"no table headed {header!r}")


def cover(doc: Any) -> dict[str, str]:
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    return {r[0]: r[1] for r in rows}
