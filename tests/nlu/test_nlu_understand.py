"""The understanding pipeline: detector first and final, help-seeking, low mood, failures."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from core.settings import NluBackend as BackendKind
from core.settings import Settings
from core.vocabulary import Language, RiskLevel
from nlu.builtin import BuiltinBackend
from nlu.rasa_client import RasaBackend
from nlu.result import NluResult
from nlu.safeguarding import SafeguardingDetector
from nlu.understand import Understander, build_understander

DISCLOSURE = "i want to die"
DISCLOSURE_CY = "dw i eisiau marw"


class RecordingDetector:
    """The real detector, noting when it ran."""

    def __init__(self, detector: SafeguardingDetector, log: list[str]) -> None:
        self._detector = detector
        self._log = log

    def assess(self, text: str, context: Sequence[str] = ()):  # type: ignore[no-untyped-def]
        self._log.append("detector")
        return self._detector.assess(text, context)


class BrokenBackend:
    """A backend that fails in the given way after noting that it was called."""

    def __init__(self, log: list[str], hang: bool = False) -> None:
        self._log = log
        self._hang = hang

    async def parse(self, text: str, language_hint: Language | None = None) -> NluResult:
        self._log.append("backend")
        if self._hang:
            await asyncio.sleep(60)
        raise RuntimeError("backend exploded")


async def test_detector_runs_first_and_stands_when_the_backend_raises(
    detector: SafeguardingDetector,
) -> None:
    log: list[str] = []
    understander = Understander(RecordingDetector(detector, log), BrokenBackend(log))  # type: ignore[arg-type]
    understanding = await understander.understand(DISCLOSURE, Language.EN)
    assert log == ["detector", "backend"]
    assert understanding.risk == detector.assess(DISCLOSURE)
    assert understanding.risk.level >= RiskLevel.HIGH
    assert understanding.nlu.intent == "nlu_fallback" and understanding.nlu.language == "en"
    assert understanding.help_seeking


async def test_detector_result_stands_when_the_backend_hangs(
    detector: SafeguardingDetector,
) -> None:
    log: list[str] = []
    understander = Understander(
        RecordingDetector(detector, log),  # type: ignore[arg-type]
        BrokenBackend(log, hang=True),
        backend_timeout=0.1,
    )
    understanding = await understander.understand(DISCLOSURE_CY, Language.CY)
    assert log == ["detector", "backend"]
    assert understanding.risk == detector.assess(DISCLOSURE_CY)
    assert understanding.risk.is_concern and understanding.nlu.language == "cy"


async def test_the_pipeline_never_lowers_the_detectors_level(understander: Understander) -> None:
    texts = [
        DISCLOSURE,
        DISCLOSURE_CY,
        "they bully me every day",
        "thanks",
        "kms lol",
        "dw i'n drist",
    ]
    for text in texts:
        understanding = await understander.understand(text)
        assert understanding.risk.level >= understander.detector.assess(text).level, text


async def test_confident_low_mood_raises_none_to_low(
    understander: Understander, builtin_backend: BuiltinBackend
) -> None:
    text = "i feel really low today"
    assert builtin_backend.parse_sync(text).intent == "feeling_low"
    understanding = await understander.understand(text)
    assert understanding.risk.level >= RiskLevel.LOW


async def test_help_seeking_from_intent_in_both_languages(understander: Understander) -> None:
    for text in ("can someone help me", "all rhywun fy helpu i"):
        understanding = await understander.understand(text)
        assert understanding.nlu.intent == "ask_help", text
        assert understanding.help_seeking, text
    for text in ("i want to talk to someone at school", "dw i isio siarad efo rhywun yn yr ysgol"):
        understanding = await understander.understand(text)
        assert understanding.nlu.intent == "talk_to_school", text
        assert understanding.help_seeking, text
        assert understanding.risk.level == RiskLevel.NONE, text  # asking for help is no concern
    calm = await understander.understand("shwmae")
    assert calm.nlu.intent == "greet" and not calm.help_seeking


async def test_build_understander_honours_the_backend_setting(nlu_model_dir: Path) -> None:
    builtin = build_understander(Settings(demo=True, nlu_model_dir=nlu_model_dir))
    assert isinstance(builtin.backend, BuiltinBackend)
    rasa = build_understander(
        Settings(demo=True, nlu_model_dir=nlu_model_dir, nlu_backend=BackendKind.RASA,
                 rasa_url="http://127.0.0.1:9", rasa_timeout=0.5)
    )  # fmt: skip
    assert isinstance(rasa.backend, RasaBackend)
    understanding = await rasa.understand(
        DISCLOSURE, Language.EN
    )  # nothing listens: builtin answers
    await rasa.aclose()
    assert understanding.risk.is_concern and understanding.nlu.intent != "nlu_fallback"


async def test_context_passes_through_to_the_detector(understander: Understander) -> None:
    for context, text in (
        (["he's a lot older than me"], "he's picking me up after school, don't tell anyone"),
        (["mae o lot hŷn na fi"], "mae o'n fy nôl i ar ôl ysgol, paid deud wrth neb"),
    ):
        direct = understander.detector.assess(text, context)
        understanding = await understander.understand(text, context=context)
        assert understanding.risk.level >= direct.level
        assert understanding.risk.level >= understander.detector.assess(text).level
    # the rules alone grade the English pair as one (the Welsh needs the model: see
    # tests/nlu/safeguarding/test_detector_context.py)
    english = await understander.understand(
        "he's picking me up after school, don't tell anyone", context=["he's a lot older than me"]
    )
    assert english.risk.level >= RiskLevel.HIGH
