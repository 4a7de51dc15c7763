"""docker-compose.yml is written for the authority's servers; no Docker engine runs here, so it is
validated: structure, images, that every LLAIS_ variable is a real setting, and the Rasa service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_services_and_dependencies() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "llais", "rasa"}
    assert services["llais"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["rasa"]["image"] == "rasa/rasa:3.6.21-full"
    assert "pgdata" in compose()["volumes"]


def test_every_llais_variable_is_a_setting() -> None:
    env = compose()["services"]["llais"]["environment"]
    fields = {f"LLAIS_{name.upper()}" for name in Settings.model_fields}
    unknown = [name for name in env if name not in fields]
    assert not unknown, f"not settings: {unknown}"
    assert env["LLAIS_DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert "${LLAIS_SECRET_KEY:?" in env["LLAIS_SECRET_KEY"]  # refuses to start without one


def test_rasa_trains_and_serves_our_nlu_project() -> None:
    rasa = compose()["services"]["rasa"]
    command = " ".join(rasa["command"])
    assert "rasa train nlu --config nlu/config.yml --nlu nlu/data" in command
    assert "--enable-api" in command and "-p 5005" in command
    assert "./nlu:/app/nlu:ro" in rasa["volumes"]
    assert (ROOT / "nlu" / "config.yml").is_file()
    llais_env = compose()["services"]["llais"]["environment"]
    assert llais_env["LLAIS_RASA_URL"] == "http://rasa:5005"


def test_the_image_copies_every_package() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    packages = ["llais", "bot", "nlu", "flows", "signposting", "storage", "migrations"]
    for package in packages:
        assert f"COPY {package} ./{package}" in dockerfile
    assert "llais nlu train" in dockerfile
