"""every message a live text (a board) takes, so an edit reaches all of its parts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("message_keys") as batch:
        batch.add_column(sa.Column("message_ids", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("message_keys") as batch:
        batch.drop_column("message_ids")
