"""Contract with a real Rasa 3.6 server trained from nlu/: rasa backend, fallbacks, detector.

Needs ``.venv-rasa`` (``scripts/rasa-setup.sh``); skipped without it unless LLAIS_REQUIRE_RASA=1.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from core.vocabulary import Language, RiskLevel
from nlu.builtin import BuiltinBackend
from nlu.evaluation import single_label
from nlu.rasa_client import RasaBackend
from nlu.safeguarding import SafeguardingDetector
from nlu.understand import Understander

REPO = Path(__file__).resolve().parents[2]
RASA = REPO / ".venv-rasa" / "bin" / "rasa"
RASA_CACHE = REPO / "var" / "rasa-cache"  # the default of scripts/rasa-setup.sh
HELDOUT = REPO / "tests" / "data" / "heldout" / "intents.jsonl"
TOKEN = "contract-token"
TRAIN_SECONDS = 300
READY_SECONDS = 180
# The first test's set-up trains and starts the server: its bound is those two waits, not the
# suite's 120 s (pytest-timeout counts fixture set-up in the test's time).
pytestmark = [pytest.mark.rasa, pytest.mark.timeout(TRAIN_SECONDS + READY_SECONDS + 60)]


@dataclass
class RasaServer:
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _require_rasa() -> None:
    if RASA.exists():
        return
    reason = (
        f"{RASA} not found: run scripts/rasa-setup.sh (make rasa) to build the Rasa environment"
    )
    if os.environ.get("LLAIS_REQUIRE_RASA") == "1":
        pytest.fail(reason + " (LLAIS_REQUIRE_RASA=1)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def rasa_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RasaServer]:
    """Train nlu/ with real Rasa and serve it on a free loopback port (bounded waits)."""
    _require_rasa()
    work = tmp_path_factory.mktemp("rasa")
    # Rasa's own training cache, shared with scripts/rasa-setup.sh (make rasa): each component is
    # keyed by a fingerprint of nlu/config.yml and nlu/data, so one that make rasa trained on the
    # same data is restored and any change retrains it (a fresh cache trains all from scratch).
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "RASA_CACHE_DIRECTORY": os.environ.get("RASA_CACHE_DIRECTORY", str(RASA_CACHE)),
    }
    subprocess.run(
        [str(RASA), "train", "nlu", "--config", "nlu/config.yml", "--nlu", "nlu/data",
         "--out", str(work / "models"), "--fixed-model-name", "contract"],
        cwd=REPO, env=env, check=True, timeout=TRAIN_SECONDS, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    port = _free_port()
    log = (work / "rasa.log").open("wb")
    process = subprocess.Popen(
        [str(RASA), "run", "--enable-api", "-m", str(work / "models"), "-i", "127.0.0.1",
         "-p", str(port), "--auth-token", TOKEN],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    server = RasaServer(f"http://127.0.0.1:{port}", process)
    try:
        _wait_until_parsing(server, work / "rasa.log")
        yield server
    finally:
        server.stop()
        log.close()
        shutil.rmtree(work / "models", ignore_errors=True)


def _wait_until_parsing(server: RasaServer, log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"rasa exited early:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            response = httpx.post(
                f"{server.url}/model/parse", params={"token": TOKEN}, json={"text": "helo"}
            )
            if response.status_code == 200 and response.json()["intent"]["name"]:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"rasa not ready within {READY_SECONDS} s")


def _raw_parse(server: RasaServer, text: str) -> dict[str, object]:
    response = httpx.post(f"{server.url}/model/parse", params={"token": TOKEN}, json={"text": text})
    response.raise_for_status()
    return dict(response.json())


async def test_intents_come_back_from_rasa(
    rasa_server: RasaServer, builtin_backend: BuiltinBackend
) -> None:
    backend = RasaBackend(rasa_server.url, builtin_backend, token=TOKEN, timeout=5.0)
    cases = {
        "thank you so much": "thanks",
        "diolch yn fawr iawn": "thanks",
        "i can't sleep at night": "topic_sleep",
        "dw i methu cysgu": "topic_sleep",
        "newid i Gymraeg plis": "change_language",
    }
    for text, intent in cases.items():
        result = await backend.parse(text)
        raw = _raw_parse(rasa_server, text)
        assert result.intent == intent, text
        assert result.confidence == pytest.approx(raw["intent"]["confidence"])  # type: ignore[index]
    welsh = await backend.parse("newid i Gymraeg plis")
    assert [(e["entity"], e["value"]) for e in welsh.entities] == [("language", "cy")]
    assert welsh.language == "cy"
    await backend.aclose()


async def test_heldout_intents_through_rasa(
    rasa_server: RasaServer, builtin_backend: BuiltinBackend
) -> None:
    backend = RasaBackend(rasa_server.url, builtin_backend, token=TOKEN, timeout=5.0, cooldown=0)
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    scores: dict[str, float] = {}
    for language in (Language.EN, Language.CY):
        group = [r for r in rows if r["lang"] == language]
        predicted = [(await backend.parse(r["text"], language)).intent for r in group]
        scores[language] = single_label([r["intent"] for r in group], predicted)["macro_f1"]
    await backend.aclose()
    print(f"rasa held-out macro-F1: {scores}")
    assert scores["en"] >= 0.8 and scores["cy"] >= 0.8


async def test_wrong_token_and_timeout_fall_back_to_builtin(
    rasa_server: RasaServer, builtin_backend: BuiltinBackend
) -> None:
    text = "my friends are ignoring me"
    expected = builtin_backend.parse_sync(text)
    wrong_token = RasaBackend(rasa_server.url, builtin_backend, token="wrong", timeout=5.0)
    assert await wrong_token.parse(text) == expected
    await wrong_token.aclose()
    too_short = RasaBackend(rasa_server.url, builtin_backend, token=TOKEN, timeout=0.0005)
    assert await too_short.parse(text) == expected
    await too_short.aclose()


async def test_detector_runs_first_then_a_stopped_server_falls_back(
    rasa_server: RasaServer, builtin_backend: BuiltinBackend, detector: SafeguardingDetector
) -> None:
    backend = RasaBackend(rasa_server.url, builtin_backend, token=TOKEN, timeout=5.0, cooldown=0)
    understander = Understander(detector, backend)
    live = await understander.understand("dw i eisiau marw", Language.CY)
    assert live.risk == detector.assess("dw i eisiau marw")
    assert live.risk.level >= RiskLevel.HIGH and live.help_seeking

    rasa_server.stop()
    text = "i need someone to talk to"
    stopped = await understander.understand(text, Language.EN)
    assert stopped.nlu == builtin_backend.parse_sync(text, Language.EN)
    disclosure = await understander.understand("i want to kill myself", Language.EN)
    assert disclosure.risk == detector.assess("i want to kill myself")
    assert disclosure.risk.level >= RiskLevel.HIGH
    await understander.aclose()
