"""lines other features keep on an incident's boards (response level, situation update, ...)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dispatch_incident_marks",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["dispatch_incidents.id"],
                                name=op.f("fk_dispatch_incident_marks_incident_id_dispatch_incidents")),
        sa.PrimaryKeyConstraint("incident_id", "key", name=op.f("pk_dispatch_incident_marks")),
    )


def downgrade() -> None:
    op.drop_table("dispatch_incident_marks")
