# Two commands for a fresh machine: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

# Under CI=true the suite runs against the machine's PostgreSQL and Redis (never skipped).
ifeq ($(CI),true)
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/0
endif

.PHONY: install system-check node-install run test lint format migrate demo bench clean

system-check:
	@$(PYTHON) scripts/check_system.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changed.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: system-check $(VENV)/.installed

# axe-core for the browser suite's accessibility checks (tests/e2e/test_accessibility.py);
# reinstalled only when the lock file changed. Without npm the accessibility checks skip locally.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node-install:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory node_modules/.installed; \
	else echo "npm not found: the axe-core accessibility checks will be skipped (apt-get install npm)"; fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	$(BIN)/python scripts/run_local.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint node-install
ifeq ($(CI),true)
	$(BIN)/python scripts/check_services.py
endif
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/triage.py

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache .hypothesis
