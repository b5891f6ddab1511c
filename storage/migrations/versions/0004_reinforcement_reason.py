"""the reason an upper level gives for refusing a reinforcement

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 13:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dispatch_reinforcements") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("dispatch_reinforcements") as batch:
        batch.drop_column("reason")
