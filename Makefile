# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MODEL_STAMP := var/nlu-model/.trained-stamp
LLAIS := $(BIN)/llais
export LLAIS_TEST_DATABASE_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test

.PHONY: install run chat test lint format pytest browser vendor-static rasa rasa-serve test-rasa nlu-eval bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 or run make PYTHON=python3.x"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

.env:
	@echo "creating .env with a random LLAIS_SECRET_KEY (keep it: learner references depend on it)"
	@$(PYTHON) -c "import secrets; print('LLAIS_SECRET_KEY=' + secrets.token_urlsafe(32))" > .env

$(MODEL_STAMP): $(STAMP) $(wildcard nlu/data/*.yml) $(wildcard nlu/safeguarding/data/*)
	$(LLAIS) nlu train
	@mkdir -p $(dir $(MODEL_STAMP)) && touch $(MODEL_STAMP)

## install: create .venv, install Llais with its dev tools, train the NLU model
install: $(STAMP) .env $(MODEL_STAMP)

## run: set up, migrate the embedded SQLite database, seed the demo school and serve
run: install
	$(LLAIS) db upgrade
	$(LLAIS) demo seed
	$(LLAIS) serve

chat: install
	$(LLAIS) db upgrade
	$(LLAIS) demo seed
	$(LLAIS) chat

## test: set up, lint, type-check and run the whole suite (SQLite and PostgreSQL)
test: install lint pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

pytest: $(STAMP) $(MODEL_STAMP)
	$(BIN)/pytest

## browser: install Debian's Chromium and fonts for the browser tests (root; without it they skip)
browser:
	@if [ -x /usr/bin/chromium ]; then /usr/bin/chromium --version 2>/dev/null; \
	else DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; fi

## vendor-static: re-vendor GOV.UK Frontend and htmx into web/static/ (needs npm and its registry)
vendor-static:
	scripts/vendor-govuk-frontend.sh

## rasa: build the separate Rasa 3.6 environment (.venv-rasa) and train nlu/ with it
rasa:
	scripts/rasa-setup.sh

rasa-serve: rasa
	scripts/rasa-serve.sh

## test-rasa: the contract test against a real Rasa server (fails if .venv-rasa is missing)
test-rasa: $(STAMP) $(MODEL_STAMP)
	LLAIS_REQUIRE_RASA=1 $(BIN)/pytest -m rasa tests/nlu/test_rasa_contract.py

nlu-eval: install
	$(LLAIS) nlu evaluate tests/data/heldout/intents.jsonl tests/data/heldout/risk.jsonl

bench: install
	$(BIN)/python benchmarks/nlu_classify.py
	$(BIN)/python benchmarks/safeguarding_bench.py
	$(BIN)/python benchmarks/turns_http.py

clean:
	rm -rf $(VENV) var build *.egg-info
