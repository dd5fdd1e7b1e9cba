# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint format bench bench-load cluster clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

## Serve the dashboard (honours Streamlit's own settings, e.g. STREAMLIT_SERVER_PORT).
run: $(VENV)/.runtime-installed
	$(BIN)/streamlit run streamlit_app.py

## Lint, then the whole pytest suite: the unit, app and doctest part on two workers
## (pytest-xdist), then, when a Chromium is found, the browser tests on one (some of them time
## an address against the Share link, which two browsers on two cores make slower than asked).
test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -m "not browser" -n 2
	$(BIN)/python -m pytest -m browser

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/run_all.py

## Issue 9's table: N students on one process, main's old configuration vs the repository's.
bench-load: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/before_after.py

## nginx + 2 stock `streamlit run` processes on http://127.0.0.1:8580 (Ctrl-C stops all).
cluster: $(VENV)/.runtime-installed
	deploy/run_cluster.sh -k 2

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts
