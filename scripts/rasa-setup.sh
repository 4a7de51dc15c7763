#!/usr/bin/env bash
# Build the separate Rasa 3.6.21 environment (.venv-rasa) and train nlu/ into var/rasa-models.
# Usage: scripts/rasa-setup.sh [--skip-train]
# Env: RASA_PINS_DIR (default: <repo>/../shared/rasa), RASA_VENV (default: <repo>/.venv-rasa),
#      RASA_MODELS (default: <repo>/var/rasa-models).
set -euo pipefail
export RASA_TELEMETRY_ENABLED=false

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export RASA_CACHE_DIRECTORY=${RASA_CACHE_DIRECTORY:-$repo/var/rasa-cache}  # not .rasa/ in the repo
pins_dir=${RASA_PINS_DIR:-$(dirname "$repo")/shared/rasa}
venv=${RASA_VENV:-$repo/.venv-rasa}
models=${RASA_MODELS:-$repo/var/rasa-models}
skip_train=0
[ "${1:-}" = "--skip-train" ] && skip_train=1

# Rasa 3.6 declares Python < 3.11: prefer a working 3.10 (also under pyenv), else 3.11 with its own pins.
find_python310() {
  if python3.10 -c 'import sys' >/dev/null 2>&1; then command -v python3.10; return 0; fi
  local root
  root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  for candidate in "$root"/versions/3.10*/bin/python3.10; do
    if [ -x "$candidate" ] && "$candidate" -c 'import sys' >/dev/null 2>&1; then echo "$candidate"; return 0; fi
  done
  return 1
}

start=$(date +%s)
if [ -x "$venv/bin/rasa" ]; then
  echo "rasa-setup: $venv already has rasa; skipping install"
else
  if py=$(find_python310); then
    pins=$pins_dir/rasa-3.6.21-py310.txt
    extra=()
  else
    py=$(command -v python3.11)
    pins=$pins_dir/rasa-3.6.21-py311.txt
    extra=(--ignore-requires-python)
  fi
  [ -f "$pins" ] || { echo "rasa-setup: pin list not found: $pins" >&2; exit 1; }
  echo "rasa-setup: creating $venv with $py ($("$py" --version 2>&1)) from $pins"
  "$py" -m venv "$venv"
  "$venv/bin/pip" install --quiet -U pip
  "$venv/bin/pip" install --quiet --no-deps "${extra[@]}" -r "$pins"
  echo "rasa-setup: installed in $(( $(date +%s) - start )) s"
fi

if [ "$skip_train" -eq 0 ]; then
  t0=$(date +%s)
  mkdir -p "$models"
  (cd "$repo" && "$venv/bin/rasa" train nlu --config nlu/config.yml --nlu nlu/data --out "$models" \
     --fixed-model-name llais-nlu)
  echo "rasa-setup: trained $models/llais-nlu.tar.gz in $(( $(date +%s) - t0 )) s"
fi
