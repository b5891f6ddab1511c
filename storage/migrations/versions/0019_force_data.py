"""a force's own data: people on duty today (/update), people's insurance and health-check
dates, and the freshness reminders already sent

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
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("insurance_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("health_check_until", sa.Date(), nullable=True))
    op.create_table(
        "data_reminders",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_data_reminders")),
    )


def downgrade() -> None:
    op.drop_table("data_reminders")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("health_check_until")
        batch.drop_column("insurance_until")
    with op.batch_alter_table("units") as batch:
        batch.drop_column("on_duty_on")
        batch.drop_column("on_duty")
