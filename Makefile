# The two commands: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint serve seed fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.run-installed

## run: set up (venv, database, secrets in instance/) and serve on http://127.0.0.1:5000
run: $(VENV)/.run-installed
	DIARY_ENV=$${DIARY_ENV:-development} $(BIN)/flask --app backend db upgrade
	DIARY_ENV=$${DIARY_ENV:-development} WEBAUTHN_ORIGIN=$${WEBAUTHN_ORIGIN:-http://localhost:$(PORT)} \
		$(BIN)/flask --app backend serve --host $(HOST) --port $(PORT)

## test: set up and run the whole suite, lint included
test: $(VENV)/.test-installed lint
	$(BIN)/pytest

lint: $(VENV)/.test-installed
	$(BIN)/ruff check backend tests benchmarks
	$(BIN)/ruff format --check backend tests benchmarks

## serve: production serving with gunicorn (PostgreSQL when DATABASE_URL is set); see README
serve: $(VENV)/.run-installed
	$(BIN)/flask --app backend db upgrade
	$(BIN)/gunicorn -c gunicorn.conf.py

## fuzz: Schemathesis with 1,000 examples per operation, on every configured database
fuzz: $(VENV)/.test-installed
	FUZZ_EXAMPLES=1000 FUZZ_ALL_DATABASES=1 $(BIN)/pytest tests/test_api_fuzz.py

## seed: fill the development database with a synthetic population (for demos)
seed: $(VENV)/.run-installed
	DIARY_ENV=development $(BIN)/flask --app backend db upgrade
	DIARY_ENV=development $(BIN)/flask --app backend demo seed

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
