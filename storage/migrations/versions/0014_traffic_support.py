"""traffic support (交通运输保障): one request per plan and public-security/transport department

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "traffic_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("by", sa.BigInteger(), nullable=True),
        sa.Column("by_name", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("need", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("forces", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["dispatch_plans.id"],
                                name=op.f("fk_traffic_requests_plan_id_dispatch_plans")),
        sa.ForeignKeyConstraint(["incident_id"], ["dispatch_incidents.id"],
                                name=op.f("fk_traffic_requests_incident_id_dispatch_incidents")),
        sa.ForeignKeyConstraint(["department_id"], ["units.id"],
                                name=op.f("fk_traffic_requests_department_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_traffic_requests")),
        sa.UniqueConstraint("plan_id", "department_id",
                            name=op.f("uq_traffic_requests_plan_id")),
    )
    with op.batch_alter_table("traffic_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_traffic_requests_incident_id"), ["incident_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("traffic_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_traffic_requests_incident_id"))
    op.drop_table("traffic_requests")
