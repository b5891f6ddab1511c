"""information reports (信息报送) and their link to an incident

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("township", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reported_by", sa.BigInteger(), nullable=False),
        sa.Column("reported_by_name", sa.String(length=100), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("linked_by", sa.BigInteger(), nullable=True),
        sa.Column("linked_by_name", sa.String(length=100), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_reports_unit_id_units")),
        sa.ForeignKeyConstraint(["incident_id"], ["dispatch_incidents.id"],
                                name=op.f("fk_reports_incident_id_dispatch_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_incident_id"), ["incident_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_incident_id"))
    op.drop_table("reports")
