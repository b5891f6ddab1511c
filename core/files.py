"""Files the bot made (a Word report, a chart, a workbook), kept in the database so a notice
carrying one survives a restart like any other notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StoredFile:
    name: str  # the file name the chat shows, e.g. 事后评估报告-12.docx
    mime: str  # image/* goes as a photo, anything else as a document
    content: bytes
    made_at: datetime
    id: int | None = None

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")
