"""reason questions are written before they are sent: an id of their own, the message id later

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = "chat_id, message_id, kind, ref, tg_id, created_at"


def upgrade() -> None:
    op.create_table(
        "dispatch_prompts_new",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.Integer(), nullable=False),
        sa.Column("tg_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute(f"INSERT INTO dispatch_prompts_new ({COLUMNS}) "
               f"SELECT {COLUMNS} FROM dispatch_prompts")
    op.drop_table("dispatch_prompts")
    op.rename_table("dispatch_prompts_new", "dispatch_prompts")
    op.create_index("ix_dispatch_prompts_chat_id", "dispatch_prompts", ["chat_id"])


def downgrade() -> None:
    op.drop_index("ix_dispatch_prompts_chat_id", table_name="dispatch_prompts")
    op.create_table(
        "dispatch_prompts_old",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True),
        sa.Column("message_id", sa.BigInteger(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.Integer(), nullable=False),
        sa.Column("tg_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # A question never sent has no message to be answered by: it is dropped.
    op.execute(f"INSERT INTO dispatch_prompts_old ({COLUMNS}) SELECT {COLUMNS} "
               "FROM dispatch_prompts WHERE message_id IS NOT NULL")
    op.drop_table("dispatch_prompts")
    op.rename_table("dispatch_prompts_old", "dispatch_prompts")
