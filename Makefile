# The whole set-up on a fresh machine is `make run` or `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
ESTAMP := $(VENV)/.installed-editable

.PHONY: run test check lint install system-deps bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): requirements.txt constraints.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	touch $@

$(TSTAMP): $(STAMP) requirements-test.txt
	$(PY) -m pip install -q -r requirements-test.txt -c constraints.txt
	$(PY) -m ipykernel install --user --name workbench --display-name "Workbench (.venv)" >/dev/null
	touch $@

# core, tasks and sim installed editable into .venv (the pinned packages come from requirements.txt),
# so notebooks, benches and scripts import them like any installed library.
$(ESTAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install -q --no-deps -e .
	touch $@

install: $(ESTAMP)

system-deps:
	bash scripts/install_system_deps.sh

## run: the dashboard on the bundled sample data, http://localhost:8501
run: $(ESTAMP)
	$(PY) scripts/bootstrap.py
	$(PY) -m streamlit run app.py --server.headless true --server.port 8501

## lint: ruff (lint and format) and mypy (strict on core/, --check-untyped-defs elsewhere); any finding fails
lint: $(TSTAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

## check: the developer loop, lint then every test not marked slow (pg/browser tests skip without their server)
check: lint $(ESTAMP)
	$(PY) -m pytest -q -m "not slow" -n 2

## test: everything the tests need (packages, chromium, CJK font, PostgreSQL), lint, then the whole
## suite under branch coverage of core/, tasks/ and sim/ with the gate in pyproject.toml
test: $(TSTAMP) $(ESTAMP) system-deps lint
	rm -f .coverage .coverage.*
	WORKBENCH_TEST_PG_URL="$$(bash scripts/pg_test_server.sh)" $(PY) -m coverage run -m pytest -q -n 2
	$(PY) -m coverage combine -q
	$(PY) -m coverage report

bench: $(TSTAMP) $(ESTAMP)
	for b in bench/*_bench.py; do echo "== $$b"; $(PY) $$b || exit 1; done
