"""voice: invitation schedules and opt-ins, school calendars, polls and answers, "you said, we
did" posts, and the campaigns planned (their messages go through the outbox of 0006, each under
the key <campaign>:<learner>)

Revision ID: 0010
Revises: 0006, 0007 (on main it was to follow 0004; it joins the outbox of 0006 and the web
mailbox of 0007, which both follow 0004)
Create Date: 2026-12-01 12:29:54.246593
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "campaigns",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("planned_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_campaigns")),
    )
    op.create_table(
        "polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("school_ids", sa.JSON(), nullable=False),
        sa.Column("year_groups", sa.JSON(), nullable=False),
        sa.Column("opens_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("min_answers", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("results_at", storage.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("results", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_polls")),
    )
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_polls_closes_at"), ["closes_at"], unique=False)

    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("text_cy", sa.Text(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=True),
        sa.Column("theme", sa.String(length=40), nullable=True),
        sa.Column("posted_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["polls.id"],
            name=op.f("fk_announcements_poll_id_polls"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_announcements_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
    )
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_announcements_posted_at"), ["posted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_announcements_school_id"), ["school_id"], unique=False)

    op.create_table(
        "invite_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("at_time", sa.String(length=5), nullable=False),
        sa.Column("window_minutes", sa.Integer(), nullable=False),
        sa.Column("year_groups", sa.JSON(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_invite_schedules_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_schedules")),
    )
    with op.batch_alter_table("invite_schedules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invite_schedules_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "school_calendars",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("updated_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_school_calendars_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("school_id", name=op.f("pk_school_calendars")),
    )
    op.create_table(
        "invitation_optins",
        sa.Column("person_ref", sa.String(length=64), nullable=False),
        sa.Column("opted_in_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.ref"],
            name=op.f("fk_invitation_optins_person_ref_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_ref", name=op.f("pk_invitation_optins")),
    )
    op.create_table(
        "poll_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("year_group", sa.Integer(), nullable=True),
        sa.Column("question_id", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("theme", sa.String(length=40), nullable=True),
        sa.Column("answered_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_ref"],
            ["people.ref"],
            name=op.f("fk_poll_answers_person_ref_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["polls.id"],
            name=op.f("fk_poll_answers_poll_id_polls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_poll_answers_school_id_schools"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_answers")),
        sa.UniqueConstraint("poll_id", "person_ref", "question_id", name="uq_poll_answers_once"),
    )
    with op.batch_alter_table("poll_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_poll_answers_person_ref"), ["person_ref"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_poll_answers_poll_id"), ["poll_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("poll_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poll_answers_poll_id"))
        batch_op.drop_index(batch_op.f("ix_poll_answers_person_ref"))

    op.drop_table("poll_answers")
    op.drop_table("invitation_optins")
    op.drop_table("school_calendars")
    with op.batch_alter_table("invite_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invite_schedules_school_id"))

    op.drop_table("invite_schedules")
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_announcements_school_id"))
        batch_op.drop_index(batch_op.f("ix_announcements_posted_at"))

    op.drop_table("announcements")
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_polls_closes_at"))

    op.drop_table("polls")
    op.drop_table("campaigns")
