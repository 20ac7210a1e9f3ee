# The KB: `make run` serves the demo, `make test` runs lint and the suite on both databases.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# PostgreSQL for the second test run; pytest-django creates and drops test_<name> in it.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kb
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint test-sqlite test-postgres check-postgres install lock clean

install: $(INSTALLED)

$(INSTALLED): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

run: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py load_demo
	@echo "Serving the KB on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install lint test-sqlite test-postgres

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=true $(BIN)/python manage.py check

test-sqlite: install
	DATABASE_URL= $(BIN)/pytest

# An unreachable PostgreSQL fails the run: the suite must pass on both databases.
check-postgres: install
	@$(BIN)/python -c "import psycopg, sys; \
	url = sys.argv[1].rsplit('/', 1)[0] + '/postgres'; \
	psycopg.connect(url, connect_timeout=5).close()" "$(TEST_DATABASE_URL)" \
	|| (echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL)." \
	    "Start it (pg_ctlcluster --skip-systemctl-redirect <version> main start) or set TEST_DATABASE_URL." >&2; exit 1)

test-postgres: check-postgres
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest

lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
