"""web_messages: the web chat's mailbox

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-01 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = "0007"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailbox", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=False),
        sa.Column("created_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "author IN ('learner', 'llais', 'staff')", name=op.f("ck_web_messages_author")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_messages")),
    )
    with op.batch_alter_table("web_messages", schema=None) as batch_op:
        batch_op.create_index("ix_web_messages_mailbox_id", ["mailbox", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_web_messages_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("web_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_messages_created_at"))
        batch_op.drop_index("ix_web_messages_mailbox_id")
    op.drop_table("web_messages")
