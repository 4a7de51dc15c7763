"""Five Ways to Wellbeing tips: all five ways, several bilingual tips each, NEF credited."""

from pathlib import Path

import pytest

from core.errors import ConfigurationError
from signposting.wellbeing import FIVE_WAYS_PATH, five_ways, load_five_ways


def test_five_ways_each_with_several_bilingual_tips() -> None:
    tips = five_ways()
    assert list(tips.ways) == ["connect", "be_active", "take_notice", "keep_learning", "give"]
    for way in tips.ways.values():
        assert len(way.tips) >= 3
        for tip in way.tips:
            assert tip.cy != tip.en


def test_attribution_credits_nef_under_cc_by_nc() -> None:
    tips = five_ways()
    assert tips.licence == "CC BY-NC"
    assert "New Economics Foundation" in tips.attribution.en
    assert "CC BY-NC" in tips.attribution.cy


def test_tips_rotate() -> None:
    tips = five_ways()
    count = len(tips.ways["give"].tips)
    assert tips.tip("give", 0) == tips.tip("give", count)
    assert tips.tip("give", 0) != tips.tip("give", 1)


def test_a_missing_way_is_a_configuration_error(tmp_path: Path) -> None:
    text = FIVE_WAYS_PATH.read_text(encoding="utf-8")
    broken = tmp_path / "five_ways.yml"
    broken.write_text(text.split("  give:")[0], encoding="utf-8")
    with pytest.raises(ConfigurationError, match="missing ways give"):
        load_five_ways(broken)
