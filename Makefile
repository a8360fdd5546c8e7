# Incubator Policy Atlas — build, run and test.
# Needs only python3 (3.11), make and apt-get (as root or via sudo) on Debian.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8501
# Streamlit processes behind HAProxy for `make serve`: one per core unless told.
REPLICAS ?= $(shell nproc)

# Prefix for root-only commands: empty when root, sudo when available.
SUDO := $(if $(filter 0,$(shell id -u)),,$(if $(shell command -v sudo),sudo,))

.PHONY: venv browser proxy run serve test fast lint

venv: $(STAMP)

# Debian ships the venv module without ensurepip; python3-venv provides it.
$(BIN)/pip:
	@if ! $(PYTHON) -c 'import ensurepip' >/dev/null 2>&1; then \
		echo "make venv: $(PYTHON) has no ensurepip; installing python3-venv"; \
		$(SUDO) apt-get update; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv; \
	fi
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt constraints.txt | $(BIN)/pip
	$(BIN)/pip install -r requirements.txt -c constraints.txt
	touch $@

browser:
	scripts/install-browser.sh

proxy:
	scripts/install-proxy.sh

run: venv
	$(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT)

# Production: REPLICAS Streamlit processes on 127.0.0.1 behind HAProxy on HOST:PORT, sessions
# sticky by cookie. Ctrl-C stops them all.
serve: venv proxy
	$(BIN)/python scripts/serve.py --replicas $(REPLICAS) --host $(HOST) --port $(PORT)

lint: venv
	$(BIN)/ruff check .

test: venv browser proxy
	$(BIN)/ruff check .
	$(BIN)/python -m policies check
	$(BIN)/python -m policies coverage
	$(BIN)/python -m pytest -q

# Day-to-day loop: everything but the real-browser and load tests, on both cores (a worker that
# runs out of tests takes some from the other), each property test on a fifth of its examples,
# with Python's compiled-module cache on (the modules and the rewritten tests are not recompiled
# on every run; the cache folders are ignored by git).
fast: venv
	$(BIN)/ruff check .
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m policies check
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -m "not browser and not load" \
		-n 2 --dist worksteal --hypothesis-profile=fast

.PHONY: bench load

# Benchmarks: the engine, then every page (AppTest reruns, first chart in Chromium, memory).
bench: venv browser
	$(BIN)/python scripts/bench_engine.py
	$(BIN)/python scripts/bench_pages.py

# Load: 50 concurrent agent-API sessions (production settings vs development defaults); the same
# through HAProxy and 2 processes beside one; the same with one process killed mid-run; then
# 5 concurrent browser contexts through every page. All on 127.0.0.1 and stop by themselves.
load: venv browser proxy
	$(BIN)/python scripts/load_test.py --sessions 50 --compare-settings
	$(BIN)/python scripts/load_test.py --sessions 50 --replicas 2
	$(BIN)/python scripts/load_test.py --sessions 50 --replicas 2 --kill
	$(BIN)/python scripts/browser_load.py
