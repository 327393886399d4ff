# Meedoen: `make run` starts the whole system with demo data, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export XDG_RUNTIME_DIR := $(CURDIR)/var/run
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-fast e2e faults lint stop install browser messages clean bench

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,embedded]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed
	mkdir -p var/run

# Chromium for the browser tests, from Debian's packages (Playwright's own download does not work offline).
browser:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver poppler-utils >/dev/null; \
	  else echo "Install Chromium (Debian: apt-get install chromium) to run the browser tests." >&2; exit 1; fi; \
	fi

run: install
	$(PY) -m meedoen.stack run

# Two runs: every test but the fault tests spread over the cores (pytest-xdist), then the fault tests on their own,
# since they stop Redis and restart PostgreSQL under whatever else runs. TEST_MARK narrows both (a marker
# expression, e.g. TEST_MARK="not e2e"; a -m in PYTEST_ARGS would replace the split). Exit status 5 is "no test
# selected" (a PYTEST_ARGS path with no fault test in it, say).
TEST_WORKERS ?= auto
marked = $(if $(TEST_MARK),($(TEST_MARK)) and ,)
test: install browser
	$(PY) -m meedoen.stack exec $(PY) -m pytest -n $(TEST_WORKERS) -m "$(marked)not faults" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(PY) -m meedoen.stack exec $(PY) -m pytest -m "$(marked)faults" $(PYTEST_ARGS) || [ $$? -eq 5 ]

test-fast: install  # everything but the browser journeys
	$(PY) -m meedoen.stack exec $(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

faults: install  # a worker killed, Redis stopped, PostgreSQL restarted (also part of make test)
	$(PY) -m meedoen.stack exec $(PY) -m pytest -m faults $(PYTEST_ARGS)

e2e: install browser
	$(PY) -m meedoen.stack exec $(PY) -m pytest -m e2e $(PYTEST_ARGS)

# The benchmark: a million signals (BENCH_SIGNALS) under load from wrk; see meedoen/bench/__main__.py.
bench: install
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "Install wrk (Debian: apt-get install wrk) to run the benchmark." >&2; exit 1; fi; }
	$(PY) -m meedoen.stack exec $(PY) -m meedoen.bench $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m meedoen.stack exec $(PY) manage.py makemigrations --check --dry-run

messages: install
	$(PY) -m meedoen.stack exec $(PY) manage.py makemessages -l nl --no-obsolete --no-location --ignore 'node_modules/*' --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages -l nl --ignore 'node_modules/*' --ignore '.venv/*'

stop:
	@if [ -x $(PY) ]; then $(PY) -m meedoen.stack stop; fi

clean: stop
	rm -rf var $(VENV) node_modules
