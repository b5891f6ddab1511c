"""rolling assessment (滚动研判): situation updates numbered per incident; notices that pin
themselves or carry a photo, chats where the bot may not pin; a report's photo

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sitreps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("posted_by", sa.BigInteger(), nullable=False),
        sa.Column("posted_by_name", sa.String(length=100), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["dispatch_incidents.id"],
                                name=op.f("fk_sitreps_incident_id_dispatch_incidents")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_sitreps_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sitreps")),
        sa.UniqueConstraint("incident_id", "number", name=op.f("uq_sitreps_incident_id")),
    )
    op.create_table(
        "sitrep_counters",
        sa.Column("incident_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["dispatch_incidents.id"],
                                name=op.f("fk_sitrep_counters_incident_id_dispatch_incidents")),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_sitrep_counters")),
    )
    op.create_table(
        "pin_refusals",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_pin_refusals")),
    )
    with op.batch_alter_table("notices") as batch:
        batch.add_column(sa.Column("pin", sa.Boolean(), server_default=sa.false(),
                                   nullable=False))
        batch.add_column(sa.Column("photo", sa.String(length=255), nullable=True))
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("photo", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("photo")
    with op.batch_alter_table("notices") as batch:
        batch.drop_column("photo")
        batch.drop_column("pin")
    op.drop_table("pin_refusals")
    op.drop_table("sitrep_counters")
    op.drop_table("sitreps")
