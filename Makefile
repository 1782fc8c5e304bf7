# Every target is a thin call to the `analysis` command (console script, or `python -m analysis`),
# so nothing depends on make: on Windows run the same commands by hand (see README.md).
PYTHON   ?= python3
VENV     ?= .venv
BIN      := $(VENV)/bin
ANALYSIS := $(BIN)/analysis
ifneq ($(wildcard ../shared/mirror/MANIFEST.csv),)
export ANALYSIS_SNAPSHOT ?= $(abspath ../shared/mirror)
endif

.DEFAULT_GOAL := help
.PHONY: help check-system reports data processed refresh verify test lint lab kernel bench clean-reports

## help: list the targets (default)
help:
	@awk '/^## / { sub(/^## /, ""); split($$0, a, ": "); printf "  %-14s %s\n", a[1], a[2] }' $(MAKEFILE_LIST)

# The virtual environment is (re)made whenever pyproject.toml changes.
$(BIN)/.runtime: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/.dev: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(BIN)/.runtime

## check-system: check the system libraries the PDF step needs (Pango); print the install line
check-system:
	@$(PYTHON) analysis/render/system_check.py

## reports: fetch raw data, clean it, build every report into reports/ (only what changed)
reports: check-system $(BIN)/.runtime
	$(ANALYSIS) fetch
	$(ANALYSIS) clean
	$(ANALYSIS) build

## data: fetch raw files into data/raw/ (from the snapshot folder if set, else upstream)
data: $(BIN)/.runtime
	$(ANALYSIS) fetch

## processed: clean data/raw/ into validated tables in data/processed/
processed: $(BIN)/.runtime
	$(ANALYSIS) clean

## refresh: fetch (accepting upstream changes), clean and build what changed; for cron (see README)
refresh: $(BIN)/.runtime
	$(ANALYSIS) refresh

## verify: rebuild from data/raw in a temporary folder; compare every table and report byte for byte
verify: $(BIN)/.runtime
	$(ANALYSIS) verify

## test: lint (ruff, mypy) and run the whole test suite
test: $(BIN)/.dev
	$(ANALYSIS) test

## lint: ruff and mypy only
lint: $(BIN)/.dev
	$(ANALYSIS) test --lint-only

## lab: register the project kernel, open JupyterLab on notebooks/ (options: make lab ARGS=--no-browser)
lab: $(BIN)/.dev
	$(ANALYSIS) lab $(ARGS)

## kernel: register the project's Jupyter kernel (the one the notebooks name) for this user
kernel: $(BIN)/.runtime
	$(ANALYSIS) kernel

## bench: benchmarks (build speed, cleaner at scale); prints a table (see README, Performance)
bench: $(BIN)/.dev
	$(BIN)/python benchmarks/run.py

## clean-reports: remove reports/ and the build cache (raw and processed data stay)
clean-reports: $(BIN)/.runtime
	$(ANALYSIS) clean-reports
