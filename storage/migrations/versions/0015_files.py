"""files the bot made (reports, charts) and the notice that carries one

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 17:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_files")),
    )
    with op.batch_alter_table("notices") as batch:
        batch.add_column(sa.Column("document", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_notices_document_files"), "files",
                                 ["document"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("notices") as batch:
        batch.drop_constraint(batch.f("fk_notices_document_files"), type_="foreignkey")
        batch.drop_column("document")
    op.drop_table("files")
