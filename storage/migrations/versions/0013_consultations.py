"""expert consultations (专家会商), the messages advice answers, the experts' tallies

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asked_by", sa.BigInteger(), nullable=False),
        sa.Column("asked_by_name", sa.String(length=100), nullable=False),
        sa.Column("asked_unit_id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answered_by", sa.BigInteger(), nullable=True),
        sa.Column("answered_by_name", sa.String(length=100), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("advice", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["dispatch_incidents.id"],
                                name=op.f("fk_consultations_incident_id_dispatch_incidents")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"],
                                name=op.f("fk_consultations_unit_id_units")),
        sa.ForeignKeyConstraint(["asked_unit_id"], ["units.id"],
                                name=op.f("fk_consultations_asked_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultations_incident_id"), ["incident_id"],
                              unique=False)
        batch_op.create_index("ix_consultations_due", ["status", "remind_due_at"],
                              unique=False)
    op.create_table(
        "consult_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"],
                                name=op.f("fk_consult_threads_consultation_id_consultations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consult_threads")),
    )
    with op.batch_alter_table("consult_threads", schema=None) as batch_op:
        batch_op.create_index("ix_consult_threads_chat", ["chat_id", "message_id"],
                              unique=False)
    op.create_table(
        "expert_tallies",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("advice", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["dispatch_incidents.id"],
                                name=op.f("fk_expert_tallies_incident_id_dispatch_incidents")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"],
                                name=op.f("fk_expert_tallies_unit_id_units")),
        sa.PrimaryKeyConstraint("incident_id", "unit_id", name=op.f("pk_expert_tallies")),
    )


def downgrade() -> None:
    op.drop_table("expert_tallies")
    with op.batch_alter_table("consult_threads", schema=None) as batch_op:
        batch_op.drop_index("ix_consult_threads_chat")
    op.drop_table("consult_threads")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_index("ix_consultations_due")
        batch_op.drop_index(batch_op.f("ix_consultations_incident_id"))
    op.drop_table("consultations")
