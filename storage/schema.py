"""Every table module, imported so that Alembic sees the whole schema. One line per feature."""

from storage import tables_alerts, tables_dispatch, tables_reports  # noqa: F401  feature tables
from storage import tables_consult  # noqa: F401  expert consultations
from storage.tables import Base

__all__ = ["Base"]
