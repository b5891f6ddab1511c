"""compensation of social forces: the number of people each order sent

Revision ID: 0020_compensation
Revises: 0019
Create Date: 2026-12-05 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_compensation"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "compensation_people",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("by", sa.BigInteger(), nullable=False),
        sa.Column("by_name", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["dispatch_orders.id"],
                                name=op.f("fk_compensation_people_order_id_dispatch_orders")),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_compensation_people")),
    )


def downgrade() -> None:
    op.drop_table("compensation_people")
