"""The unit of work with every feature's repositories: what the adapters' shared plumbing
(the middleware, the delivery worker, the scheduler's sweep) opens. A use case asks only for
its own feature's protocol."""

from __future__ import annotations

from typing import Protocol

from core.afteraction.ports import AfterActionUnitOfWork
from core.assessment.ports import AssessmentUnitOfWork
from core.compensation.ports import CompensationUnitOfWork
from core.consult.ports import ConsultUnitOfWork
from core.dispatch.ports import DispatchUnitOfWork
from core.find.ports import FindUnitOfWork
from core.mydata.ports import DataUnitOfWork
from core.ports import UnitOfWorkFactory
from core.reports.ports import ReportUnitOfWork
from core.response.ports import ResponseUnitOfWork
from core.rollcall.ports import RollCallUnitOfWork
from core.sitrep.ports import SitrepUnitOfWork
from core.traffic.ports import TrafficUnitOfWork
from core.warnings.ports import WarningUnitOfWork


# A feature's protocol that extends another's (reports build on the dispatch chain) comes
# before it, so the order of the bases can be resolved.
class CountyUnitOfWork(AfterActionUnitOfWork, CompensationUnitOfWork, ReportUnitOfWork,
                       ResponseUnitOfWork, SitrepUnitOfWork, TrafficUnitOfWork, ConsultUnitOfWork,
                       DispatchUnitOfWork, WarningUnitOfWork, RollCallUnitOfWork,
                       AssessmentUnitOfWork, DataUnitOfWork, FindUnitOfWork, Protocol):
    """One line per feature: its unit-of-work protocol joins the list above."""


CountyUow = UnitOfWorkFactory[CountyUnitOfWork]
