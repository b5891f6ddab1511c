"""Every table module, imported so that Alembic sees the whole schema. One line per feature."""

from storage import tables_alerts  # noqa: F401  warnings and roll-calls
from storage.tables import Base

__all__ = ["Base"]
