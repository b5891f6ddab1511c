"""Every table module, imported so that Alembic sees the whole schema. One line per feature."""

from storage import tables_alerts, tables_dispatch, tables_reports  # noqa: F401  feature tables
from storage.tables import Base

__all__ = ["Base"]
