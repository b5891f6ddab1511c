"""After-action reports (事后评估报告, seed §3c-3) and the lessons (问题与改进) asked after an
incident is closed: the records, and the facts a report is built from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from core.consult.model import Consultation
from core.dispatch.model import Incident, Order, Plan
from core.dispatch.timeline import Timeline
from core.sitrep.model import Sitrep
from core.traffic.model import TrafficRequest
from core.warnings.model import Warning


class Reason(StrEnum):
    """Why a version of the report is built."""

    CLOSED = "closed"  # /close
    ASKED = "asked"  # /report <incident>
    LESSONS = "lessons"  # answers to 问题与改进 came after the last version was sent


@dataclass
class ReportRequest:
    """One version of an incident's report: asked for (written in the asking transaction), then
    built and queued (``built_at`` and ``file_id`` set in the transaction that queues the
    notices). A request still unbuilt is built by the next sweep, so a crash rebuilds it."""

    incident_id: int
    version: int
    reason: Reason
    requested_at: datetime
    due_at: datetime  # a version made for late lessons waits for a day since the last one
    requested_by_name: str = ""
    built_at: datetime | None = None
    file_id: int | None = None
    id: int | None = None


@dataclass
class Lesson:
    """An answer to 问题与改进 from a person asked after the close."""

    incident_id: int
    unit_id: int
    tg_id: int
    name: str
    text: str
    at: datetime
    id: int | None = None


@dataclass(frozen=True)
class AfterActionConfig:
    lessons_window: timedelta = timedelta(hours=48)
    # Between two versions of one report (a late lesson waits until then): at most one a day.
    version_gap: timedelta = timedelta(days=1)
    county: str = ""  # the county's name on the cover (REPORT__COUNTY)
    locale: str = "zh_Hans"  # the document's language


@dataclass
class ForceRow:
    """One order of the incident: the force by name and its stamps."""

    order: Order
    force: str
    plan_id: int
    people: int | None = None  # people sent; None when the force did not say (shown as —)


@dataclass
class Facts:
    """Everything one report shows, read from the repositories in one unit of work; the
    documents package builds the Word file from it without touching storage."""

    incident: Incident
    version: int
    made_at: datetime
    county: str
    commander: str
    response_level: int | None
    plans: list[Plan]
    forces: list[ForceRow]
    timeline: Timeline
    warnings: list[Warning] = field(default_factory=list)
    sitreps: list[Sitrep] = field(default_factory=list)
    consultations: list[tuple[Consultation, str]] = field(default_factory=list)
    traffic: list[tuple[TrafficRequest, str]] = field(default_factory=list)
    lessons: list[tuple[Lesson, str]] = field(default_factory=list)  # with the unit's name
    t1_minutes: float = 3.0
