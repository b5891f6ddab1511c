"""chat claims: which process delivers which chat's queue, with a lease

Revision ID: 0021_outbox_claims
Revises: 0020_compensation
Create Date: 2026-12-05 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_outbox_claims"
down_revision = "0020_compensation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_claims",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_chat_claims")),
    )


def downgrade() -> None:
    op.drop_table("chat_claims")
