"""assessment (考核): the months whose document went to the bureau

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment_sent",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_assessment_sent")),
    )


def downgrade() -> None:
    op.drop_table("assessment_sent")
