"""Every table module, imported so that Alembic sees the whole schema. One line per feature."""

from storage import (  # noqa: F401  feature tables
    tables_afteraction,
    tables_alerts,
    tables_assessment,
    tables_compensation,
    tables_consult,
    tables_dispatch,
    tables_mydata,
    tables_reports,
    tables_response,
    tables_sitrep,
    tables_traffic,
)
from storage.tables import Base

__all__ = ["Base"]
