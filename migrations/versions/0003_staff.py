"""staff: members, addresses, check-ins and alert deliveries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 16:45:12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_members",
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("linked_at", storage.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('staff', 'dsl', 'deputy_dsl', 'authority')",
            name=op.f("ck_staff_members_role"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_staff_members_school_id_schools"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("ref", name=op.f("pk_staff_members")),
    )
    with op.batch_alter_table("staff_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_members_school_id"), ["school_id"], unique=False)

    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("recipient_ref", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=16), nullable=False),
        sa.Column("sent_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.types.AwareDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["safeguarding_alerts.id"],
            name=op.f("fk_alert_deliveries_alert_id_safeguarding_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
        sa.UniqueConstraint(
            "alert_id", "recipient_ref", "step", name=op.f("uq_alert_deliveries_once")
        ),
    )
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_deliveries_alert_id"), ["alert_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_alert_deliveries_recipient_ref"), ["recipient_ref"], unique=False
        )

    op.create_table(
        "staff_addresses",
        sa.Column("staff_ref", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_ref"],
            ["staff_members.ref"],
            name=op.f("fk_staff_addresses_staff_ref_staff_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_ref", name=op.f("pk_staff_addresses")),
    )
    op.create_table(
        "staff_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_ref", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("lowest_well", sa.String(length=20), nullable=True),
        sa.Column("completed_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_staff_checkins_school_id_schools"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_ref"],
            ["staff_members.ref"],
            name=op.f("fk_staff_checkins_staff_ref_staff_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_checkins")),
    )
    with op.batch_alter_table("staff_checkins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_checkins_completed_at"), ["completed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_staff_checkins_school_id"), ["school_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_staff_checkins_staff_ref"), ["staff_ref"], unique=False
        )

    op.create_table(
        "staff_checkin_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("staff_ref", sa.String(length=64), nullable=False),
        sa.Column("domain", sa.String(length=20), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("answered_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["staff_checkins.id"],
            name=op.f("fk_staff_checkin_answers_checkin_id_staff_checkins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_ref"],
            ["staff_members.ref"],
            name=op.f("fk_staff_checkin_answers_staff_ref_staff_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_checkin_answers")),
    )
    with op.batch_alter_table("staff_checkin_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_checkin_answers_checkin_id"), ["checkin_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_staff_checkin_answers_staff_ref"), ["staff_ref"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_checkin_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_checkin_answers_staff_ref"))
        batch_op.drop_index(batch_op.f("ix_staff_checkin_answers_checkin_id"))

    op.drop_table("staff_checkin_answers")
    with op.batch_alter_table("staff_checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_checkins_staff_ref"))
        batch_op.drop_index(batch_op.f("ix_staff_checkins_school_id"))
        batch_op.drop_index(batch_op.f("ix_staff_checkins_completed_at"))

    op.drop_table("staff_checkins")
    op.drop_table("staff_addresses")
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_deliveries_recipient_ref"))
        batch_op.drop_index(batch_op.f("ix_alert_deliveries_alert_id"))

    op.drop_table("alert_deliveries")
    with op.batch_alter_table("staff_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_members_school_id"))

    op.drop_table("staff_members")
