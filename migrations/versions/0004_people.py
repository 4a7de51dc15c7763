"""people: one person store for learners and staff

Learners and staff move into ``people``; staff addresses into ``reply_addresses``; staff check-ins
and answers into ``checkins``/``checkin_answers`` (which now record the audience and the school
at the time); then the old tables go. Runs in batch mode on SQLite (with foreign keys off, as
``migrations/env.py`` connects) and directly on PostgreSQL.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

AUDIENCES = "audience IN ('learner', 'staff')"
ROLES = "role IN ('staff', 'dsl', 'deputy_dsl', 'wellbeing_lead', 'authority')"
ROLE_FOR_STAFF = (
    "(audience = 'staff' AND role IS NOT NULL) OR (audience = 'learner' AND role IS NULL)"
)


def _scalar(sql: str) -> int:
    return int(op.get_bind().execute(sa.text(sql)).scalar() or 0)


def _advance_sequence(table: str) -> None:
    """After inserting explicit ids, let PostgreSQL's serial carry on after the highest."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )


def _repoint(
    table: str,
    column: str,
    old: str,
    new: str,
    *,
    rename: str | None = None,
    indexed: bool = True,
) -> None:
    """Point ``table.column`` (renamed to ``rename``) at ``new``.ref instead of ``old``.ref."""
    name = rename or column
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(f"fk_{table}_{column}_{old}", type_="foreignkey")
        if rename:
            if indexed:
                batch_op.drop_index(f"ix_{table}_{column}")
            batch_op.alter_column(column, new_column_name=rename)
    # a second batch: SQLite's batch mode cannot index a column renamed in the same batch
    with op.batch_alter_table(table, schema=None) as batch_op:
        if rename and indexed:
            batch_op.create_index(batch_op.f(f"ix_{table}_{rename}"), [rename], unique=False)
        batch_op.create_foreign_key(
            batch_op.f(f"fk_{table}_{name}_{new}"), new, [name], ["ref"], ondelete="CASCADE"
        )


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("year_group", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("linked_at", storage.types.AwareDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(AUDIENCES, name=op.f("ck_people_audience")),
        sa.CheckConstraint(ROLES, name=op.f("ck_people_role")),
        sa.CheckConstraint(ROLE_FOR_STAFF, name=op.f("ck_people_role_for_staff")),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_people_school_id_schools"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("ref", name=op.f("pk_people")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_school_id"), ["school_id"], unique=False)

    op.execute(
        "INSERT INTO people (ref, audience, channel, language, school_id, year_group, role,"
        " stopped, created_at, linked_at)"
        " SELECT ref, 'learner', channel, language, school_id, year_group, NULL, stopped,"
        " created_at, NULL FROM learners"
    )
    op.execute(
        "INSERT INTO people (ref, audience, channel, language, school_id, year_group, role,"
        " stopped, created_at, linked_at)"
        " SELECT ref, 'staff', channel, language, school_id, NULL, role, false, created_at,"
        " linked_at FROM staff_members"
    )

    # one address table: learners' rows stay, staff rows join them
    _repoint(
        "reply_addresses", "learner_ref", "learners", "people", rename="person_ref", indexed=False
    )
    op.execute(
        "INSERT INTO reply_addresses (person_ref, channel, chat_id)"
        " SELECT staff_ref, channel, chat_id FROM staff_addresses"
    )

    # one check-in pair: learners' rows stay (with the school they are in now), staff rows join
    _repoint_checkins()
    offset = _scalar("SELECT MAX(id) FROM checkins")
    op.execute(
        "INSERT INTO checkins (id, person_ref, audience, school_id, completed_at, comment,"
        " lowest_well)"
        f" SELECT id + {offset}, staff_ref, 'staff', school_id, completed_at, NULL, lowest_well"
        " FROM staff_checkins"
    )
    _advance_sequence("checkins")
    _repoint("checkin_answers", "learner_ref", "learners", "people", rename="person_ref")
    answers_offset = _scalar("SELECT MAX(id) FROM checkin_answers")
    op.execute(
        "INSERT INTO checkin_answers (id, checkin_id, person_ref, domain, item_id, value,"
        " answered_at)"
        f" SELECT id + {answers_offset}, checkin_id + {offset}, staff_ref, domain, item_id,"
        " value, answered_at FROM staff_checkin_answers"
    )
    _advance_sequence("checkin_answers")

    _repoint("mood_logs", "learner_ref", "learners", "people")
    _repoint("contact_requests", "learner_ref", "learners", "people")

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
    with op.batch_alter_table("staff_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_members_school_id"))
    op.drop_table("staff_members")
    with op.batch_alter_table("learners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learners_school_id"))
    op.drop_table("learners")
    _check_foreign_keys()


def _repoint_checkins() -> None:
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_constraint("fk_checkins_learner_ref_learners", type_="foreignkey")
        batch_op.drop_index("ix_checkins_learner_ref")
        batch_op.alter_column("learner_ref", new_column_name="person_ref")
        batch_op.add_column(sa.Column("audience", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("school_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lowest_well", sa.String(length=20), nullable=True))
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_checkins_person_ref_people"),
            "people",
            ["person_ref"],
            ["ref"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_checkins_school_id_schools"),
            "schools",
            ["school_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_checkins_person_ref"), ["person_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_checkins_school_id"), ["school_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_checkins_completed_at"), ["completed_at"], unique=False
        )
    op.execute(
        "UPDATE checkins SET audience = 'learner', school_id = ("
        "SELECT people.school_id FROM people WHERE people.ref = checkins.person_ref)"
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.alter_column("audience", existing_type=sa.String(length=10), nullable=False)


def _check_foreign_keys() -> None:
    """On SQLite (foreign keys off while migrating) prove that every reference still holds."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        broken = bind.execute(sa.text("PRAGMA foreign_key_check")).fetchall()
        if broken:
            raise RuntimeError(f"migration 0004 left {len(broken)} broken reference(s)")


def downgrade() -> None:
    op.create_table(
        "learners",
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("year_group", sa.Integer(), nullable=True),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_learners_school_id_schools"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("ref", name=op.f("pk_learners")),
    )
    with op.batch_alter_table("learners", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learners_school_id"), ["school_id"], unique=False)
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

    op.execute(
        "INSERT INTO learners (ref, channel, language, school_id, year_group, stopped,"
        " created_at) SELECT ref, channel, language, school_id, year_group, stopped, created_at"
        " FROM people WHERE audience = 'learner'"
    )
    # a wellbeing lead did not exist before 0004: they go back as staff
    op.execute(
        "INSERT INTO staff_members (ref, channel, language, school_id, role, linked_at,"
        " created_at) SELECT ref, channel, language, school_id,"
        " CASE WHEN role = 'wellbeing_lead' THEN 'staff' ELSE role END, linked_at, created_at"
        " FROM people WHERE audience = 'staff'"
    )
    op.execute(
        "INSERT INTO staff_addresses (staff_ref, channel, chat_id)"
        " SELECT person_ref, channel, chat_id FROM reply_addresses"
        " WHERE person_ref IN (SELECT ref FROM staff_members)"
    )
    op.execute(
        "INSERT INTO staff_checkins (id, staff_ref, school_id, lowest_well, completed_at)"
        " SELECT id, person_ref, school_id, lowest_well, completed_at FROM checkins"
        " WHERE audience = 'staff'"
    )
    op.execute(
        "INSERT INTO staff_checkin_answers (id, checkin_id, staff_ref, domain, item_id, value,"
        " answered_at) SELECT id, checkin_id, person_ref, domain, item_id, value, answered_at"
        " FROM checkin_answers WHERE person_ref IN (SELECT ref FROM staff_members)"
    )
    _advance_sequence("staff_checkins")
    _advance_sequence("staff_checkin_answers")
    op.execute("DELETE FROM checkin_answers WHERE person_ref IN (SELECT ref FROM staff_members)")
    op.execute("DELETE FROM checkins WHERE audience = 'staff'")
    op.execute("DELETE FROM reply_addresses WHERE person_ref IN (SELECT ref FROM staff_members)")

    _repoint("contact_requests", "learner_ref", "people", "learners")
    _repoint("mood_logs", "learner_ref", "people", "learners")
    _repoint("checkin_answers", "person_ref", "people", "learners", rename="learner_ref")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkins_completed_at"))
        batch_op.drop_index(batch_op.f("ix_checkins_school_id"))
        batch_op.drop_constraint("fk_checkins_school_id_schools", type_="foreignkey")
        batch_op.drop_column("lowest_well")
        batch_op.drop_column("school_id")
        batch_op.drop_column("audience")
    _repoint("checkins", "person_ref", "people", "learners", rename="learner_ref")
    _repoint(
        "reply_addresses", "person_ref", "people", "learners", rename="learner_ref", indexed=False
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_school_id"))
    op.drop_table("people")
    _check_foreign_keys()
