"""The assessment's one notice: the previous month's Word document, to the bureau."""

from __future__ import annotations

from core.assessment.model import CONNECTION_TARGET, Assessment, pct
from core.notices import Notice, Priority, text
from core.registry import Unit


def summary(a: Assessment) -> dict[str, object]:
    """The document's opening paragraph, translated in the recipient's language."""
    g = a.total
    return text("assessment.doc.summary", forces=g.forces, bound=g.bound,
                ratio=pct(g.connection_rate), target=pct(100 * CONNECTION_TARGET),
                met=text("assessment.doc.met" if g.connection_met
                         else "assessment.doc.not_met"),
                calls=g.calls, on_time=pct(g.on_time_rate), late=g.late, missed=g.missed,
                warnings=g.warnings, confirmed=pct(g.confirmed_rate), orders=g.orders,
                t1=pct(g.t1_rate), unable=g.unable, spotchecks=g.spotchecks,
                passed=pct(g.spotcheck_rate))


def monthly_document(bureau: Unit, a: Assessment, file_id: int) -> Notice:
    return Notice("assessment.monthly", {"period": a.period.label, "summary": summary(a)},
                  unit_id=bureau.id, document=file_id, priority=Priority.LOW,
                  subject=f"assessment:{a.period.label}")
