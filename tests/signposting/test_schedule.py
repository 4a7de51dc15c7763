"""Opening hours in Europe/London: edges, midnight, weekends, bank holidays and DST changes."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from signposting.directory import Directory
from signposting.hsds import Schedule
from signposting.schedule import always_open, hours_at

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def status(directory: Directory, service_id: str, at: datetime) -> tuple[bool, datetime | None]:
    hours = directory.hours(directory.service(service_id), at)
    return hours.open_now, hours.next_open


@pytest.mark.parametrize(
    ("at", "open_now", "next_open"),
    [
        (london(2026, 11, 25, 18, 59), False, london(2026, 11, 25, 19, 0)),
        (london(2026, 11, 25, 19, 0), True, None),
        (london(2026, 11, 25, 22, 59), True, None),
        (london(2026, 11, 25, 23, 0), False, london(2026, 11, 26, 19, 0)),
        (london(2026, 11, 26, 0, 30), False, london(2026, 11, 26, 19, 0)),
    ],
)
def test_samaritans_welsh_line_evening_hours(
    directory: Directory, at: datetime, open_now: bool, next_open: datetime | None
) -> None:
    assert status(directory, "samaritans-welsh", at) == (open_now, next_open)


@pytest.mark.parametrize(
    ("at", "open_now", "next_open"),
    [
        (london(2026, 11, 28, 7, 59), False, london(2026, 11, 28, 8, 0)),  # Saturday
        (london(2026, 11, 28, 8, 0), True, None),
        (london(2026, 11, 28, 23, 59), True, None),
        (london(2026, 11, 29, 0, 0), False, london(2026, 11, 29, 8, 0)),  # midnight closes
        (london(2026, 11, 29, 3, 0), False, london(2026, 11, 29, 8, 0)),
    ],
)
def test_meic_closes_at_midnight(
    directory: Directory, at: datetime, open_now: bool, next_open: datetime | None
) -> None:
    assert status(directory, "meic", at) == (open_now, next_open)


def test_meic_stays_open_until_midnight(directory: Directory) -> None:
    hours = directory.hours(directory.service("meic"), london(2026, 11, 25, 21, 0))
    assert hours.open_now
    assert hours.closes_at == london(2026, 11, 26, 0, 0)


@pytest.mark.parametrize(
    ("at", "open_now", "next_open"),
    [
        (london(2026, 11, 27, 16, 29), False, london(2026, 11, 27, 16, 30)),  # Friday
        (london(2026, 11, 27, 16, 30), True, None),
        (london(2026, 11, 28, 3, 0), True, None),  # Saturday night
        (london(2026, 11, 29, 23, 59), True, None),  # Sunday, just before midnight
        (london(2026, 11, 30, 8, 29), True, None),  # Monday morning
        (london(2026, 11, 30, 8, 30), False, london(2026, 11, 30, 17, 0)),
        (london(2026, 12, 1, 3, 0), True, None),  # Monday evening runs to Tuesday 08:30
        (london(2026, 12, 2, 12, 0), False, london(2026, 12, 2, 17, 0)),  # Wednesday daytime
        (london(2026, 12, 4, 8, 30), False, london(2026, 12, 4, 16, 30)),  # Friday daytime
    ],
)
def test_emergency_duty_team_out_of_hours(
    directory: Directory, at: datetime, open_now: bool, next_open: datetime | None
) -> None:
    assert status(directory, "rct-emergency-duty-team", at) == (open_now, next_open)


@pytest.mark.parametrize(
    ("at", "open_now", "next_open"),
    [
        (london(2026, 11, 30, 8, 29), False, london(2026, 11, 30, 8, 30)),
        (london(2026, 11, 30, 8, 30), True, None),
        (london(2026, 11, 27, 16, 59), True, None),
        (london(2026, 11, 27, 17, 0), False, london(2026, 11, 30, 8, 30)),  # Friday → Monday
        (london(2026, 11, 28, 12, 0), False, london(2026, 11, 30, 8, 30)),  # Saturday
    ],
)
def test_childrens_services_office_hours(
    directory: Directory, at: datetime, open_now: bool, next_open: datetime | None
) -> None:
    assert status(directory, "rct-childrens-services", at) == (open_now, next_open)


def test_bank_holiday_closes_the_office_and_opens_the_duty_team(directory: Directory) -> None:
    bank_holiday_noon = london(2026, 8, 31, 12, 0)  # summer bank holiday, a Monday
    assert status(directory, "rct-childrens-services", bank_holiday_noon) == (
        False,
        london(2026, 9, 1, 8, 30),
    )
    assert status(directory, "rct-emergency-duty-team", bank_holiday_noon) == (True, None)
    # the Monday evening shift still runs on into Tuesday morning
    assert status(directory, "rct-emergency-duty-team", london(2026, 9, 1, 8, 0)) == (True, None)


def test_christmas_substitute_day_is_closed(directory: Directory) -> None:
    # 26 December 2026 is a Saturday, so Monday 28 December is the substitute bank holiday
    assert status(directory, "rct-childrens-services", london(2026, 12, 28, 10, 0)) == (
        False,
        london(2026, 12, 29, 8, 30),
    )


@pytest.mark.parametrize(
    "service_id", ["samaritans", "childline", "shout", "call", "emergency-999"]
)
def test_24_7_lines_are_open_at_every_hour_of_a_week(directory: Directory, service_id: str) -> None:
    service = directory.service(service_id)
    assert directory.is_24_7(service)
    start = london(2026, 3, 26, 0, 0)  # a week that contains the spring DST change
    for step in range(7 * 48):
        at = start.astimezone(UTC) + timedelta(minutes=30 * step)
        hours = directory.hours(service, at)
        assert hours.open_now and hours.closes_at is None, at


def test_not_24_7(directory: Directory) -> None:
    assert not directory.is_24_7(directory.service("meic"))
    assert not directory.is_24_7(directory.service("rct-emergency-duty-team"))


def test_welsh_line_on_the_spring_dst_day(directory: Directory) -> None:
    # 29 March 2026: clocks go forward at 01:00 UTC; 19:00 BST is 18:00 UTC
    assert status(directory, "samaritans-welsh", datetime(2026, 3, 29, 17, 59, tzinfo=UTC)) == (
        False,
        datetime(2026, 3, 29, 18, 0, tzinfo=UTC),
    )
    assert status(directory, "samaritans-welsh", datetime(2026, 3, 29, 18, 0, tzinfo=UTC))[0]
    assert not status(directory, "samaritans-welsh", datetime(2026, 3, 29, 22, 0, tzinfo=UTC))[0]


def test_meic_on_the_autumn_dst_day(directory: Directory) -> None:
    # 25 October 2026: clocks go back at 01:00 UTC; 08:00 GMT is 08:00 UTC (07:00 the day before)
    assert status(directory, "meic", datetime(2026, 10, 25, 7, 30, tzinfo=UTC)) == (
        False,
        datetime(2026, 10, 25, 8, 0, tzinfo=UTC),
    )
    assert status(directory, "meic", datetime(2026, 10, 24, 7, 30, tzinfo=UTC))[0]  # 08:30 BST
    # midnight after the change is 00:00 GMT; still open at 23:30 UTC
    assert status(directory, "meic", datetime(2026, 10, 25, 23, 30, tzinfo=UTC))[0]


def test_next_open_keeps_local_wall_time_across_the_change(directory: Directory) -> None:
    # Saturday 24 October, after 23:00 BST: the next Welsh line opening is Sunday 19:00 GMT
    hours = directory.hours(
        directory.service("samaritans-welsh"), datetime(2026, 10, 24, 22, 30, tzinfo=UTC)
    )
    assert hours.next_open == datetime(2026, 10, 25, 19, 0, tzinfo=UTC)
    assert hours.next_open is not None
    assert hours.next_open.astimezone(LONDON).hour == 19


def test_opening_inside_the_spring_gap_starts_when_the_clock_jumps() -> None:
    rule = Schedule(id="r", byday="SU", opens_at=time(1, 30), closes_at=time(3, 0))
    # 01:30 does not exist on 29 March 2026: it is read with the winter offset, i.e. 02:30 BST
    before = hours_at([rule], datetime(2026, 3, 29, 0, 59, tzinfo=UTC), LONDON)
    assert not before.open_now
    assert before.next_open == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    during = hours_at([rule], datetime(2026, 3, 29, 1, 45, tzinfo=UTC), LONDON)
    assert during.open_now
    assert during.closes_at == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)  # 03:00 BST


def test_no_schedule_means_hours_unknown_never_open(directory: Directory) -> None:
    hours = directory.hours(directory.service("runaway-helpline"), london(2026, 11, 25, 12, 0))
    assert (hours.open_now, hours.next_open, hours.known) == (False, None, False)


def test_naive_time_is_refused() -> None:
    rule = Schedule(id="r", byday="MO", opens_at=time(9), closes_at=time(17))
    with pytest.raises(ValueError, match="timezone-aware"):
        hours_at([rule], datetime(2026, 11, 30, 10, 0), LONDON)  # noqa: DTZ001


def test_always_open_needs_every_day() -> None:
    six_days = Schedule(id="r", byday="MO,TU,WE,TH,FR,SA", opens_at=time(0), closes_at=time(0))
    assert not always_open([six_days])
    sunday = Schedule(id="s", byday="SU", opens_at=time(0), closes_at=time(0))
    assert always_open([six_days, sunday])
