"""Crisis contacts for the safeguarding reply, and the text block they are written as."""

from datetime import datetime
from zoneinfo import ZoneInfo

from core.i18n import Catalogue
from core.vocabulary import Language, RiskLevel
from signposting.crisis import bilingual_block, crisis_contacts, format_contacts
from signposting.directory import Directory
from signposting.hsds import Document
from signposting.matching import match

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def ids(directory: Directory, at: datetime, language: str, age: int | None) -> list[str]:
    return [m.service_id for m in crisis_contacts(directory, at, language, age)]  # type: ignore[arg-type]


def test_order_in_the_evening_in_welsh(directory: Directory) -> None:
    assert ids(directory, london(2026, 11, 25, 20, 0), "cy", 14) == [
        "emergency-999",
        "childline",
        "samaritans-welsh",
        "samaritans",
        "shout",
        "call",
        "meic",
    ]


def test_order_in_the_evening_in_english(directory: Directory) -> None:
    assert ids(directory, london(2026, 11, 25, 20, 0), "en", 14) == [
        "emergency-999",
        "childline",
        "samaritans",
        "shout",
        "call",
        "meic",
    ]


def test_small_hours_leave_out_closed_lines(directory: Directory) -> None:
    assert ids(directory, london(2026, 11, 25, 2, 0), "cy", 14) == [
        "emergency-999",
        "childline",
        "samaritans",
        "shout",
        "call",
    ]


def test_welsh_line_closes_at_eleven(directory: Directory) -> None:
    assert "samaritans-welsh" in ids(directory, london(2026, 11, 25, 22, 59), "cy", 14)
    assert "samaritans-welsh" not in ids(directory, london(2026, 11, 25, 23, 0), "cy", 14)


def test_age_limits(directory: Directory) -> None:
    at = london(2026, 11, 25, 20, 0)
    assert "childline" not in ids(directory, at, "en", 19)
    assert "meic" in ids(directory, at, "en", 25)
    assert "meic" not in ids(directory, at, "en", 26)
    assert "childline" in ids(directory, at, "en", None)


def test_every_crisis_contact_is_verified_and_open(directory: Directory) -> None:
    for hour in range(24):
        at = london(2026, 11, 28, hour, 30)
        for found in crisis_contacts(directory, at, Language.CY, 15):
            assert found.verified and found.open_now
            assert found.phones, found.service_id


def test_an_unverified_line_is_dropped_even_if_marked_crisis(directory: Directory) -> None:
    services = tuple(
        s.model_copy(update={"verified": False}) if s.id == "childline" else s
        for s in directory.services
    )
    changed = Directory(
        Document(organizations=directory.document.organizations, services=services),
        LONDON,
        "test",
    )
    assert "childline" not in ids(changed, london(2026, 11, 25, 20, 0), "en", 14)
    urgent = match(
        changed,
        ["suicide"],
        "learner",
        14,
        Language.EN,
        london(2026, 11, 25, 20),
        level=RiskLevel.HIGH,
    )
    childline = next(m for m in urgent if m.service_id == "childline")
    assert childline.reason == "need_match"


def test_format_in_welsh_and_english(directory: Directory) -> None:
    found = crisis_contacts(directory, london(2026, 11, 25, 20, 0), Language.CY, 14)
    welsh = format_contacts(found, Language.CY)
    english = format_contacts(found, Language.EN)
    assert "• Y Samariaid: Ffonia 116 123" in welsh  # ti: the learner register
    assert "Tecstia SHOUT i 85258" in welsh
    assert "(ar agor nawr tan 23:00)" in welsh  # the Welsh line's closing time
    assert "(ar agor nawr tan hanner nos)" in welsh  # Meic
    assert "Text SHOUT to 85258" in english
    assert len(welsh.splitlines()) == len(found)
    block = bilingual_block(found)
    assert (block.cy, block.en) == (welsh, english)


def test_format_shows_when_a_closed_service_opens(directory: Directory) -> None:
    found = match(
        directory, ["exam_stress"], "learner", 15, Language.CY, london(2026, 11, 28, 2, 0)
    )
    text = format_contacts(found, Language.CY)
    assert "Meic:" in text
    assert "ar gau nawr, yn agor ddydd Sadwrn am 08:00" in text
    english = format_contacts(found, Language.EN)
    assert "closed now, opens Saturday at 08:00" in english
    # an unverified service without a number says so, and is described rather than left blank
    assert "Cwnsela am ddim yn yr ysgol" in text
    assert "Contact details are still being checked." in english


def test_every_signposting_message_has_both_languages() -> None:
    cat = Catalogue.load()
    keys = [k for k in cat.keys() if k.startswith("signposting.")]
    assert len(keys) > 40
    for key in keys:
        text = cat.text(key)
        assert text.cy.strip() and text.en.strip(), key
        if key != "signposting.day_time":
            assert text.cy != text.en, key


def test_staff_crisis_contacts(directory: Directory) -> None:
    found = [
        m.service_id
        for m in crisis_contacts(
            directory, london(2026, 11, 25, 2, 0), Language.EN, None, audience="staff"
        )
    ]
    assert found == ["emergency-999", "samaritans", "shout", "call", "education-support"]
