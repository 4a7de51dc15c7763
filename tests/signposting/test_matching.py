"""Matching: urgency, age limits, audiences, Welsh preference, school contacts, closed services."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.i18n import Text
from core.vocabulary import Language, RiskLevel
from signposting.contacts import SchoolContactInfo
from signposting.directory import Directory
from signposting.errors import SignpostInputError
from signposting.matching import Match, match
from signposting.taxonomy import NEEDS

LONDON = ZoneInfo("Europe/London")
CRISIS_REASONS = {"immediate_danger", "crisis_open", "welsh_language"}


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def ids(found: list[Match]) -> list[str]:
    return [m.service_id for m in found]


def contact(id: int, role: str) -> SchoolContactInfo:
    label = Text(cy=f"Cyswllt {id}", en=f"Contact {id}")
    return SchoolContactInfo.model_validate(
        {"id": id, "school_id": 1, "role": role, "label": label, "how_to_reach": label}
    )


WEDNESDAY_EVENING = london(2026, 11, 25, 20, 0)
WEDNESDAY_SMALL_HOURS = london(2026, 11, 25, 2, 0)


def test_critical_puts_999_first_then_open_crisis_lines(directory: Directory) -> None:
    found = match(
        directory,
        ["suicide"],
        "learner",
        14,
        Language.EN,
        WEDNESDAY_EVENING,
        level=RiskLevel.CRITICAL,
    )
    assert found[0].service_id == "emergency-999"
    assert found[0].reason == "immediate_danger"
    assert {"childline", "samaritans", "shout"} <= set(ids(found[1:6]))


def test_high_lists_open_crisis_lines_before_999(directory: Directory) -> None:
    found = match(
        directory,
        ["self_harm"],
        "learner",
        14,
        Language.EN,
        WEDNESDAY_EVENING,
        level=RiskLevel.HIGH,
    )
    order = ids(found)
    assert order[0] in {"childline", "samaritans", "shout"}
    assert "emergency-999" in order
    crisis_block = [m for m in found if m.reason in CRISIS_REASONS]
    assert found[: len(crisis_block)] == crisis_block  # crisis lines are a block at the top


def test_999_is_not_offered_for_a_low_need(directory: Directory) -> None:
    found = match(directory, ["exam_stress"], "learner", 15, Language.EN, WEDNESDAY_EVENING)
    assert "emergency-999" not in ids(found)


def test_welsh_learner_gets_the_welsh_line_with_the_24_7_line_beside_it(
    directory: Directory,
) -> None:
    found = match(
        directory, ["low_mood"], "learner", 15, Language.CY, WEDNESDAY_EVENING, level=RiskLevel.HIGH
    )
    order = ids(found)
    welsh = order.index("samaritans-welsh")
    assert order[welsh + 1] == "samaritans"
    assert welsh == 0
    assert found[0].reason == "welsh_language"


def test_welsh_line_when_closed_is_shown_later_with_its_next_opening(
    directory: Directory,
) -> None:
    found = match(
        directory,
        ["low_mood"],
        "learner",
        15,
        Language.CY,
        WEDNESDAY_SMALL_HOURS,
        level=RiskLevel.HIGH,
    )
    welsh = next(m for m in found if m.service_id == "samaritans-welsh")
    assert not welsh.open_now
    assert welsh.next_open == london(2026, 11, 25, 19, 0)
    assert welsh.reason not in CRISIS_REASONS
    assert ids(found).index("samaritans") < ids(found).index("samaritans-welsh")


def test_english_speaker_is_not_offered_the_welsh_only_line(directory: Directory) -> None:
    found = match(
        directory, ["low_mood"], "learner", 15, Language.EN, WEDNESDAY_EVENING, level=RiskLevel.HIGH
    )
    assert "samaritans-welsh" not in ids(found)


def test_welsh_preferred_among_equally_good_services(directory: Directory) -> None:
    found = match(directory, ["domestic_abuse"], "learner", 15, Language.CY, WEDNESDAY_EVENING)
    order = ids(found)
    # Live Fear Free works in Welsh; PAPYRUS etc. do not match; CEOP does not offer Welsh
    assert order.index("live-fear-free") < order.index("rct-emergency-duty-team")


@pytest.mark.parametrize("age", [18, 19])
def test_childline_is_for_under_19s(directory: Directory, age: int) -> None:
    found = match(directory, ["anxiety"], "learner", age, Language.EN, WEDNESDAY_EVENING)
    assert ("childline" in ids(found)) is (age < 19)


def test_age_limits_are_respected_everywhere(directory: Directory) -> None:
    for age in (11, 14, 17, 18):
        for need in NEEDS:
            for found in match(directory, [need], "learner", age, Language.EN, WEDNESDAY_EVENING):
                if found.kind == "service":
                    assert directory.service(found.service_id).takes_age(age), (need, age)


@pytest.mark.parametrize("level", [RiskLevel.LOW, RiskLevel.HIGH, RiskLevel.CRITICAL])
def test_staff_only_services_never_reach_learners(directory: Directory, level: RiskLevel) -> None:
    staff_only = {s.id for s in directory.services if "learner" not in s.audiences}
    assert {"education-support", "rct-employee-assistance", "nspcc-helpline"} <= staff_only
    for need in NEEDS:
        found = match(directory, [need], "learner", 15, Language.EN, WEDNESDAY_EVENING, level=level)
        assert not staff_only & set(ids(found)), need


def test_staff_get_staff_services(directory: Directory) -> None:
    found = match(directory, ["staff_wellbeing"], "staff", None, Language.EN, WEDNESDAY_EVENING)
    assert ids(found)[0] == "education-support"
    assert "childline" not in ids(found)
    assert {"rct-occupational-health", "rct-employee-assistance"} <= set(ids(found))


def test_unverified_is_never_a_crisis_contact(directory: Directory) -> None:
    moments = [london(2026, 11, 27, 16, 0) + timedelta(hours=h) for h in range(0, 72, 5)]
    for at in moments:
        for need in NEEDS:
            for level in (RiskLevel.HIGH, RiskLevel.CRITICAL):
                for found in match(directory, [need], "learner", 15, Language.CY, at, level=level):
                    if found.reason in CRISIS_REASONS:
                        assert found.verified and found.open_now, (need, at, found.service_id)


def test_duty_team_is_open_but_unverified_so_not_first(directory: Directory) -> None:
    saturday = london(2026, 11, 28, 14, 0)
    found = match(directory, ["abuse"], "learner", 13, Language.EN, saturday, level=RiskLevel.HIGH)
    edt = next(m for m in found if m.service_id == "rct-emergency-duty-team")
    assert edt.open_now and not edt.verified
    assert edt.reason == "need_match"


def test_closed_services_are_never_shown_open(directory: Directory) -> None:
    for at in (WEDNESDAY_SMALL_HOURS, london(2026, 11, 28, 23, 30), london(2026, 3, 29, 1, 30)):
        for need in NEEDS:
            for found in match(directory, [need], "learner", 15, Language.EN, at):
                if found.kind != "service":
                    continue
                hours = directory.hours(directory.service(found.service_id), at)
                assert found.open_now is hours.open_now
                if found.open_now:
                    assert found.next_open is None
                elif found.next_open is not None:
                    assert found.next_open > at
                    assert found.next_open.tzinfo is not None


def test_closed_meic_shows_next_opening_in_london_time(directory: Directory) -> None:
    found = match(directory, ["exam_stress"], "learner", 15, Language.EN, WEDNESDAY_SMALL_HOURS)
    meic = next(m for m in found if m.service_id == "meic")
    assert not meic.open_now
    assert meic.next_open == london(2026, 11, 25, 8, 0)
    assert meic.next_open is not None and meic.next_open.utcoffset() == timedelta(0)


def test_specific_help_ranks_above_general_listening(directory: Directory) -> None:
    found = match(directory, ["substance"], "learner", 16, Language.EN, WEDNESDAY_EVENING)
    order = ids(found)
    assert order.index("dan-247") < order.index("samaritans")
    assert found[0].reason == "need_match"
    assert "drugs and alcohol" in found[0].why.en and "cyffuriau" in found[0].why.cy


def test_school_contacts_come_first_for_a_non_emergency(directory: Directory) -> None:
    contacts = [contact(1, "dsl"), contact(2, "wellbeing_lead"), contact(3, "counsellor")]
    found = match(
        directory,
        ["exam_stress"],
        "learner",
        14,
        Language.EN,
        WEDNESDAY_EVENING,
        school_contacts=contacts,
    )
    assert ids(found)[:3] == ["school-contact:2", "school-contact:3", "school-contact:1"]
    assert all(not m.open_now for m in found[:3])  # school hours are never claimed


def test_school_safeguarding_lead_first_for_a_safeguarding_need(directory: Directory) -> None:
    contacts = [contact(2, "wellbeing_lead"), contact(1, "dsl")]
    found = match(
        directory,
        ["bullying"],
        "learner",
        14,
        Language.EN,
        WEDNESDAY_EVENING,
        school_contacts=contacts,
    )
    assert ids(found)[:2] == ["school-contact:1", "school-contact:2"]
    assert "safeguarding" in found[0].why.en


def test_school_contacts_follow_crisis_lines_when_urgent(directory: Directory) -> None:
    contacts = [contact(1, "dsl")]
    found = match(
        directory,
        ["suicide"],
        "learner",
        14,
        Language.EN,
        WEDNESDAY_EVENING,
        level=RiskLevel.CRITICAL,
        school_contacts=contacts,
    )
    order = ids(found)
    assert order[0] == "emergency-999"
    position = order.index("school-contact:1")
    assert all(m.reason in CRISIS_REASONS for m in found[:position])


def test_inactive_services_are_never_offered(directory: Directory) -> None:
    for need in NEEDS:
        assert "kooth" not in ids(
            match(directory, [need], "learner", 15, Language.EN, WEDNESDAY_EVENING)
        )


def test_limit(directory: Directory) -> None:
    found = match(directory, ["anxiety"], "learner", 15, Language.EN, WEDNESDAY_EVENING, limit=2)
    assert len(found) == 2


def test_unknown_need_names_the_choices(directory: Directory) -> None:
    with pytest.raises(SignpostInputError, match="choose from: suicide, self_harm"):
        match(directory, ["sadness"], "learner", 15, Language.EN, WEDNESDAY_EVENING)


def test_unknown_audience_names_the_choices(directory: Directory) -> None:
    with pytest.raises(SignpostInputError, match="learner, staff, parent"):
        match(directory, ["anxiety"], "pupil", 15, "en", WEDNESDAY_EVENING)  # type: ignore[arg-type]


def test_naive_time_is_refused(directory: Directory) -> None:
    with pytest.raises(SignpostInputError, match="timezone"):
        match(directory, ["anxiety"], "learner", 15, Language.EN, datetime(2026, 11, 25, 20))  # noqa: DTZ001


def test_same_instant_in_any_zone_gives_the_same_answer(directory: Directory) -> None:
    at_utc = datetime(2026, 7, 1, 18, 30, tzinfo=UTC)  # 19:30 BST: Welsh line open
    found = match(directory, ["low_mood"], "learner", 15, Language.CY, at_utc, level=RiskLevel.HIGH)
    assert found[0].service_id == "samaritans-welsh"
    assert found == match(
        directory,
        ["low_mood"],
        "learner",
        15,
        Language.CY,
        at_utc.astimezone(LONDON),
        level=RiskLevel.HIGH,
    )
