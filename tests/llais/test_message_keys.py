"""Message keys the code builds at run time (from the vocabulary) are checked at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

import llais.app
from core.errors import ConfigurationError
from core.i18n import Catalogue, catalogue
from core.settings import Settings
from llais.app import build_app, check_messages
from tests.conftest import SECRET


def without(key: str) -> Catalogue:
    """The shipped catalogue with one message taken out."""
    shipped = catalogue()
    assert key in shipped
    return Catalogue({k: shipped.text(k) for k in shipped.keys() if k != key})


def test_the_shipped_catalogue_has_every_key_the_code_builds() -> None:
    check_messages(catalogue())


@pytest.mark.parametrize(
    ("key", "built_by"),
    [
        ("staff.role_wellbeing_lead", "flows.staff_actions"),
        ("staff.well_tip_creative", "flows.staff_actions"),
        ("signposting.need_running_away", "signposting"),
        ("signposting.day_6", "signposting"),
        ("signposting.why_crisis_open_hours", "signposting"),
        ("staff.level_critical", "llais.alerts"),
        ("staff.channel_web", "llais.alerts"),
        ("staff.answer_unsure", "llais.alerts"),
        ("staff.ack_by_deputy_dsl", "llais.alerts"),
        ("common.stale_button", "the learner service"),
        ("staff.not_understood", "the staff service"),
    ],
)
async def test_removing_a_built_key_fails_start_up_with_a_clear_error(
    key: str, built_by: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(llais.app, "catalogue", lambda: without(key))
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}",
        secret_key=SECRET,
        nlu_model_dir=tmp_path,
    )
    with pytest.raises(ConfigurationError) as caught:
        await build_app(settings)
    message = str(caught.value)
    assert f"has no {key} (built by {built_by})" in message
    assert "core/messages" in message
