#!/usr/bin/env bash
# Serve the trained Rasa NLU model on 127.0.0.1:5005 with the HTTP API (POST /model/parse).
# Env: RASA_VENV, RASA_MODELS, RASA_HOST (127.0.0.1), RASA_PORT (5005), LLAIS_RASA_TOKEN (optional auth token).
set -euo pipefail
export RASA_TELEMETRY_ENABLED=false

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export RASA_CACHE_DIRECTORY=${RASA_CACHE_DIRECTORY:-$repo/var/rasa-cache}  # not .rasa/ in the repo
venv=${RASA_VENV:-$repo/.venv-rasa}
models=${RASA_MODELS:-$repo/var/rasa-models}
[ -x "$venv/bin/rasa" ] || { echo "rasa-serve: no $venv; run scripts/rasa-setup.sh first" >&2; exit 1; }

args=(run --enable-api -m "$models" -i "${RASA_HOST:-127.0.0.1}" -p "${RASA_PORT:-5005}")
if [ -n "${LLAIS_RASA_TOKEN:-}" ]; then args+=(--auth-token "$LLAIS_RASA_TOKEN"); fi
cd "$repo"
exec "$venv/bin/rasa" "${args[@]}"
