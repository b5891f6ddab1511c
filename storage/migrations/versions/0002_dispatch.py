"""The dispatch chain: incidents, plans, orders, concurrences, periods, reinforcements, prompts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 11:14:28.026659
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dispatch_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("declared_by", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_periods")),
    )
    op.create_table(
        "dispatch_prompts",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.Integer(), nullable=False),
        sa.Column("tg_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "message_id", name=op.f("pk_dispatch_prompts")),
    )
    op.create_table(
        "dispatch_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("township", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("is_drill", sa.Boolean(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.BigInteger(), nullable=False),
        sa.Column("opened_by_name", sa.String(length=100), nullable=False),
        sa.Column("hq_unit_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["hq_unit_id"], ["units.id"], name=op.f("fk_dispatch_incidents_hq_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_incidents")),
    )
    with op.batch_alter_table("dispatch_incidents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dispatch_incidents_is_drill"), ["is_drill"], unique=False
        )

    op.create_table(
        "dispatch_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("dispatcher_tg_id", sa.BigInteger(), nullable=False),
        sa.Column("dispatcher_name", sa.String(length=100), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("rendezvous", sa.Text(), nullable=False),
        sa.Column("forces", sa.JSON(), nullable=False),
        sa.Column("special", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("remind_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deputies_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deputies_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reinforcement_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["dispatch_incidents.id"],
            name=op.f("fk_dispatch_plans_incident_id_dispatch_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_plans")),
    )
    with op.batch_alter_table("dispatch_plans", schema=None) as batch_op:
        batch_op.create_index("ix_dispatch_plans_due", ["status", "remind_due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dispatch_plans_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "dispatch_reinforcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("need", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("requested_by", sa.BigInteger(), nullable=False),
        sa.Column("requested_by_name", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["dispatch_incidents.id"],
            name=op.f("fk_dispatch_reinforcements_incident_id_dispatch_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_reinforcements")),
    )
    with op.batch_alter_table("dispatch_reinforcements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dispatch_reinforcements_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "dispatch_concurrences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("by", sa.BigInteger(), nullable=True),
        sa.Column("by_name", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["units.id"],
            name=op.f("fk_dispatch_concurrences_department_id_units"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["dispatch_plans.id"],
            name=op.f("fk_dispatch_concurrences_plan_id_dispatch_plans"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_concurrences")),
    )
    with op.batch_alter_table("dispatch_concurrences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dispatch_concurrences_plan_id"), ["plan_id"], unique=False
        )

    op.create_table(
        "dispatch_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("t1_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("t2_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("en_route_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("on_scene_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unable_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stood_down_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_t1_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_t2_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["dispatch_plans.id"],
            name=op.f("fk_dispatch_orders_plan_id_dispatch_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_dispatch_orders_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_orders")),
    )
    with op.batch_alter_table("dispatch_orders", schema=None) as batch_op:
        batch_op.create_index("ix_dispatch_orders_due", ["status", "t1_due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispatch_orders_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dispatch_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_orders_plan_id"))
        batch_op.drop_index("ix_dispatch_orders_due")

    op.drop_table("dispatch_orders")
    with op.batch_alter_table("dispatch_concurrences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_concurrences_plan_id"))

    op.drop_table("dispatch_concurrences")
    with op.batch_alter_table("dispatch_reinforcements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_reinforcements_incident_id"))

    op.drop_table("dispatch_reinforcements")
    with op.batch_alter_table("dispatch_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_plans_incident_id"))
        batch_op.drop_index("ix_dispatch_plans_due")

    op.drop_table("dispatch_plans")
    with op.batch_alter_table("dispatch_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_incidents_is_drill"))

    op.drop_table("dispatch_incidents")
    op.drop_table("dispatch_prompts")
    op.drop_table("dispatch_periods")
