# The whole set-up on a fresh machine is `make run` or `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test install system-deps bench clean-store

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

install: $(STAMP)

system-deps:
	bash scripts/install_system_deps.sh

## run: the dashboard on the bundled sample data, http://localhost:8501
run: $(STAMP)
	$(PY) scripts/bootstrap.py
	$(PY) -m streamlit run app.py --server.headless true --server.port 8501

## test: everything the tests need (packages, chromium, CJK font, PostgreSQL), then pytest
test: $(TSTAMP) system-deps
	WORKBENCH_TEST_PG_URL="$$(bash scripts/pg_test_server.sh)" $(PY) -m pytest -q

bench: $(TSTAMP)
	for b in bench/*_bench.py; do echo "== $$b"; $(PY) $$b || exit 1; done
