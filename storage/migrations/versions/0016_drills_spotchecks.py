"""drills and spot-checks: a roll-call keeps its random draw's seed and a drill's incident

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 17:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rollcalls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seed", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("incident_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_rollcalls_incident_id"), ["incident_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rollcalls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rollcalls_incident_id"))
        batch_op.drop_column("incident_id")
        batch_op.drop_column("seed")
