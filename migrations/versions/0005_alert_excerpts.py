"""alert excerpts: every disclosure of a safety conversation, and whether it is about someone else

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("safeguarding_alerts") as batch:
        batch.add_column(sa.Column("excerpts", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("about_other", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # alerts raised before this revision have an empty list: their one excerpt stays in excerpt


def downgrade() -> None:
    with op.batch_alter_table("safeguarding_alerts") as batch:
        batch.drop_column("about_other")
        batch.drop_column("excerpts")
