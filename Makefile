# Konzept K – the two commands that matter: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help

help: ## Show the targets
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --upgrade >/dev/null
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@# Bytecode once at install: where PYTHONDONTWRITEBYTECODE is set (as on CI), every process would
	@# otherwise compile SciPy, scikit-learn and Django again (seconds before the first page).
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib konzeptk >/dev/null
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the locked dependencies

lock: ## Re-resolve requirements.lock from pyproject.toml (needs network to PyPI)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

demo: install ## Migrate, load Krefeld and demo content, serve on http://127.0.0.1:$(PORT)
	$(BIN)/konzeptk demo --port $(PORT) --no-input

lint: install ## ruff, mypy and the migrations check
	$(BIN)/ruff check konzeptk
	$(BIN)/ruff format --check konzeptk
	$(BIN)/mypy konzeptk
	$(BIN)/konzeptk makemigrations --check --dry-run --settings=konzeptk.settings_test

test: install lint ## Lint, then the whole suite on SQLite and (when it answers) PostgreSQL
	$(BIN)/pytest -q
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL answers at $(PG_URL): running the suite again on PostgreSQL =="; \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not browser"; \
	else \
		echo "== SKIPPED PostgreSQL: nothing answers at $(PG_URL); the suite ran on SQLite only =="; \
	fi

bench: install ## Print the benchmark figures of every app
	$(BIN)/python -m konzeptk.bench

po: install ## Update the translation catalogues (needs gettext) and compile them
	cd konzeptk && ../$(BIN)/konzeptk makemessages -l en -l tr -l ar -l pl -l uk --no-obsolete --ignore 'static/*' --ignore 'tests/*'
	$(BIN)/python tools/i18n.py compile
	$(BIN)/python tools/i18n.py status

format: install ## Apply ruff's formatting and fixes
	$(BIN)/ruff format konzeptk
	$(BIN)/ruff check --fix konzeptk

clean: ## Remove the virtual environment and the embedded data directory
	rm -rf $(VENV) var

.PHONY: help install lock demo lint test bench po format clean
