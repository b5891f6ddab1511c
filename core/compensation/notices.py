"""What compensation tells a chat through the outbox."""

from __future__ import annotations

from core.compensation.model import MonthFigures
from core.notices import Notice, Priority
from core.registry import Unit


def workbook_notice(bureau: Unit, figures: MonthFigures, file_id: int) -> Notice:
    assert bureau.id is not None
    return Notice("compensation.workbook", {"month": figures.month,
                                            "forces": len(figures.forces),
                                            "deployments": len(figures.deployments)},
                  unit_id=bureau.id, document=file_id, priority=Priority.NORMAL,
                  subject=f"compensation:{figures.month}")
