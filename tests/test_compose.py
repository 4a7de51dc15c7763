"""docker-compose.yml is written for the authority's servers; no Docker engine runs here, so it is
validated: structure, images, two workers behind the reverse proxy after a one-off migration, that
every LLAIS_ variable is a real setting, and the Rasa service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


WORKERS = ("llais-1", "llais-2")


def test_services_and_dependencies() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "migrate", *WORKERS, "proxy", "rasa"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["rasa"]["image"] == "rasa/rasa:3.6.21-full"
    assert "pgdata" in compose()["volumes"]
    # migrations run once, before any worker: two workers never race to migrate
    assert services["migrate"]["command"] == ["llais", "db", "upgrade"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in WORKERS:
        worker = services[name]
        assert worker["command"] == ["llais", "serve"]
        assert worker["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "/readyz" in " ".join(worker["healthcheck"]["test"])


def test_two_workers_behind_the_reverse_proxy_take_updates_by_webhook() -> None:
    services = compose()["services"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert all(proxy["depends_on"][name]["condition"] == "service_healthy" for name in WORKERS)
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy llais-1:8080 llais-2:8080" in caddyfile
    # alive, not "database reachable": in an outage the workers keep what they are sent
    assert "health_uri /livez" in caddyfile
    for name in WORKERS:
        env = services[name]["environment"]
        # only one process may long-poll a bot: with two workers, updates come by webhook
        assert env["LLAIS_TELEGRAM_WEBHOOK_URL"].startswith("https://${LLAIS_DOMAIN:?")
        assert "${LLAIS_TELEGRAM_WEBHOOK_SECRET:?" in env["LLAIS_TELEGRAM_WEBHOOK_SECRET"]
        assert env["LLAIS_WEB_LISTEN"] == "0.0.0.0" and env["LLAIS_WEB_PORT"] == "8080"
        assert env["LLAIS_LOG_FORMAT"] == "json"
        assert env["LLAIS_DATABASE_URL"].startswith("postgresql+asyncpg://")


def test_every_llais_variable_is_a_setting() -> None:
    fields = {f"LLAIS_{name.upper()}" for name in Settings.model_fields}
    for name in ("migrate", *WORKERS):
        env = compose()["services"][name]["environment"]
        unknown = [variable for variable in env if variable not in fields]
        assert not unknown, f"{name}: not settings: {unknown}"
        assert "${LLAIS_SECRET_KEY:?" in env["LLAIS_SECRET_KEY"]  # refuses to start without one


def test_rasa_trains_and_serves_our_nlu_project() -> None:
    rasa = compose()["services"]["rasa"]
    command = " ".join(rasa["command"])
    assert "rasa train nlu --config nlu/config.yml --nlu nlu/data" in command
    assert "--enable-api" in command and "-p 5005" in command
    assert "./nlu:/app/nlu:ro" in rasa["volumes"]
    assert (ROOT / "nlu" / "config.yml").is_file()
    llais_env = compose()["services"]["llais-1"]["environment"]
    assert llais_env["LLAIS_RASA_URL"] == "http://rasa:5005"


def test_the_image_copies_every_package() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    packages = ["llais", "bot", "web", "nlu", "flows", "signposting", "storage", "migrations"]
    for package in packages:
        assert f"COPY {package} ./{package}" in dockerfile
    assert "llais nlu train" in dockerfile
