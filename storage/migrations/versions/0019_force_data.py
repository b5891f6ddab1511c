"""a force's own data: the count of people on duty today, as its group last said (/update)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("on_duty", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("on_duty_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.drop_column("on_duty_on")
        batch.drop_column("on_duty")
