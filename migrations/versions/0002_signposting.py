"""signposting: per-school contacts and directory imports

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "school_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("label_cy", sa.String(length=200), nullable=True),
        sa.Column("how_to_reach", sa.String(length=500), nullable=False),
        sa.Column("how_to_reach_cy", sa.String(length=500), nullable=True),
        sa.Column("when", sa.Text(), nullable=True),
        sa.Column("when_cy", sa.Text(), nullable=True),
        sa.Column("created_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('dsl', 'deputy_dsl', 'wellbeing_lead', 'counsellor', 'elsa')",
            name=op.f("ck_school_contacts_role"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_school_contacts_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_contacts")),
    )
    with op.batch_alter_table("school_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_school_contacts_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "directory_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imported_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("service_count", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_imports")),
    )
    with op.batch_alter_table("directory_imports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_directory_imports_imported_at"), ["imported_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("directory_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_imports_imported_at"))
    op.drop_table("directory_imports")
    with op.batch_alter_table("school_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_contacts_school_id"))
    op.drop_table("school_contacts")
