"""Feature repositories (dispatch, warnings, roll-calls) attach to the unit of work here."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


def attach(uow: Any, session: AsyncSession) -> None:
    """Each feature adds one line: ``uow.plans = SqlPlanRepo(session)``."""
    from storage.repos.rollcall import SqlRollCallRepo
    from storage.repos.warnings import SqlWarningRepo

    uow.warnings = SqlWarningRepo(session)
    uow.rollcalls = SqlRollCallRepo(session)
    from storage.repos.dispatch import attach_dispatch

    attach_dispatch(uow, session)
