"""joint responses (应急响应同时启动): proposals, the level in force per incident, order reminders

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "response_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("from_level", sa.SmallInteger(), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("proposed_by", sa.BigInteger(), nullable=False),
        sa.Column("proposed_by_name", sa.String(length=100), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["dispatch_incidents.id"],
                                name=op.f("fk_response_proposals_incident_id_dispatch_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_proposals")),
    )
    with op.batch_alter_table("response_proposals", schema=None) as batch_op:
        for column in ("incident_id", "due_at", "status"):
            batch_op.create_index(batch_op.f(f"ix_response_proposals_{column}"), [column],
                                  unique=False)
    op.create_table(
        "response_levels",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("daily_rollcall", sa.Boolean(), nullable=False),
        sa.Column("order_remind_minutes", sa.Integer(), nullable=False),
        sa.Column("rollcall_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["dispatch_incidents.id"],
                                name=op.f("fk_response_levels_incident_id_dispatch_incidents")),
        sa.ForeignKeyConstraint(["proposal_id"], ["response_proposals.id"],
                                name=op.f("fk_response_levels_proposal_id_response_proposals")),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_response_levels")),
    )
    op.create_table(
        "response_order_reminders",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["dispatch_orders.id"],
                                name=op.f("fk_response_order_reminders_order_id_dispatch_orders")),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_response_order_reminders")),
    )


def downgrade() -> None:
    op.drop_table("response_order_reminders")
    op.drop_table("response_levels")
    with op.batch_alter_table("response_proposals", schema=None) as batch_op:
        for column in ("status", "due_at", "incident_id"):
            batch_op.drop_index(batch_op.f(f"ix_response_proposals_{column}"))
    op.drop_table("response_proposals")
