"""processed_updates: channel updates already applied, so a re-delivered one is not applied twice

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "processed_updates",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("processed_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_processed_updates")),
    )
    op.create_index(
        op.f("ix_processed_updates_processed_at"),
        "processed_updates",
        ["processed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_processed_updates_processed_at"), table_name="processed_updates")
    op.drop_table("processed_updates")
