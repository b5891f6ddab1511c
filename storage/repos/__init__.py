"""Repositories: core's ports over one SQLAlchemy session. They never commit."""
