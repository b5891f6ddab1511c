"""Persistence: SQLAlchemy 2 (async) tables, repositories implementing core's ports, migrations."""
