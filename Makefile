# The KB: `make run` serves the demo, `make test` runs lint and the suite on both databases.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# PostgreSQL for the second test run; pytest-django creates and drops test_<name> in it.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kb
# pytest-xdist workers (one per CPU by default; each gets its own test database).
TEST_WORKERS ?= auto
HOST ?= 127.0.0.1
PORT ?= 8000

# The benchmark corpus lives in its own databases, never the development one.
BENCH_DOCS ?= 100000
# Further bench_search options, e.g. "--duration 60 --clients 8 --workers 2 --edits 0.1"
# (see manage.py bench_search --help); gunicorn's workers listen on BENCH_PORT and up.
BENCH_OPTIONS ?=
BENCH_PORT ?= 8700
BENCH_SQLITE_URL ?= sqlite:///$(CURDIR)/var/bench.sqlite3
BENCH_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/kb_bench
BENCH_MILLION_URL ?= postgres://postgres@127.0.0.1:5432/kb_bench_million
# The load test: its corpus (made on the first run, then kept) in a database of its own.
LOAD_DOCS ?= 100000
# Further load_test options, e.g. "--duration 30 --clients 20 --write-every 10"
# (see manage.py load_test --help); gunicorn listens on LOAD_PORT.
LOAD_OPTIONS ?=
LOAD_PORT ?= 8710
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kb_load_corpus
# Production-like: DEBUG off (no query logging), hashed static files, and so a strong
# SECRET_KEY, made afresh for each bench command since the benchmark signs nothing that
# must last ("=", not ":=": no other target pays for making one).
BENCH_SECRET_KEY = $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
BENCH_ENV = SECRET_KEY=$(BENCH_SECRET_KEY) ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=false SECURE_COOKIES=false

.PHONY: run test browser pdf-libs lint test-sqlite test-postgres check-postgres install lock clean bench \
	bench-sqlite bench-postgres bench-million load load-fresh faults faults-restart

install: $(INSTALLED) pdf-libs

$(INSTALLED): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

# HOST and PORT also give SITE_URL its default, so links in e-mails lead here.
run: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py load_demo
	@echo "Serving the KB on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	DEBUG=true HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install browser lint test-sqlite test-postgres

# Real-browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
# Install it when missing and we may; otherwise those tests skip, or fail under CI=true.
browser:
	@command -v chromium >/dev/null 2>&1 || \
	(apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null) || \
	echo "Chromium is not installed: browser tests will be skipped (and fail under CI=true)." >&2

# The PDF exports (WeasyPrint) need Pango, HarfBuzz and a font from the system. Install
# them with apt-get when missing and we may; otherwise say so, and under CI=true fail, since
# the PDF tests would fail later and less clearly.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core
PDF_PROBE = $(BIN)/python -c "import weasyprint" >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q .
pdf-libs: $(INSTALLED)
	@$(PDF_PROBE) || \
	(apt-get update -qq && apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES) >/dev/null) || true
	@$(PDF_PROBE) || { \
	echo "WeasyPrint cannot load its system libraries or finds no font: PDF exports will fail." \
	     "Install $(PDF_PACKAGES)." >&2; \
	test "$$CI" != true; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=true $(BIN)/python manage.py check

test-sqlite: install
	DATABASE_URL= $(BIN)/pytest -n $(TEST_WORKERS)

# An unreachable PostgreSQL fails the run: the suite must pass on both databases.
check-postgres: install
	@$(BIN)/python -c "import psycopg, sys; \
	url = sys.argv[1].rsplit('/', 1)[0] + '/postgres'; \
	psycopg.connect(url, connect_timeout=5).close()" "$(TEST_DATABASE_URL)" \
	|| (echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL)." \
	    "Start it (pg_ctlcluster --skip-systemctl-redirect <version> main start) or set TEST_DATABASE_URL." >&2; exit 1)

test-postgres: check-postgres
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -n $(TEST_WORKERS)

# Search benchmark (prints tables, asserts nothing): a fresh corpus on each database.
bench: bench-sqlite bench-postgres

bench-sqlite: install
	rm -f var/bench.sqlite3*
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(BENCH_ENV) DATABASE_URL=$(BENCH_SQLITE_URL) $(BIN)/python manage.py migrate --noinput -v0
	$(BENCH_ENV) DATABASE_URL=$(BENCH_SQLITE_URL) $(BIN)/python manage.py bench_search \
		--docs $(BENCH_DOCS) --port $(BENCH_PORT) $(BENCH_OPTIONS)

bench-postgres: check-postgres
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python -c "import psycopg, sys; \
	conn = psycopg.connect(sys.argv[1].rsplit('/', 1)[0] + '/postgres', autocommit=True); \
	name = sys.argv[1].rsplit('/', 1)[1]; assert 'bench' in name and name.isidentifier(), name; \
	conn.execute('DROP DATABASE IF EXISTS ' + name); conn.execute('CREATE DATABASE ' + name)" \
	"$(BENCH_POSTGRES_URL)"
	$(BENCH_ENV) DATABASE_URL=$(BENCH_POSTGRES_URL) $(BIN)/python manage.py migrate --noinput -v0
	$(BENCH_ENV) DATABASE_URL=$(BENCH_POSTGRES_URL) $(BIN)/python manage.py bench_search \
		--docs $(BENCH_DOCS) --port $(BENCH_PORT) $(BENCH_OPTIONS)

# Once, not in CI: 1,000,000 documents on PostgreSQL (docs/bench/README.md says how to
# read it). One timed run of each query; a lighter edit history (still 20,000 saves); no
# naive baseline (minutes a search at this size).
bench-million:
	$(MAKE) bench-postgres BENCH_DOCS=1000000 BENCH_POSTGRES_URL=$(BENCH_MILLION_URL) \
		BENCH_OPTIONS="--rounds 1 --edits 0.02 --baseline-per-class 0 $(BENCH_OPTIONS)"

# Fault checks that need real processes (docs/faults.md): gunicorn (2 workers) on a fresh
# PostgreSQL database with the demo corpus, under load. `faults` SIGKILLs workers while
# writes are in flight, then checks nothing was half-saved; `faults-restart` restarts the
# PostgreSQL server mid-load (it breaks every other client of that server: never on a
# shared one) and checks for clean 503s and recovery. Print tables; exit 1 on a failure.
FAULTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kb_faults
FAULTS_PORT ?= 8109
PG_CLUSTER ?= 15 main
faults: check-postgres
	FAULTS_DATABASE_URL=$(FAULTS_DATABASE_URL) $(BIN)/python -m tests.faults.under_load \
		--port $(FAULTS_PORT) --kill 3

faults-restart: check-postgres
	FAULTS_DATABASE_URL=$(FAULTS_DATABASE_URL) $(BIN)/python -m tests.faults.under_load \
		--port $(FAULTS_PORT) --restart-postgres --cluster "$(PG_CLUSTER)" $(FAULTS_OPTIONS)

# Whole-site load test (prints tables, asserts nothing; docs/bench/README.md says how to
# read it): gunicorn with 2 workers on PostgreSQL, 50 signed-in clients for 60 s, and the
# req/s of /healthz as the ceiling. The corpus is generated only when the database has none
# (minutes at 100,000 documents); `make load-fresh` drops the database and makes it anew.
load: check-postgres
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python -c "import psycopg, sys; \
	conn = psycopg.connect(sys.argv[1].rsplit('/', 1)[0] + '/postgres', autocommit=True); \
	name = sys.argv[1].rsplit('/', 1)[1]; \
	assert ('bench' in name or 'load' in name) and name.isidentifier(), name; \
	found = conn.execute('SELECT 1 FROM pg_database WHERE datname = %s', [name]).fetchone(); \
	found or conn.execute('CREATE DATABASE ' + name)" "$(LOAD_DATABASE_URL)"
	$(BENCH_ENV) DATABASE_URL=$(LOAD_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v0
	$(BENCH_ENV) DATABASE_URL=$(LOAD_DATABASE_URL) $(BIN)/python manage.py load_test \
		--docs $(LOAD_DOCS) --port $(LOAD_PORT) $(LOAD_OPTIONS)

load-fresh: check-postgres
	$(BIN)/python -c "import psycopg, sys; \
	conn = psycopg.connect(sys.argv[1].rsplit('/', 1)[0] + '/postgres', autocommit=True); \
	name = sys.argv[1].rsplit('/', 1)[1]; \
	assert ('bench' in name or 'load' in name) and name.isidentifier(), name; \
	conn.execute('DROP DATABASE IF EXISTS ' + name)" "$(LOAD_DATABASE_URL)"
	$(MAKE) load

lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
