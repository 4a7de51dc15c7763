"""Each audience's registry only names actions whose capabilities the audience has: an action
asking for a low streak does not type-check in the staff registry (mypy --strict, as make lint)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[2]
SNIPPET = """
from flows.actions import ActionFn, {caps}, registry
from flows.learner_actions import check_low_streak, set_language

ACTIONS: dict[str, ActionFn[{caps}]] = registry(set_language, check_low_streak)
"""


def test_a_learner_only_action_does_not_type_check_in_the_staff_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # where mypy finds the project's packages
    learner = tmp_path / "learner_registry.py"
    staff = tmp_path / "staff_registry.py"
    learner.write_text(SNIPPET.format(caps="LearnerCapabilities"))
    staff.write_text(SNIPPET.format(caps="StaffCapabilities"))
    out, _, _ = api.run(
        [
            "--strict",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            str(learner),
            str(staff),
        ]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert [Path(line.split(":")[0]).name for line in errors] == ["staff_registry.py"], out
    assert "ActionCall[Streaks]" in errors[0] and "StaffCapabilities" in errors[0]
