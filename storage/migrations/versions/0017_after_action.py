"""after-action report versions (built or waiting) and the lessons asked after a close

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "afteraction_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by_name", sa.String(length=100), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["dispatch_incidents.id"],
                                name=op.f("fk_afteraction_versions_incident_id_dispatch_incidents")),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"],
                                name=op.f("fk_afteraction_versions_file_id_files")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_afteraction_versions")),
        sa.UniqueConstraint("incident_id", "version",
                            name=op.f("uq_afteraction_versions_incident_id")),
    )
    with op.batch_alter_table("afteraction_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_afteraction_versions_incident_id"),
                              ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_afteraction_versions_due_at"), ["due_at"],
                              unique=False)
    op.create_table(
        "afteraction_lessons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("tg_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["dispatch_incidents.id"],
                                name=op.f("fk_afteraction_lessons_incident_id_dispatch_incidents")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"],
                                name=op.f("fk_afteraction_lessons_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_afteraction_lessons")),
    )
    with op.batch_alter_table("afteraction_lessons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_afteraction_lessons_incident_id"), ["incident_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("afteraction_lessons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_afteraction_lessons_incident_id"))
    op.drop_table("afteraction_lessons")
    with op.batch_alter_table("afteraction_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_afteraction_versions_due_at"))
        batch_op.drop_index(batch_op.f("ix_afteraction_versions_incident_id"))
    op.drop_table("afteraction_versions")
