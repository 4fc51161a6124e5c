# earlyhelp: the commands a newcomer and CI need. Only Python 3.11+ and make are assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
E2E_STAMP := $(VENV)/.installed-e2e
BENCH_STAMP := $(VENV)/.installed-bench
HOST ?= 127.0.0.1:8000
PYTEST_WORKERS ?= 2
# Two browsers, each with its own server and copy of the demo database (e2e/conftest.py).
E2E_WORKERS ?= 2

.PHONY: install run test lint fuzz e2e bench bench-data bench-smoke messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("earlyhelp needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The web server, the scheduler of periodic jobs and the task worker together (Ctrl-C stops
# all three). Tasks are rows of the database, as in production; EARLYHELP_TASKS_BACKEND=immediate
# runs each where it is asked for, with no worker.
EARLYHELP_TASKS_BACKEND ?= database

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_data
	EARLYHELP_TASKS_BACKEND=$(EARLYHELP_TASKS_BACKEND) $(BIN)/python manage.py run_all $(HOST)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -q

# Hostile input at length, many more cases than `make test` runs: the crawler of
# earlyhelp/tests/hostile sends every class of hostile value as every persona with FUZZ_EXAMPLES
# generated examples per form, and Schemathesis sends FUZZ_API_EXAMPLES cases per API operation,
# role and kind of data (make test runs a short sweep of both).
FUZZ_EXAMPLES ?= 50
FUZZ_API_EXAMPLES ?= 200

fuzz: install
	EARLYHELP_FUZZ_FULL=1 EARLYHELP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest earlyhelp/tests/hostile -n $(PYTEST_WORKERS) -q
	EARLYHELP_FUZZ_EXAMPLES=$(FUZZ_API_EXAMPLES) $(BIN)/python -m pytest earlyhelp/api/tests/test_schemathesis.py -q -p no:xdist

$(E2E_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,e2e]"
	touch $(E2E_STAMP)

# Browser tests drive an installed Chromium (CHROMIUM_PATH, default /usr/bin/chromium);
# Playwright never downloads a browser of its own.
e2e: $(E2E_STAMP)
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pytest e2e -q -n $(E2E_WORKERS) --dist loadfile

# The benchmark (bench/README.md): a production-like server against a database that
# bench_data filled, driven by Locust. `make bench-data` fills BENCH_DATABASE_URL afresh.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench_m
BENCH_SCALE ?= M
SMOKE_DATABASE_URL ?= sqlite:///$(CURDIR)/bench/.state/smoke.sqlite3

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

bench-data: $(BENCH_STAMP)
	$(BIN)/python bench/run.py --database-url $(BENCH_DATABASE_URL) --generate $(BENCH_SCALE) --only none

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py --database-url $(BENCH_DATABASE_URL) --scale $(BENCH_SCALE)

# Every scenario briefly on freshly generated scale-S data: fails on an error or a bad query
# plan, never on a timing. CI runs it on PostgreSQL (SMOKE_DATABASE_URL).
bench-smoke: $(BENCH_STAMP)
	$(BIN)/python bench/run.py --database-url $(SMOKE_DATABASE_URL) --generate S --smoke

# Refresh and compile the translation catalogues (developers only: needs GNU gettext;
# the compiled .mo files are committed, so running earlyhelp never needs it).
messages: install
	cd earlyhelp && ../$(BIN)/python ../manage.py makemessages -l hu -l cs -l da --no-location --ignore "tests/*"
	cd earlyhelp && ../$(BIN)/python ../manage.py compilemessages

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles e2e/screenshots
