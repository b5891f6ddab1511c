"""Every table module, imported so that Alembic sees the whole schema. One line per feature."""

from storage.tables import Base

__all__ = ["Base"]
