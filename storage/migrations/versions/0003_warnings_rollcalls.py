"""warnings, warning targets, roll-calls, roll-call answers, sensitive periods

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 11:13:35.798088
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rollcalls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("slot_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scope", sa.String(length=500), nullable=False),
        sa.Column("opened_by", sa.BigInteger(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollcalls")),
        sa.UniqueConstraint("slot_at", name=op.f("uq_rollcalls_slot_at")),
    )
    with op.batch_alter_table("rollcalls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rollcalls_opened_at"), ["opened_at"], unique=False)

    op.create_table(
        "sensitive_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("declared_by", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sensitive_periods")),
    )
    op.create_table(
        "rollcall_answers",
        sa.Column("rollcall_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("answered_by", sa.BigInteger(), nullable=True),
        sa.Column("answered_by_name", sa.String(length=100), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["rollcall_id"],
            ["rollcalls.id"],
            name=op.f("fk_rollcall_answers_rollcall_id_rollcalls"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_rollcall_answers_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("rollcall_id", "unit_id", name=op.f("pk_rollcall_answers")),
    )
    op.create_table(
        "warnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer_unit_id", sa.Integer(), nullable=False),
        sa.Column("issued_by", sa.BigInteger(), nullable=False),
        sa.Column("issued_by_name", sa.String(length=100), nullable=False),
        sa.Column("hazard", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("initial_level", sa.String(length=8), nullable=False),
        sa.Column("area", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("targets", sa.String(length=500), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["issuer_unit_id"], ["units.id"], name=op.f("fk_warnings_issuer_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warnings")),
    )
    with op.batch_alter_table("warnings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_warnings_issued_at"), ["issued_at"], unique=False)

    op.create_table(
        "warning_targets",
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_by", sa.BigInteger(), nullable=True),
        sa.Column("confirmed_by_name", sa.String(length=100), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("next_reminder_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_warning_targets_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["warnings.id"], name=op.f("fk_warning_targets_warning_id_warnings")
        ),
        sa.PrimaryKeyConstraint("warning_id", "unit_id", name=op.f("pk_warning_targets")),
    )
    with op.batch_alter_table("warning_targets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_warning_targets_next_reminder_at"), ["next_reminder_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("warning_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warning_targets_next_reminder_at"))

    op.drop_table("warning_targets")
    with op.batch_alter_table("warnings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warnings_issued_at"))

    op.drop_table("warnings")
    op.drop_table("rollcall_answers")
    op.drop_table("sensitive_periods")
    with op.batch_alter_table("rollcalls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rollcalls_opened_at"))

    op.drop_table("rollcalls")
