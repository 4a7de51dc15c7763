"""``llais signpost`` and ``llais directory import|export`` through ``llais.cli.main``."""

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import llais.cli
from llais.contacts import add_school_contact
from signposting.contacts import NewSchoolContact
from signposting.directory import SEED_PATH
from storage import make_engine, make_sessionmaker
from storage.models import EnrolmentCode, School

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str) -> pytest.MonkeyPatch:
    """Run the real ``main`` with only our commands registered, against a migrated database."""
    assert "llais.commands.directory" in llais.cli.COMMAND_MODULES
    # other packages' commands are being written concurrently; keep this test about ours
    monkeypatch.setattr(llais.cli, "COMMAND_MODULES", ("llais.commands.directory",))
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("LLAIS_DEMO", "true")
    monkeypatch.setenv("LLAIS_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("LLAIS_LOG_LEVEL", "WARNING")
    return monkeypatch


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[Any], str]:
    code = llais.cli.main(list(argv))
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines() if line.startswith("{")]
    return code, lines, captured.err


def test_signpost_prints_one_json_line_per_service(
    cli: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = run(
        capsys,
        "signpost", "--need", "suicide", "--audience", "learner", "--age", "14",
        "--lang", "cy", "--at", "2026-11-27T19:30", "--level", "critical",
    )  # fmt: skip
    assert code == 0
    assert [line["service_id"] for line in lines[:4]] == [
        "emergency-999",
        "samaritans-welsh",
        "samaritans",
        "childline",
    ]
    first = lines[0]
    assert set(first) >= {
        "service_id",
        "name",
        "phones",
        "open_now",
        "next_open",
        "verified",
        "why",
    }
    assert first["phones"][0]["number"] == "999"
    assert lines[1]["name"] == "Llinell Gymraeg y Samariaid"
    assert lines[1]["why"]["reason"] == "welsh_language"
    assert all(line["verified"] for line in lines if line["why"]["reason"] == "crisis_open")


def test_signpost_closed_service_has_next_open(
    cli: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = run(
        capsys,
        "signpost", "--need", "exam_stress", "--need", "sleep", "--audience", "learner",
        "--age", "15", "--lang", "en", "--at", "2026-07-04T01:00:00+00:00",
    )  # fmt: skip
    assert code == 0
    meic = next(line for line in lines if line["service_id"] == "meic")
    assert meic["open_now"] is False
    assert meic["next_open"] == "2026-07-04T08:00:00+01:00"  # BST
    assert "emergency-999" not in [line["service_id"] for line in lines]


def test_signpost_staff(cli: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(
        capsys, "signpost", "--need", "staff_wellbeing", "--audience", "staff", "--lang", "en"
    )
    assert code == 0
    assert lines[0]["service_id"] == "education-support"
    assert "childline" not in [line["service_id"] for line in lines]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--need", "sadness"], "choose from: suicide, self_harm"),
        (["--need", "anxiety", "--at", "tomorrow"], "is not an ISO-8601 time"),
        (["--need", "anxiety", "--lang", "fr"], "choose from: cy, en"),
        (["--need", "anxiety", "--level", "extreme"], "choose from: none, low, medium"),
        (["--need", "anxiety", "--school", "NOPE"], "No school has the id or enrolment code"),
    ],
)
def test_signpost_bad_input_exits_2(
    cli: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    code, lines, err = run(capsys, "signpost", "--audience", "learner", *argv)
    assert code == 2
    assert lines == []
    assert message in err


def test_signpost_unknown_audience_exits_2(
    cli: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "signpost", "--need", "anxiety", "--audience", "pupil")
    assert code == 2
    assert "learner, staff, parent" in err


def test_import_then_export_round_trip(
    cli: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    raw["services"] = [s for s in raw["services"] if s["id"] != "the-mix"]
    source = tmp_path / "update.json"
    source.write_text(json.dumps(raw), encoding="utf-8")

    code, _, _ = run(capsys, "directory", "import", str(source))
    assert code == 0

    out = tmp_path / "export.json"
    assert run(capsys, "directory", "export", "--out", str(out))[0] == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert "the-mix" not in {s["id"] for s in exported["services"]}
    assert len(exported["services"]) == len(raw["services"])
    assert exported["taxonomy_terms"]

    # the exported file imports again unchanged
    assert run(capsys, "directory", "import", "--check", str(out))[0] == 0
    code, lines, _ = run(
        capsys, "signpost", "--need", "anxiety", "--audience", "learner", "--age", "15"
    )
    assert code == 0 and "the-mix" not in {line["service_id"] for line in lines}


def test_import_names_the_bad_record(
    cli: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    raw["services"][1]["maximum_age"] = "nineteen"
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(raw), encoding="utf-8")
    code, _, err = run(capsys, "directory", "import", str(source))
    assert code == 1
    assert "service 'childline', field maximum_age:" in err

    code, _, _ = run(capsys, "directory", "export", "--out", str(tmp_path / "still.json"))
    still = json.loads((tmp_path / "still.json").read_text(encoding="utf-8"))
    assert len(still["services"]) == len(raw["services"])  # nothing was stored


async def _school_with_contact(url: str) -> None:
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        school = School(name="Ysgol Prawf", name_cy="Ysgol Prawf", created_at=NOW)
        session.add(school)
        await session.flush()
        session.add(EnrolmentCode(code="PRAWF7", school_id=school.id, kind="learner", active=True))
        await add_school_contact(
            session,
            contact=NewSchoolContact(
                school_id=school.id,
                role="wellbeing_lead",
                label="Mr Rees",
                how_to_reach="The wellbeing room, break and lunch",
                how_to_reach_cy="Yr ystafell lesiant, amser egwyl a chinio",
            ),
            at=NOW,
        )
        await session.commit()
    await engine.dispose()


def test_signpost_with_school_puts_its_contacts_first(
    cli: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    asyncio.run(_school_with_contact(sqlite_url))
    code, lines, _ = run(
        capsys, "signpost", "--need", "friendships", "--audience", "learner", "--age", "12",
        "--lang", "cy", "--school", "prawf7", "--at", "2026-11-25T12:00Z",
    )  # fmt: skip
    assert code == 0
    assert lines[0]["service_id"].startswith("school-contact:")
    assert lines[0]["contact"] == "Yr ystafell lesiant, amser egwyl a chinio"
    assert lines[0]["open_now"] is False
    assert lines[0]["why"]["reason"] == "school_contact"


@pytest.mark.parametrize(
    ("dropped", "problem"),
    [
        ({"emergency-999"}, "no verified, active emergency service (999)"),
        (
            {"childline", "samaritans", "samaritans-welsh", "shout", "call", "education-support"},
            "no verified, active crisis line open 24/7",
        ),
    ],
)
def test_import_refuses_a_directory_without_999_or_a_24_7_crisis_line(
    cli: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    dropped: set[str],
    problem: str,
) -> None:
    raw = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    raw["services"] = [s for s in raw["services"] if s["id"] not in dropped]
    for service in raw["services"]:
        if service.get("welsh_line_of") in dropped:
            service.pop("welsh_line_of")
    source = tmp_path / "no-crisis.json"
    source.write_text(json.dumps(raw), encoding="utf-8")
    for argv in (
        ("directory", "import", "--check", str(source)),
        ("directory", "import", str(source)),
    ):
        code, _, err = run(capsys, *argv)
        assert code == 1 and problem in err and "no-crisis.json" in err

    code, _, _ = run(capsys, "directory", "export", "--out", str(tmp_path / "still.json"))
    still = json.loads((tmp_path / "still.json").read_text(encoding="utf-8"))
    assert dropped <= {s["id"] for s in still["services"]}  # nothing was stored
