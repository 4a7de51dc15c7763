"""The seed directory, the HSDS round trip, and errors that name the record and the field."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from signposting.directory import SEED_PATH, dump_document, read_document
from signposting.errors import DirectoryError
from signposting.export import export_document
from signposting.validation import parse_document

SERVICES_MD = {
    "emergency-999": "999",
    "childline": "0800 1111",
    "childline-report-remove": None,
    "meic": "080880 23456",
    "samaritans": "116 123",
    "samaritans-welsh": "0808 164 0123",
    "shout": "85258",
    "call": "0800 132 737",
    "nhs-111-wales-mental-health": "111",
    "papyrus-hopeline": "0800 068 4141",
    "nspcc-helpline": "0808 800 5000",
    "dan-247": "0808 808 2234",
    "live-fear-free": "0808 80 10 800",
    "ceop-safety-centre": None,
    "runaway-helpline": "116 000",
    "education-support": "08000 562 561",
    "the-mix": "0808 808 4994",
    "beat-wales": "0808 801 0433",
    "kooth": None,
    "rct-childrens-services": "01443 425006",
    "rct-emergency-duty-team": "01443 743665",
    "rct-resilient-families": None,
    "school-counselling": None,
    "ctm-camhs": None,
    "rct-yeps": None,
    "rct-occupational-health": None,
    "rct-employee-assistance": None,
    "rct-staff-financial-advice": None,
}
UNVERIFIED = {
    "the-mix",
    "beat-wales",
    "kooth",
    "rct-emergency-duty-team",
    "rct-resilient-families",
    "school-counselling",
    "ctm-camhs",
    "rct-yeps",
    "rct-occupational-health",
    "rct-employee-assistance",
    "rct-staff-financial-advice",
}


def seed_raw() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    return raw


def service_raw(raw: dict[str, Any], service_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in raw["services"] if s["id"] == service_id)
    return found


def problems(raw: Any) -> list[str]:
    with pytest.raises(DirectoryError) as caught:
        parse_document(raw, "test.json")
    return caught.value.problems


def test_seed_has_every_service_with_its_checked_number() -> None:
    document = read_document(SEED_PATH)
    by_id = {s.id: s for s in document.services}
    assert set(by_id) == set(SERVICES_MD)
    for service_id, number in SERVICES_MD.items():
        if number is not None:
            assert number in {p.number for p in by_id[service_id].phones}, service_id
    assert {s.id for s in document.services if not s.verified} == UNVERIFIED
    assert all(s.assured_date for s in document.services if s.verified)


def test_seed_is_bilingual_and_not_word_for_word() -> None:
    for service in read_document(SEED_PATH).services:
        assert service.name_cy.strip() and service.description_cy.strip()
        assert service.description_cy != service.description, service.id
        for phone in service.phones:
            assert phone.description_cy != phone.description, phone.id


def test_export_import_round_trip() -> None:
    document = read_document(SEED_PATH)
    exported = export_document(document)
    again = parse_document(json.loads(json.dumps(exported)), "exported.json")
    assert again.services == document.services
    assert again.organizations == document.organizations
    assert {t.code for t in again.taxonomy_terms} >= {"suicide", "staff_wellbeing", "general"}
    assert export_document(again) == exported
    assert dump_document(again)["taxonomy_terms"]


def test_missing_field_names_service_and_field() -> None:
    raw = seed_raw()
    del service_raw(raw, "childline")["phones"][0]["number"]
    assert problems(raw) == ["service 'childline', field phones[0].number: Field required"]


def test_bad_day_names_service_and_field() -> None:
    raw = seed_raw()
    service_raw(raw, "meic")["schedules"][0]["byday"] = "MON"
    (problem,) = problems(raw)
    assert problem.startswith("service 'meic', field schedules[0].byday: ")
    assert "MO,TU,WE,TH,FR,SA,SU" in problem


def test_unknown_need_names_the_choices() -> None:
    raw = seed_raw()
    service_raw(raw, "shout")["attributes"].append({"taxonomy_term_id": "sadness"})
    (problem,) = problems(raw)
    assert problem.startswith("service 'shout', field attributes[")
    assert "taxonomy_term_id" in problem and "low_mood" in problem


def test_several_problems_are_all_listed() -> None:
    raw = seed_raw()
    service_raw(raw, "call")["minimum_age"] = -1
    service_raw(raw, "dan-247")["audiences"] = ["learner", "pupil"]
    found = problems(raw)
    assert len(found) == 2
    assert found[0].startswith("service 'call', field minimum_age:")
    assert found[1].startswith("service 'dan-247', field audiences[1]:")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda s: s.update(organization_id="nobody"),
            "service 'meic', field organization_id: no organization 'nobody'",
        ),
        (
            lambda s: s.pop("assured_date"),
            "service 'meic', field assured_date: a verified service needs the date",
        ),
        (
            lambda s: s.update(minimum_age=30),
            "service 'meic', field minimum_age: is above maximum_age",
        ),
        (
            lambda s: s.update(welsh_line_of="nowhere"),
            "service 'meic', field welsh_line_of: no service 'nowhere'",
        ),
    ],
)
def test_cross_record_problems(change: Any, expected: str) -> None:
    raw = seed_raw()
    change(service_raw(raw, "meic"))
    assert problems(raw) == [expected]


def test_duplicate_service_id() -> None:
    raw = seed_raw()
    raw["services"].append(copy.deepcopy(service_raw(raw, "shout")))
    assert problems(raw) == ["service 'shout', field id: appears more than once"]


def test_emergency_must_be_verified() -> None:
    raw = seed_raw()
    service = service_raw(raw, "emergency-999")
    service["verified"] = False
    assert problems(raw) == [
        "service 'emergency-999', field verified: an emergency service must be verified"
    ]


def test_record_without_id_is_named_by_position() -> None:
    raw = seed_raw()
    del raw["services"][2]["id"]
    assert "service #3, field id: Field required" in problems(raw)


def test_bad_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"services": [\n  {"id": }\n]}', encoding="utf-8")
    with pytest.raises(DirectoryError, match=r"not valid JSON at line 2"):
        read_document(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DirectoryError, match="does not exist"):
        read_document(tmp_path / "none.json")
