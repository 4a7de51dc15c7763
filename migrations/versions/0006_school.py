"""school: the outbox, invitations, code attempts, requests that reach a person, alert events

The outbox for messages to people; schools get a code prefix; enrolment codes can be single-use
invitations with an expiry; people count wrong codes; contact requests record how the learner
wants to be found, who took them and when they are re-sent; messages between school and learner;
and ``alert_events``, an append-only chronology (triggers refuse UPDATE and DELETE).

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=160), nullable=False),
        sa.Column("person_ref", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("message", sa.JSON(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("created_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", storage.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("last_error_kind", sa.String(length=60), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name=op.f("ck_outbox_status")
        ),
        sa.CheckConstraint("audience IN ('learner', 'staff')", name=op.f("ck_outbox_audience")),
        sa.CheckConstraint("priority BETWEEN 0 AND 9", name=op.f("ck_outbox_priority")),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.ref"],
            name=op.f("fk_outbox_person_ref_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_idempotency_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_person_ref"), ["person_ref"], unique=False)
        batch_op.create_index("ix_outbox_due", ["status", "priority", "not_before"], unique=False)

    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_prefix", sa.String(length=12), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_schools_code_prefix"), ["code_prefix"])
    with op.batch_alter_table("enrolment_codes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("single_use", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("expires_at", storage.types.AwareDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("used_at", storage.types.AwareDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("used_by", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("created_at", storage.types.AwareDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("code_failures", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "code_blocked_until", storage.types.AwareDateTime(timezone=True), nullable=True
            )
        )
    op.execute("UPDATE contact_requests SET status = 'closed' WHERE status = 'done'")
    with op.batch_alter_table("contact_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("first_name", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("form", sa.String(length=30), nullable=True))
        batch_op.add_column(
            sa.Column("reply_here", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("taken_by", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("taken_at", storage.types.AwareDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("step", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("next_step_at", storage.types.AwareDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "school_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("alert_id", sa.String(length=36), nullable=True),
        sa.Column("learner_ref", sa.String(length=64), nullable=False),
        sa.Column("staff_ref", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["safeguarding_alerts.id"],
            name=op.f("fk_school_messages_alert_id_safeguarding_alerts"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["contact_requests.id"],
            name=op.f("fk_school_messages_request_id_contact_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_messages")),
    )
    with op.batch_alter_table("school_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_messages_alert_id"), ["alert_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_school_messages_learner_ref"), ["learner_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_school_messages_request_id"), ["request_id"], unique=False
        )
    op.create_table(
        "alert_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("by_ref", sa.String(length=64), nullable=True),
        sa.Column("by_role", sa.String(length=20), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["safeguarding_alerts.id"],
            name=op.f("fk_alert_events_alert_id_safeguarding_alerts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_events")),
    )
    with op.batch_alter_table("alert_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_events_alert_id"), ["alert_id"], unique=False)
    _append_only("alert_events")


def _append_only(table: str) -> None:
    """The database itself refuses to change or remove a row of ``table``."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{table} is append-only: add a correction instead'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} BEGIN "
            f"SELECT RAISE(ABORT, '{table} is append-only: add a correction instead'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS alert_events_append_only ON alert_events")
        op.execute("DROP FUNCTION IF EXISTS alert_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS alert_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS alert_events_no_delete")
    with op.batch_alter_table("alert_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_events_alert_id"))
    op.drop_table("alert_events")
    with op.batch_alter_table("school_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_messages_request_id"))
        batch_op.drop_index(batch_op.f("ix_school_messages_learner_ref"))
        batch_op.drop_index(batch_op.f("ix_school_messages_alert_id"))
    op.drop_table("school_messages")
    with op.batch_alter_table("contact_requests", schema=None) as batch_op:
        for column in (
            "next_step_at",
            "step",
            "taken_at",
            "taken_by",
            "reply_here",
            "form",
            "first_name",
            "channel",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("code_blocked_until")
        batch_op.drop_column("code_failures")
    with op.batch_alter_table("enrolment_codes", schema=None) as batch_op:
        for column in ("created_at", "used_by", "used_at", "expires_at", "single_use"):
            batch_op.drop_column(column)
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_schools_code_prefix"), type_="unique")
        batch_op.drop_column("code_prefix")

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")
        batch_op.drop_index(batch_op.f("ix_outbox_person_ref"))
    op.drop_table("outbox")
